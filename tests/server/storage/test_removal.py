"""Deleting a session takes its rows and its blobs; purge goes by the server's clock."""
from __future__ import annotations

import pytest

from server.runtime import current_runtime
from server.storage.errors import NotFoundError
from server.storage.events import read_all_events
from server.storage.ingest import session_prefix
from server.storage.removal import delete_session, purge_sessions
from server.storage.sessions import sessions_by_id
from tests.factories import T0, make_project, make_session


def test_delete_takes_rows_and_blobs(app):
    project = make_project(app)
    doomed, kept = make_session(app, project), make_session(app, project)
    with app.app_context():
        runtime = current_runtime()
        delete_session(runtime.blobs, doomed)
        assert set(sessions_by_id([doomed, kept])) == {kept}
        assert read_all_events(runtime.blobs, runtime.dictionaries, doomed) == []
        assert list(runtime.blobs.iter_keys(session_prefix(doomed))) == []
        assert read_all_events(runtime.blobs, runtime.dictionaries, kept) != []


def test_deleting_an_unknown_session_is_not_found(app):
    with app.app_context(), pytest.raises(NotFoundError, match="No session 'nope'"):
        delete_session(current_runtime().blobs, "nope")


def test_purge_by_last_arrival(app):
    project = make_project(app)
    sessions = [make_session(app, project), make_session(app, project)]  # both arrived at T0
    with app.app_context():
        runtime = current_runtime()
        assert purge_sessions(runtime.blobs, received_before_ms=T0) == 0
        assert purge_sessions(runtime.blobs, received_before_ms=T0 + 1) == 2
        assert sessions_by_id(sessions) == {}


class FailingHalfway:
    """A blob store whose first prefix delete removes one blob, then fails (a disk or
    S3 going away mid-delete)."""

    def __init__(self, store) -> None:
        self.store = store
        self.failures = 1

    def __getattr__(self, name):
        return getattr(self.store, name)

    def delete_prefix(self, prefix: str) -> int:
        if self.failures:
            self.failures -= 1
            self.store.delete(next(iter(self.store.iter_keys(prefix))))
            raise OSError(5, "Input/output error")
        return self.store.delete_prefix(prefix)


def test_a_delete_failing_halfway_leaves_a_session_to_delete_again_not_orphaned_bytes(app, bearer):
    project = make_project(app)
    sid = make_session(app, project)
    make_session(app, project, session_id=sid, seq=1)  # two chunks
    client = app.test_client()
    with app.app_context():
        runtime = current_runtime()
        store = runtime.blobs
        runtime.blobs = FailingHalfway(store)
        failed = client.delete(f"/api/v1/sessions/{sid}", headers=bearer)
        assert failed.status_code == 503 and failed.headers["Retry-After"]
        assert set(sessions_by_id([sid])) == {sid}  # still listed: the delete can be finished
        assert client.get(f"/api/v1/sessions/{sid}", headers=bearer).status_code == 200
        assert client.delete(f"/api/v1/sessions/{sid}", headers=bearer).status_code == 200
        assert sessions_by_id([sid]) == {} and list(store.iter_keys(session_prefix(sid))) == []
