"""The one way storage reads and writes: ``reading()`` for the current request's
session, ``unit_of_work()`` around every write.

A unit of work takes this process's writer lock, yields the session, commits when
the block ends and rolls back when it raises, so no caller commits by hand and no
write forgets the lock. The lock exists because SQLite allows one writer at a time:
writers of one process queue here rather than in SQLite's busy handler, which sleeps
in growing steps and turned lock waits into 100 ms latency spikes. PostgreSQL needs
no such lock, and gets none.
"""
from __future__ import annotations

import contextlib
import threading
from typing import ContextManager, Iterator

from sqlalchemy.orm import Session as OrmSession

from server.storage.database import db

_writer_locks: dict[str, threading.Lock] = {}
_writer_locks_guard = threading.Lock()


def writer_lock() -> ContextManager:
    """This process's lock for writers of the bound database (a no-op on PostgreSQL)."""
    engine = db.engine
    if engine.dialect.name != "sqlite":
        return contextlib.nullcontext()
    with _writer_locks_guard:
        return _writer_locks.setdefault(str(engine.url), threading.Lock())


def reading() -> OrmSession:
    """The session of the current app context, for reads (no commit happens here)."""
    return db.session


@contextlib.contextmanager
def unit_of_work() -> Iterator[OrmSession]:
    """Write through the yielded session; committed on success, rolled back on error.

    Make every change inside the block. A read snapshot held before it (with nothing
    changed yet) is ended first, so the write transaction starts fresh: SQLite cannot
    upgrade a read to a write once another writer has committed.
    """
    session = db.session
    with writer_lock():
        if not (session.new or session.dirty or session.deleted):
            session.rollback()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def end_read() -> None:
    """End the current read snapshot (long jobs call it between reads and work)."""
    db.session.rollback()
