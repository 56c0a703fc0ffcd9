"""Live rooms that tell the truth: live or not by the server's live window (on join and
on every heartbeat), signals flagged while the session runs, and a private observers'
chat (stored with the session, never handed to the participant's SDK)."""
from __future__ import annotations

import orjson
import pytest

from analysis.event_builders import click_event, element, page_load, text
from server.extensions import socketio
from server.live.flagging import EXTENSION_KEY, LiveFlagger
from server.runtime import current_runtime
from server.storage.live import chat_messages
from server.storage.removal import delete_session
from tests.conftest import AuthActions
from tests.factories import T0, batch_payload, make_project, make_session


@pytest.fixture
def project(app):
    return make_project(app, "live-truth")


def observer(app, email="obs@example.com"):
    client = app.test_client()
    AuthActions(client, app).login(email=email)
    return socketio.test_client(app, namespace="/live", flask_test_client=client)


def ingest(client, key, payload):
    return client.post("/api/v1/ingest", data=orjson.dumps(payload), headers={"X-Replaydesk-Key": key}).get_json()


def received(sock, name):
    return [m["args"][0] for m in sock.get_received("/live") if m["name"] == name]


def join(sock, sid):
    return sock.emit("join", {"session_id": sid}, namespace="/live", callback=True)


def test_live_or_not_comes_from_the_servers_live_window(app, client, auth, project):
    old = make_session(app, project)  # its last batch arrived at T0, long before now
    sock = observer(app)
    answer = join(sock, old)
    assert answer["live"] is False and answer["since_last_batch_ms"] > 24 * 3600 * 1000
    assert answer["live_window_ms"] == 30_000
    fresh = "fresh-session-0001"
    assert ingest(client, project.key, batch_payload(fresh))["ok"]
    assert join(sock, fresh)["live"] is True
    beat = sock.emit("heartbeat", {"session_id": fresh}, namespace="/live", callback=True)
    assert beat["ok"] and beat["live"] is True and beat["since_last_batch_ms"] < 30_000
    assert sock.emit("heartbeat", {"session_id": old}, namespace="/live", callback=True)["live"] is False


def test_signals_are_flagged_while_the_session_runs(app, client, project):
    flagger = LiveFlagger(app, interval_s=0.05)
    app.extensions[EXTENSION_KEY] = flagger
    sid = "running-session-01"
    button = element(10, "button", {"id": "apply"}, text(11, "Apply coupon"))
    assert ingest(client, project.key, batch_payload(sid, events=page_load(T0, "https://shop.test/cart", button)))["ok"]
    sock = observer(app)
    join(sock, sid)
    rage = [click_event(T0 + 5_000 + 200 * n, 10, 300, 200) for n in range(4)]
    assert ingest(client, project.key, batch_payload(sid, seq=1, events=rage))["live"] is True
    assert flagger.wait_idle()
    # Not yet: what follows the clicks (2.5 s) is still on its way, and the page is still open
    # (no dead end "ended by the session's end" while it runs).
    assert received(sock, "signals") == []
    later = [{"type": 3, "timestamp": T0 + 9_000, "data": {"source": 1, "positions": [{"x": 5, "y": 5, "id": 4,
                                                                                       "timeOffset": 0}]}}]
    assert ingest(client, project.key, batch_payload(sid, seq=2, events=later))["live"]
    assert flagger.wait_idle()
    [message] = received(sock, "signals")
    assert message["session_id"] == sid
    assert [(s["kind"], s["ts"], s["count"]) for s in message["signals"]] == [("rage_click", T0 + 5_000, 4)]
    # The next batch brings nothing new: nothing is announced twice.
    later = [{**later[0], "timestamp": T0 + 12_000}]
    assert ingest(client, project.key, batch_payload(sid, seq=3, events=later))["live"]
    assert flagger.wait_idle()
    assert received(sock, "signals") == []


def test_an_unwatched_session_runs_no_live_pass(app, client, project):
    flagger = LiveFlagger(app, interval_s=0.05, detect=lambda *_: pytest.fail("no one watches"))
    app.extensions[EXTENSION_KEY] = flagger
    assert ingest(client, project.key, batch_payload("quiet-session-001"))["live"] is False
    assert flagger.wait_idle(1)


