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
