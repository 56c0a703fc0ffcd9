"""Finding sessions by their engineer's context: console errors, failed and slow
requests, custom event tags; and the counters ingest keeps for it (both databases)."""
from __future__ import annotations

import pytest

from analysis.event_builders import console_event, custom_event, meta_event, network_event, network_request
from tests.factories import T0, make_project, make_session

URL = "https://shop.test/"


@pytest.fixture
def project(app):
    return make_project(app, "shop")


def _record(app, project, *batches: list[dict]) -> str:
    """One session of these batches (seq 0, 1, ...), each starting with a Meta so it has a page."""
    session_id = make_session(app, project, events=batches[0])
    for seq, events in enumerate(batches[1:], start=1):
        make_session(app, project, session_id=session_id, seq=seq, events=events)
    return session_id


@pytest.fixture
def sessions(app, project) -> dict[str, str]:
    return {
        # a console error, a failed request, nothing slow; checkout events
        "broken": _record(app, project, [
            meta_event(T0, URL), custom_event(T0 + 5, "checkout_started", {}), console_event(T0 + 10, "error", "boom"),
        ], [
            network_event(T0 + 900, network_request(URL + "api/pay", 500, T0 + 800, 100)),
            custom_event(T0 + 950, "payment_failed", {"code": 7}),
        ]),
        # slow (2.5 s in the second batch), no failure; warnings are not errors
        "slow": _record(app, project, [
            meta_event(T0 + 1000, URL), console_event(T0 + 1001, "warn", "slow"),
            network_event(T0 + 1900, network_request(URL + "a", 200, T0 + 1100, 800)),
        ], [
            network_event(T0 + 5000, network_request(URL + "b", 304, T0 + 2400, 2500)),
            custom_event(T0 + 5001, "checkout_started", {}),
        ]),
        # a request with no answer is failed; 1.2 s is slow only below 1.5 s
        "offline": _record(app, project, [
            meta_event(T0 + 2000, URL),
            network_event(T0 + 3300, network_request(URL + "c", None, T0 + 2100, 1200, error="network error")),
        ]),
        "quiet": _record(app, project, [meta_event(T0 + 3000, URL), custom_event(T0 + 3001, "$pageview", {"url": URL})]),
    }


def _ids(client, bearer, query: str) -> set[str]:
    response = client.get(f"/api/v1/sessions?{query}", headers=bearer)
    assert response.status_code == 200, response.get_json()
    return {session["id"] for session in response.get_json()["sessions"]}


def test_ingest_counts_console_errors_failed_requests_and_the_slowest(client, bearer, sessions):
    listed = {s["id"]: s for s in client.get("/api/v1/sessions", headers=bearer).get_json()["sessions"]}
    counters = {name: tuple(listed[sid][key] for key in ("console_error_count", "failed_request_count",
                                                          "slowest_request_ms")) for name, sid in sessions.items()}
    assert counters == {"broken": (1, 1, 100), "slow": (0, 0, 2500), "offline": (0, 1, 1200), "quiet": (0, 0, None)}
    detail = client.get(f"/api/v1/sessions/{sessions['slow']}", headers=bearer).get_json()
    assert (detail["console_error_count"], detail["failed_request_count"], detail["slowest_request_ms"]) == (0, 0, 2500)


def test_a_later_faster_batch_keeps_the_slowest_and_a_retry_counts_once(app, client, bearer, project, sessions):
    sid = sessions["slow"]
    make_session(app, project, session_id=sid, seq=2, events=[
        network_event(T0 + 6000, network_request(URL + "d", 404, T0 + 5900, 30)), console_event(T0 + 6001, "error", "x")])
    make_session(app, project, session_id=sid, seq=2, events=[  # the SDK retried it
        network_event(T0 + 6000, network_request(URL + "d", 404, T0 + 5900, 30)), console_event(T0 + 6001, "error", "x")])
    body = client.get(f"/api/v1/sessions/{sid}", headers=bearer).get_json()
    assert (body["console_error_count"], body["failed_request_count"], body["slowest_request_ms"]) == (1, 1, 2500)


def test_filters(client, bearer, sessions):
    s = sessions
    assert _ids(client, bearer, "console_errors=1") == {s["broken"]}
    assert _ids(client, bearer, "failed_requests=true") == {s["broken"], s["offline"]}
    assert _ids(client, bearer, "failed_requests=0") == set(s.values())  # 0: not filtered
    assert _ids(client, bearer, "slow_requests=2000") == {s["slow"]}
    assert _ids(client, bearer, "slow_requests=1s") == {s["slow"], s["offline"]}
    assert _ids(client, bearer, "slow_requests=1.5s") == {s["slow"]}
    assert _ids(client, bearer, "slow_requests=0") == {s["broken"], s["slow"], s["offline"]}
    assert _ids(client, bearer, "event=checkout_started") == {s["broken"], s["slow"]}
    assert _ids(client, bearer, "event=checkout_started&event=payment_failed") == {s["broken"]}
    assert _ids(client, bearer, "event=payment_failed&failed_requests=1&console_errors=1") == {s["broken"]}
    assert _ids(client, bearer, "event=never_sent") == set()
    assert _ids(client, bearer, "failed_requests=1&slow_requests=1s") == {s["offline"]}


def test_an_event_tag_longer_than_ingest_keeps_still_matches(app, client, bearer, project):
    tag = "t" * 300
    sid = _record(app, project, [meta_event(T0, URL), custom_event(T0 + 1, tag, {})])
    assert _ids(client, bearer, f"event={tag}") == {sid}


@pytest.mark.parametrize(("query", "parameter"), [
    ("console_errors=maybe", "console_errors"), ("failed_requests=2", "failed_requests"),
    ("slow_requests=fast", "slow_requests"), ("slow_requests=-5", "slow_requests"), ("slow_requests=2x", "slow_requests"),
    ("event=%24error", "event"),
])
def test_bad_values_are_400_naming_the_parameter(client, bearer, query, parameter):
    response = client.get(f"/api/v1/sessions?{query}", headers=bearer)
    assert response.status_code == 400
    assert response.get_json()["message"].startswith(parameter)


def test_the_sessions_page_takes_the_same_filters(client, auth, sessions):
    auth.login()
    page = client.get("/sessions?console_errors=1").get_data(as_text=True)
    assert sessions["broken"] in page and sessions["slow"] not in page
    bad = client.get("/sessions?slow_requests=soon").get_data(as_text=True)
    assert "slow_requests must be a duration" in bad