def test_the_observers_chat_is_private_stored_and_goes_with_the_session(app, client, auth, project):
    sid = make_session(app, project)
    ana, ben = observer(app, "a@example.com"), observer(app, "b@example.com")
    join(ana, sid)
    said = ana.emit("chat", {"session_id": sid, "text": "Ask her about the <coupon>"}, namespace="/live", callback=True)
    assert said["ok"] and said["message"]["author"] == "a@example.com"
    assert received(ana, "chat")[0]["text"] == "Ask her about the <coupon>"
    late = join(ben, sid)  # a late joiner gets the room's chat so far
    assert [(m["author"], m["text"]) for m in late["chat"]] == [("a@example.com", "Ask her about the <coupon>")]
    assert not ben.emit("chat", {"session_id": sid, "text": " "}, namespace="/live", callback=True)["ok"]
    # The participant's SDK hears commands only: the chat is never among them.
    assert ingest(client, project.key, batch_payload(sid, seq=3))["commands"] == []
    with app.app_context():
        assert len(chat_messages(sid)) == 1
        delete_session(current_runtime().blobs, sid)
        assert chat_messages(sid) == []


def participant(app, key, session_id, origin="http://shop.test"):
    return socketio.test_client(app, namespace="/live", auth={"key": key, "session_id": session_id},
                                headers={"Origin": origin})


def test_a_participants_page_connects_with_its_key_and_only_signals(app, client, auth, project):
    sid = make_session(app, project)
    other = make_project(app, "someone-else")
    assert not participant(app, "no-such-key", sid).is_connected("/live")
    assert not participant(app, other.key, sid).is_connected("/live")  # the session is another project's
    assert participant(app, project.key, "not-stored-yet-01").is_connected("/live")  # before its first batch
    page = participant(app, project.key, sid)
    assert page.is_connected("/live")
    assert not page.emit("join", {"session_id": sid}, namespace="/live", callback=True)["ok"]  # no observer
    # A reviewer's cookie counts only from our own origin: elsewhere a socket is a participant's page.
    signed_in = app.test_client()
    AuthActions(signed_in, app).login(email="obs@example.com")
    foreign = socketio.test_client(app, namespace="/live", flask_test_client=signed_in, headers={"Origin": "http://evil.test"})
    assert not foreign.is_connected("/live")


def test_webrtc_signalling_between_observers_and_the_participant(app, client, auth, project):
    sid = make_session(app, project)
    ana, ben = observer(app, "a@example.com"), observer(app, "b@example.com")
    for sock in (ana, ben):
        join(sock, sid)
    page = participant(app, project.key, sid)
    assert page.emit("rtc_ready", {}, namespace="/live", callback=True)["ok"]
    assert received(ana, "rtc_participant") == [{"session_id": sid}] and received(ben, "rtc_participant")
    assert ana.emit("listen", {"session_id": sid}, namespace="/live", callback=True)["ok"]
    assert ben.emit("listen", {"session_id": sid}, namespace="/live", callback=True)["ok"]
    listeners = [m["observer"] for m in received(page, "rtc_listener")]
    assert len(set(listeners)) == 2  # one peer connection per observer
    offer = {"type": "offer", "sdp": "v=0 …"}
    assert page.emit("rtc_signal", {"session_id": sid, "to": listeners[0], "data": offer}, namespace="/live",
                     callback=True)["ok"]
    [got] = received(ana, "rtc_signal") or received(ben, "rtc_signal")
    assert got["data"] == offer and got["session_id"] == sid
    answer = {"type": "answer", "sdp": "v=0 …"}
    ana.emit("rtc_signal", {"session_id": sid, "to": got["from"], "data": answer}, namespace="/live", callback=True)
    ben.emit("rtc_signal", {"session_id": sid, "to": got["from"], "data": answer}, namespace="/live", callback=True)
    assert [m["data"] for m in received(page, "rtc_signal")] == [answer, answer]
    # A page signals for its own session only; an observer for sessions they may see.
    assert not page.emit("rtc_signal", {"session_id": "other-session-01", "to": listeners[0], "data": offer},
                         namespace="/live", callback=True)["ok"]
    assert not ana.emit("rtc_signal", {"session_id": "nope-nope-nope", "to": got["from"], "data": answer},
                        namespace="/live", callback=True)["ok"]


def test_a_watched_pages_poll_keeps_the_session_live(app, client, project):
    sid = make_session(app, project)  # its last batch arrived long ago
    sock = observer(app)
    assert join(sock, sid)["live"] is False
    assert ingest(client, project.key, batch_payload(sid, seq=9, events=[]))["live"] is True  # the page polls
    beat = sock.emit("heartbeat", {"session_id": sid}, namespace="/live", callback=True)
    assert beat["live"] is True and beat["since_last_batch_ms"] < 30_000
