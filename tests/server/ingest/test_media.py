"""POST /api/v1/media: think-aloud chunks uploaded with the session, bounded and
idempotent like ingest, read back as one recording in order, and deleted with the
session (bytes before rows)."""
from __future__ import annotations

import orjson
import pytest

from server.ingest import media as media_route
from server.runtime import current_runtime
from server.storage.ingest import session_prefix
from server.storage.media import session_recordings
from server.storage.removal import delete_session, purge_sessions
from tests.factories import T0, batch_payload, make_project

SID = "voice-session-0001"
WEBM = "audio/webm;codecs=opus"


@pytest.fixture
def project(app):
    return make_project(app, "think-aloud")


@pytest.fixture
def recorded(client, project):
    """A session with one batch stored (the widget uploads once the session exists)."""
    answer = client.post("/api/v1/ingest", data=orjson.dumps(batch_payload(SID)), headers={"X-Replaydesk-Key": project.key})
    assert answer.status_code == 200
    return SID


def upload(client, key, data: bytes, *, seq=0, recording="rec-000000001", session_id=SID, mime=WEBM, **extra):
    query = {"session_id": session_id, "recording": recording, "seq": seq, "kind": "audio", "started_at": T0 + 500,
             **extra}
    return client.post("/api/v1/media", query_string=query, data=data, headers={"X-Replaydesk-Key": key,
                                                                               "Content-Type": mime})


def test_chunks_are_stored_once_and_read_back_in_order(app, client, bearer, project, recorded):
    assert upload(client, project.key, b"-second", seq=1).get_json() == {"ok": True, "duplicate": False,
                                                                        "stored_bytes": 7}
    first = upload(client, project.key, b"first")
    assert first.status_code == 200 and first.headers["Access-Control-Allow-Origin"] == "*"
    assert upload(client, project.key, b"first").get_json()["duplicate"] is True  # a retry
    listed = client.get(f"/api/v1/sessions/{SID}/media", headers=bearer).get_json()["recordings"]
    assert listed == [{"id": "rec-000000001", "kind": "audio", "mime": WEBM, "started_at": T0 + 500, "offset_ms": 500,
                       "size": 12, "chunks": 2, "url": f"/api/v1/sessions/{SID}/media/rec-000000001"}]
    whole = client.get(listed[0]["url"], headers=bearer)
    assert whole.data == b"first-second" and whole.mimetype == "audio/webm"
    assert client.get(f"/api/v1/sessions/{SID}/media/rec-nothing-here", headers=bearer).status_code == 404
    assert client.options("/api/v1/media").status_code == 204


@pytest.mark.parametrize("change, status", [
    ({"session_id": "x"}, 400),  # bad id
    ({"recording": "short"}, 400),
    ({"seq": "-1"}, 400),
    ({"started_at": "soon"}, 400),
    ({"mime": "text/html"}, 400),  # not audio or video
    ({"mime": "video/webm"}, 400),  # kind=audio, a video type
    ({"data": b""}, 400),
    ({"session_id": "no-batch-yet-0001"}, 404),  # the widget sends it again later
])
def test_bad_uploads_are_refused_and_store_nothing(app, client, project, recorded, change, status):
    change = dict(change)  # the table is shared by both databases
    data = change.pop("data", b"voice")
    answer = upload(client, project.key, data, **change)
    assert answer.status_code == status, answer.get_json()
    assert answer.get_json()["ok"] is False
    with app.app_context():
        assert session_recordings(SID) == []


def test_key_project_size_and_quota_are_checked(app, client, project, recorded, monkeypatch):
    assert upload(client, "no-such-key", b"voice").status_code == 401
    other = make_project(app, "another")
    assert upload(client, other.key, b"voice").status_code == 409  # another project's session
    assert upload(client, project.key, b"x" * ((1 << 20) + 1)).status_code == 413  # 1 MiB a chunk, as ingest
    monkeypatch.setattr(media_route, "MAX_SESSION_MEDIA_BYTES", 10)
    assert upload(client, project.key, b"12345678").status_code == 200
    assert upload(client, project.key, b"123", seq=1).status_code == 413  # 11 bytes > 10
    with app.app_context():
        assert [r.size for r in session_recordings(SID)] == [8]


def test_recordings_go_with_the_session_bytes_first(app, client, project, recorded):
    upload(client, project.key, b"voice")
    with app.app_context():
        blobs = current_runtime().blobs
        assert any("/media/" in key for key in blobs.iter_keys(session_prefix(SID)))
        delete_session(blobs, SID)
        assert list(blobs.iter_keys(session_prefix(SID))) == []
        assert session_recordings(SID) == []


def test_purge_takes_recordings_too(app, client, project, recorded):
    upload(client, project.key, b"voice")
    with app.app_context():
        blobs = current_runtime().blobs
        assert purge_sessions(blobs, received_before_ms=current_runtime().now_ms() + 1) == 1
        assert list(blobs.iter_keys(session_prefix(SID))) == [] and session_recordings(SID) == []
