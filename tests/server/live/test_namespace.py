"""/live rooms through Flask-SocketIO's test client, on the reviewer's login."""
from __future__ import annotations

import orjson
import pytest

from server.extensions import socketio
from server.storage.notes import list_notes
from tests.factories import T0, batch_payload, click_event, make_project, make_session


@pytest.fixture
def project(app):
    return make_project(app, "live")


def observer(app, client, auth, email="obs@example.com"):
    auth.login(email=email)
    return socketio.test_client(app, namespace="/live", flask_test_client=client)


def ingest(client, key, payload):
    return client.post("/api/v1/ingest", data=orjson.dumps(payload), headers={"X-Replaydesk-Key": key}).get_json()


def received(sock, name):
    return [m["args"][0] for m in sock.get_received("/live") if m["name"] == name]


def test_strangers_cannot_connect(app, client):
    sock = socketio.test_client(app, namespace="/live", flask_test_client=client)
    assert not sock.is_connected("/live")


def test_joined_room_gets_new_events_and_ingest_says_live(app, client, auth, project):
    sid = make_session(app, project)
    sock = observer(app, client, auth)
    assert sock.emit("join", {"session_id": sid}, namespace="/live", callback=True)["ok"]
    answer = ingest(client, project.key, batch_payload(sid, seq=1, events=[click_event(T0 + 5000)]))
    assert answer["live"] is True
    streamed = received(sock, "events")
    assert streamed == [{"session_id": sid, "events": [click_event(T0 + 5000)]}]


def test_unwatched_sessions_are_not_live(app, client, project):
    sid = make_session(app, project)
    assert ingest(client, project.key, batch_payload(sid, seq=1))["live"] is False


def test_notes_reach_every_observer_and_are_stored_at_session_time(app, client, auth, project):
    sid = make_session(app, project)
    first = observer(app, client, auth, "a@example.com")
    second_client = app.test_client()
    from tests.conftest import AuthActions

    second = observer(app, second_client, AuthActions(second_client, app), "b@example.com")
    for sock in (first, second):
        sock.emit("join", {"session_id": sid}, namespace="/live", callback=True)
    ack = first.emit("note", {"session_id": sid, "text": "They hesitate <here>", "ts": 1500}, namespace="/live", callback=True)
    assert ack["ok"]
    for sock in (first, second):
        notes = received(sock, "note")
        assert [(n["text"], n["ts"], n["author"]) for n in notes] == [("They hesitate <here>", T0 + 1500, "a@example.com")]
    with app.app_context():
        [stored] = list_notes()
        assert (stored.session_id, stored.ts, stored.text) == (sid, T0 + 1500, "They hesitate <here>")


def test_bad_notes_are_refused_and_store_nothing(app, client, auth, project):
    sid = make_session(app, project)
    sock = observer(app, client, auth)
    assert not sock.emit("note", {"session_id": sid, "text": ""}, namespace="/live", callback=True)["ok"]
    assert not sock.emit("note", {"session_id": "nope-nope", "text": "x"}, namespace="/live", callback=True)["ok"]
    with app.app_context():
        assert list_notes() == []


def test_moderator_command_is_delivered_once_in_the_ingest_answer(app, client, auth, project):
    sid = make_session(app, project)
    sock = observer(app, client, auth)
    sock.emit("join", {"session_id": sid}, namespace="/live", callback=True)
    command = {"type": "task", "task": {"task_id": "checkout", "title": "Buy a blanket", "text": "Find one"}}
    assert sock.emit("command", {"session_id": sid, "command": command}, namespace="/live", callback=True)["ok"]
    assert ingest(client, project.key, batch_payload(sid, seq=1))["commands"] == [command]
    assert ingest(client, project.key, batch_payload(sid, seq=2))["commands"] == []


def test_an_empty_batch_polls_for_commands_and_stores_nothing(app, client, auth, project):
    sid = make_session(app, project)
    sock = observer(app, client, auth)
    sock.emit("join", {"session_id": sid}, namespace="/live", callback=True)
    command = {"type": "task", "task": {"task_id": "next", "title": "Next"}}
    sock.emit("command", {"session_id": sid, "command": command}, namespace="/live", callback=True)
    poll = ingest(client, project.key, batch_payload(sid, seq=5, events=[]))
    assert poll == {"ok": True, "accepted": 0, "duplicate": False, "live": True, "commands": [command]}
    real = ingest(client, project.key, batch_payload(sid, seq=5))  # the poll left seq 5 free
    assert real["duplicate"] is False and real["accepted"] == 2
    assert ingest(client, project.key, batch_payload("never-seen-session", events=[]))["live"] is False
