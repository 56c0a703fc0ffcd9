"""Group commit: writes that arrive together share one transaction and one commit.

SQLite has one writer at a time, so this process's writers queued on the writer lock,
and each held it for its statements and its commit (an fsync with synchronous=FULL).
Under load most of that hold was spent waiting to get the GIL back after each
statement; on PostgreSQL each batch paid its own round trips and its own commit. Here a writer puts its work in a queue; one of them, the leader, takes the
writer lock and writes what is queued (up to ``MAX_GROUP`` at a time) in one
transaction until its own work is written, then hands the lead to the oldest work
still queued. The others wait on their own event, not on the lock: each wakes once,
with its outcome. Every caller returns only after the commit that holds its work, so
nothing is acknowledged before it is durable.

When the group's transaction fails as a whole, each work is written again in a
transaction of its own, so one bad write never costs the others.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Sequence

from sqlalchemy.engine import Engine

from server.storage.prepared import DriverTransaction, open_transaction
from server.storage.unit_of_work import writer_lock

# Works written in one transaction at most (one statement binds a few per work).
MAX_GROUP = 64

WriteGroup = Callable[[DriverTransaction, Sequence[Any]], list]
"""Writes works in one transaction; per work, its result or the exception it raises."""
WriteOne = Callable[[DriverTransaction, Any], Any]
"""Writes one work in a transaction of its own; raises its error."""


@dataclass
class _Queued:
    work: Any
    done: bool = False
    lead: bool = False  # this caller writes the queue next
    result: Any = None
    error: Optional[BaseException] = None
    wake: threading.Event = field(default_factory=threading.Event)


class GroupCommit:
    def __init__(self, write_group: WriteGroup, write_one: WriteOne, *, begin: Optional[str] = None) -> None:
        self._write_group = write_group
        self._write_one = write_one
        self._begin = begin
        self._queue: list[_Queued] = []
        self._leading = False  # a leader is writing or about to
        self._guard = threading.Lock()

    def submit(self, engine: Engine, work: Any) -> Any:
        """Write ``work`` (with whatever else is queued) and return its result.

        :raise: the error its write raised; it was rolled back, the others were not.
        """
        queued = _Queued(work)
        with self._guard:
            self._queue.append(queued)
            if not self._leading:
                self._leading = queued.lead = True
        if not queued.lead:
            queued.wake.wait()  # woken when written, or when it is its turn to lead
        if not queued.done:
            self._lead(engine, queued)
        if queued.error is not None:
            raise queued.error
        return queued.result

    def _lead(self, engine: Engine, mine: _Queued) -> None:
        try:
            with writer_lock():
                while not mine.done:
                    with self._guard:
                        group, self._queue = self._queue[:MAX_GROUP], self._queue[MAX_GROUP:]
                    self._write(engine, group)
        finally:
            with self._guard:
                if self._queue:
                    self._queue[0].lead = True
                    self._queue[0].wake.set()
                else:
                    self._leading = False

    def _write(self, engine: Engine, group: list[_Queued]) -> None:
        try:
            if len(group) == 1:  # alone: the single write needs fewer statements
                self._write_alone(engine, group[0])
                return
            try:
                with open_transaction(engine, begin=self._begin) as transaction:
                    outcomes = self._write_group(transaction, [queued.work for queued in group])
            except Exception:  # noqa: BLE001 - the group as a whole failed: write each alone to find the culprit
                for queued in group:
                    self._write_alone(engine, queued)
                return
            for queued, outcome in zip(group, outcomes):
                if isinstance(outcome, BaseException):
                    queued.error = outcome
                else:
                    queued.result = outcome
                queued.done = True
        finally:
            for queued in group:
                if not queued.done:  # interrupted (the process is stopping): no caller waits forever
                    queued.error, queued.done = RuntimeError("the write was interrupted"), True
                queued.wake.set()

    def _write_alone(self, engine: Engine, queued: _Queued) -> None:
        try:
            with open_transaction(engine, begin=self._begin) as transaction:
                queued.result = self._write_one(transaction, queued.work)
        except BaseException as error:  # handed to the caller that queued it
            queued.error = error
        queued.done = True
