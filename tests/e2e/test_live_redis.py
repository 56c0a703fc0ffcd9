"""Live rooms across two `replaydesk serve` processes sharing Redis: the participant's
batches go to one process, observers watch and write notes through the other."""
from __future__ import annotations

import re
import threading
import time
import uuid

import orjson
import pytest
import requests
import socketio

from tests.e2e.server import ServerProcess
from tests.factories import T0, batch_payload, click_event

pytestmark = pytest.mark.slow
REDIS_URL = "redis://127.0.0.1:6379/0"


def signed_in_cookie(url: str, email: str, password: str) -> str:
    http = requests.Session()
    page = http.get(f"{url}/auth/login", timeout=5).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = http.post(f"{url}/auth/login", data={"email": email, "password": password, "csrf_token": token},
                         allow_redirects=False, timeout=5)
    assert response.status_code == 302
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


class Observer:
    def __init__(self, url: str, cookie: str) -> None:
        self.events: list[dict] = []
        self.notes: list[dict] = []
        self.got_events = threading.Event()
        self.client = socketio.Client()
        self.client.on("events", self._on_events, namespace="/live")
        self.client.on("note", self.notes.append, namespace="/live")
        self.client.connect(url, headers={"Cookie": cookie}, namespaces=["/live"], transports=["websocket"], wait_timeout=10)

    def _on_events(self, message: dict) -> None:
        self.events.extend(message["events"])
        self.got_events.set()

    def call(self, event: str, data: dict) -> dict:
        return self.client.call(event, data, namespace="/live", timeout=10)


@pytest.fixture
def two_servers(tmp_path):
    data = tmp_path / "both-processes"
    env = {"REPLAYDESK_REDIS_URL": REDIS_URL, "REPLAYDESK_JOB_QUEUE": f"e2e-{uuid.uuid4().hex[:8]}"}
    first, second = ServerProcess(data, env=env), ServerProcess(data, env=env)
    key = first.seed("live", users=[(email, "correct horse battery") for email in ("ana@example.com", "ben@example.com")]).key
    first.start(), second.start()
    yield first, second, key
    first.stop(), second.stop()


def test_observers_on_another_process_see_events_and_each_others_notes(two_servers):
    participant_side, observer_side, key = two_servers
    session_id = f"live-{uuid.uuid4().hex[:12]}"
    ingest = f"{participant_side.url}/api/v1/ingest"
    first = requests.post(ingest, data=orjson.dumps(batch_payload(session_id)), headers={"X-Replaydesk-Key": key}, timeout=5)
    assert first.json()["live"] is False

    ana = Observer(observer_side.url, signed_in_cookie(observer_side.url, "ana@example.com", "correct horse battery"))
    # Ben watches through the participant's process: notes and events must cross processes both ways.
    ben = Observer(participant_side.url, signed_in_cookie(participant_side.url, "ben@example.com", "correct horse battery"))
    try:
        for observer in (ana, ben):
            assert observer.call("join", {"session_id": session_id})["ok"]
        sent = [click_event(T0 + 3000, x=42)]
        started = time.monotonic()
        answer = requests.post(ingest, data=orjson.dumps(batch_payload(session_id, seq=1, events=sent)),
                               headers={"X-Replaydesk-Key": key}, timeout=5).json()
        assert answer["live"] is True  # the watch mark set through the other process is seen here
        assert ana.got_events.wait(5) and ben.got_events.wait(5)
        assert time.monotonic() - started < 2
        assert ana.events == sent == ben.events

        assert ana.call("note", {"session_id": session_id, "text": "Stuck on the coupon", "ts": 3000})["ok"]
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not ben.notes:
            time.sleep(0.05)
        assert [(n["text"], n["author"]) for n in ben.notes] == [("Stuck on the coupon", "ana@example.com")]

        command = {"type": "task", "task": {"task_id": "next", "title": "Now find the returns page"}}
        assert ben.call("command", {"session_id": session_id, "command": command})["ok"]
        answer = requests.post(ingest, data=orjson.dumps(batch_payload(session_id, seq=2, events=[click_event(T0 + 4000)])),
                               headers={"X-Replaydesk-Key": key}, timeout=5).json()
        assert answer["commands"] == [command]
    finally:
        ana.client.disconnect()
        ben.client.disconnect()
