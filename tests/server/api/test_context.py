"""GET /api/v1/sessions/<id>/context: the engineer's context, project-scoped like every session route."""
from __future__ import annotations

import pytest

from analysis.event_builders import click_event, console_event, custom_event, meta_event, network_event, network_request
from tests.conftest import AuthActions
from tests.factories import T0, add_member, make_project, make_session

SECRET_URL = "https://shop.test/api/cart?token=***&page=2"


def _recording() -> tuple[list[dict], list[dict]]:
    """Two batches whose context entries interleave in time."""
    first = [
        meta_event(T0, "https://shop.test/"),
        custom_event(T0 + 10, "$pageview", {"url": "https://shop.test/", "title": "Shop"}),
        click_event(T0 + 500, 10, 5, 5),
        console_event(T0 + 900, "warn", "slow image", trace=["at load (app.js:1:2)"]),
        network_event(T0 + 1700, network_request(SECRET_URL, 200, T0 + 520, 1180, transfer_bytes=812,
                                                 response_headers={"content-type": "application/json"})),
    ]
    second = [
        custom_event(T0 + 600, "checkout_started", {"items": 2}),
        network_event(T0 + 2100, network_request("https://shop.test/api/pay", 404, T0 + 2000, 90, method="POST"),
                      network_request("https://shop.test/api/track", None, T0 + 2050, None, error="network error",
                                      initiator="xhr")),
        console_event(T0 + 2200, "error", "Payment failed:", "404"),
    ]
    return first, second


@pytest.fixture
def recorded(app):
    project = make_project(app, "shop")
    first, second = _recording()
    session_id = make_session(app, project, events=first)
    make_session(app, project, session_id=session_id, seq=1, events=second)
    return project, session_id


def test_the_context_lists_console_network_and_events_in_time_order(client, recorded, bearer):
    _, session_id = recorded
    response = client.get(f"/api/v1/sessions/{session_id}/context", headers=bearer)
    assert response.status_code == 200
    assert response.get_json() == {
        "console": [
            {"ts": T0 + 900, "level": "warn", "message": "slow image", "args": ["slow image"],
             "trace": ["at load (app.js:1:2)"]},
            {"ts": T0 + 2200, "level": "error", "message": "Payment failed: 404", "args": ["Payment failed:", "404"],
             "trace": []},
        ],
        "network": [
            {"ts": T0 + 520, "url": SECRET_URL, "method": "GET", "status": 200, "error": None, "initiator": "fetch",
             "start_ms": T0 + 520, "duration_ms": 1180, "transfer_bytes": 812, "failed": False, "slow": True,
             "response_headers": {"content-type": "application/json"}},
            {"ts": T0 + 2000, "url": "https://shop.test/api/pay", "method": "POST", "status": 404, "error": None,
             "initiator": "fetch", "start_ms": T0 + 2000, "duration_ms": 90, "transfer_bytes": None, "failed": True,
             "slow": False},
            {"ts": T0 + 2050, "url": "https://shop.test/api/track", "method": "GET", "status": None,
             "error": "network error", "initiator": "xhr", "start_ms": T0 + 2050, "duration_ms": None,
             "transfer_bytes": None, "failed": True, "slow": False},
        ],
        "events": [
            {"ts": T0 + 10, "tag": "$pageview", "payload": {"url": "https://shop.test/", "title": "Shop"}},
            {"ts": T0 + 600, "tag": "checkout_started", "payload": {"items": 2}},
        ],
        "slow_ms": 1000,
        "truncated": {"console": False, "network": False, "events": False},
    }


def test_a_session_without_context_answers_empty_lists(app, client, bearer):
    session_id = make_session(app, make_project(app, "quiet"))
    body = client.get(f"/api/v1/sessions/{session_id}/context", headers=bearer).get_json()
    assert (body["console"], body["network"], body["events"]) == ([], [], [])


def test_malformed_plugin_payloads_are_left_out(app, client, bearer):
    events = [meta_event(T0, "https://shop.test/"),
              {"type": 6, "timestamp": T0 + 1, "data": {"plugin": "rrweb/console@1", "payload": "boom"}},
              {"type": 6, "timestamp": T0 + 2, "data": {"plugin": "rrweb/network@1", "payload": {"requests": [
                  {"url": ["no"]}, {"url": "https://shop.test/ok", "status": "200"},
                  {"url": "https://shop.test/kept", "status": 500, "start_ms": 1e300, "duration_ms": -4}]}}},
              {"type": 6, "timestamp": T0 + 3, "data": {"plugin": "rrweb/console@1",
                                                         "payload": {"level": "error", "payload": [{"deep": [1]}, 7]}}}]
    session_id = make_session(app, make_project(app, "odd"), events=events)
    body = client.get(f"/api/v1/sessions/{session_id}/context", headers=bearer).get_json()
    assert [(r["url"], r["ts"], r["duration_ms"]) for r in body["network"]] == [("https://shop.test/kept", T0 + 2, None)]
    assert [entry["args"] for entry in body["console"]] == [["7"]]


def _signed_in(app, email: str):
    client = app.test_client()
    assert AuthActions(client, app).login(email).status_code == 302
    return client


def test_a_viewer_reads_it_and_a_reviewer_of_another_project_finds_nothing(app, recorded):
    project, session_id = recorded
    add_member(app, "vera@example.com", project, "viewer")
    add_member(app, "otto@example.com", make_project(app, "blog"), "admin")
    url = f"/api/v1/sessions/{session_id}/context"

    stranger = _signed_in(app, "otto@example.com").get(url)
    assert stranger.status_code == 404 and "console" not in stranger.get_json()

    viewer = _signed_in(app, "vera@example.com")
    assert len(viewer.get(url).get_json()["network"]) == 3
    assert viewer.get("/api/v1/sessions/no-such-session/context").status_code == 404


def test_the_project_key_reads_nothing(client, recorded):
    project, session_id = recorded
    assert client.get(f"/api/v1/sessions/{session_id}/context", headers={"X-Replaydesk-Key": project.key}).status_code == 401
