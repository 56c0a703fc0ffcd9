"""`replaydesk serve` as an operator runs it: health, durability under SIGKILL,
Socket.IO over WebSocket in the production server."""
from __future__ import annotations

import gzip

import orjson
import pytest
import requests
import socketio

from tests.factories import T0, batch_payload, click_event, meta_event

pytestmark = pytest.mark.slow


def test_healthz(live_server):
    response = requests.get(f"{live_server.url}/healthz", timeout=5)
    assert response.status_code == 200 and response.json() == {"ok": True}


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
