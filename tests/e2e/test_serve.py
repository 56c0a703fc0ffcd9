"""`replaydesk serve` as an operator runs it: health, durability under SIGKILL,
Socket.IO over WebSocket in the production server."""
from __future__ import annotations

import gzip
import json
import time

import orjson
import pytest
import requests
import socketio

from tests.factories import T0, batch_payload, click_event, meta_event

pytestmark = pytest.mark.slow


def test_healthz(live_server):
    response = requests.get(f"{live_server.url}/healthz", timeout=5)
    assert response.status_code == 200 and response.json()["ok"] is True
    assert set(response.json()["checks"]) == {"database", "migrations", "blobs"}


def test_a_batch_answered_200_survives_sigkill(live_server):
    session_id = "durable-session-1"
    sent = []
    for seq in range(20):
        events = [meta_event(T0 + seq * 10)] if seq == 0 else [click_event(T0 + seq * 10, x=seq)]
        body = gzip.compress(orjson.dumps(batch_payload(session_id, seq=seq, events=events)))
        response = requests.post(f"{live_server.url}/api/v1/ingest", data=body, timeout=5, headers={
            "X-Replaydesk-Key": live_server.key, "Content-Encoding": "gzip", "Content-Type": "application/json"})
        assert response.status_code == 200
        sent += events
    live_server.process.kill()  # right after the last 200: no graceful shutdown
    live_server.process.start()
    stored = requests.get(f"{live_server.url}/api/v1/sessions/{session_id}/events", headers=live_server.bearer, timeout=5)
    assert stored.status_code == 200
    assert stored.json() == sent


def test_socketio_websocket_works_in_the_production_server(live_server):
    client = socketio.Client()
    client.connect(live_server.url, transports=["websocket"], wait_timeout=10)
    assert client.connected and client.transport() == "websocket"
    client.disconnect()


def test_signals_appear_on_their_own_once_a_session_goes_quiet(tmp_path, corpus_files):
    from tests.e2e.server import ServerProcess

    server = ServerProcess(tmp_path / "quiet", env={"REPLAYDESK_ANALYSIS_QUIET": "1s"})
    server.cli("init")
    key = server.cli_json("project", "create", "quiet")["key"]
    token = server.cli_json("token", "create")["token"]
    server.start()
    try:
        recording = json.loads(gzip.decompress(next(p for p in corpus_files if "coupon_rager_leaves" in p.name).read_bytes()))
        body = gzip.compress(orjson.dumps({"session_id": recording["session_id"], "window_id": "window-0001", "seq": 0,
                                           "events": recording["events"]}))
        assert requests.post(f"{server.url}/api/v1/ingest", data=body, timeout=5, headers={
            "X-Replaydesk-Key": key, "Content-Encoding": "gzip"}).status_code == 200
        deadline = time.monotonic() + 15
        kinds: set[str] = set()
        while time.monotonic() < deadline and "rage_click" not in kinds:
            time.sleep(0.5)
            signals = requests.get(f"{server.url}/api/v1/sessions/{recording['session_id']}/signals",
                                   headers={"Authorization": f"Bearer {token}"}, timeout=5).json()["signals"]
            kinds = {s["kind"] for s in signals}
        assert {"rage_click", "dead_end"} <= kinds
    finally:
        server.stop()
