"""Group commit: batches stored at once by many threads share transactions (SQLite),
and each gets its own outcome: stored, a duplicate, or another project's session."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from server.storage.batch import parse_batch
from server.storage.database import db
from server.storage.errors import ConflictError
from server.storage.group_commit import GroupCommit
from server.storage.ingest import store_batch
from server.storage.models import BatchReceipt, EventChunk, Session
from server.storage.unit_of_work import writer_lock
from tests.factories import T0, batch_payload, click_event, make_project

SESSION = "session-group-01"


def _store(app, project_id, payload):
    with app.app_context():
        try:
            result = store_batch(project_id, parse_batch(payload), now_ms=T0, analysis_due_at=T0)
            return "duplicate" if result.duplicate else result.accepted
        except ConflictError:
            return "conflict"


def test_batches_stored_together_each_get_their_outcome(app):
    mine, theirs = make_project(app), make_project(app)
    first = batch_payload(SESSION, seq=0, events=[click_event(T0)])
    assert _store(app, mine.id, first) == 1
    racing = [(mine.id, batch_payload(SESSION, seq=seq, events=[click_event(T0 + seq)] * 2)) for seq in range(1, 13)]
    racing += [(mine.id, first), (theirs.id, batch_payload(SESSION, seq=99))]  # a late retry; another project
    barrier = threading.Barrier(len(racing))

    def store(job):
        barrier.wait()
        return _store(app, *job)

    with ThreadPoolExecutor(len(racing)) as pool:
        outcomes = list(pool.map(store, racing))
    assert outcomes == [2] * 12 + ["duplicate", "conflict"]
    with app.app_context():
        session = db.session.get(Session, SESSION)
        assert (session.project_id, session.event_count, session.batch_count) == (mine.id, 25, 13)
        assert db.session.scalar(select(func.count()).select_from(BatchReceipt)) == 13
        assert db.session.scalar(select(func.count()).select_from(EventChunk)) == 13


class _Insert:
    """A prepared ``INSERT INTO t`` (SQLite's positional parameters)."""

    sql = "INSERT INTO t (n) VALUES (?)"

    def bind(self, values):
        return (values["n"],)


def test_a_failing_group_is_written_one_by_one(app_ctx, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("group commit serves SQLite's one writer")
    engine = db.engine
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (n INTEGER NOT NULL)")

    def write_group(transaction, works):
        transaction.execute_many(_Insert(), [{"n": n} for n in works])  # a None fails the whole group
        return list(works)

    def write_one(transaction, n):
        transaction.execute(_Insert(), {"n": n})
        return n

    committer = GroupCommit(write_group, write_one)
    outcomes = {}

    def submit(n):
        with app_ctx.app_context():
            try:
                outcomes[n] = committer.submit(engine, n)
            except Exception as error:  # noqa: BLE001 - the outcome under test
                outcomes[n] = type(error).__name__

    with writer_lock():  # hold the writers back until all three are queued: one group
        threads = [threading.Thread(target=submit, args=(n,)) for n in (1, None, 3)]
        for thread in threads:
            thread.start()
        while len(committer._queue) < 3:
            time.sleep(0.01)
    for thread in threads:
        thread.join()
    assert outcomes == {1: 1, None: "IntegrityError", 3: 3}
    with engine.connect() as conn:
        assert sorted(n for (n,) in conn.exec_driver_sql("SELECT n FROM t")) == [1, 3]
