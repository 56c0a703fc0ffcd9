"""Share links: made by a project member, opened without signing in, reading that one
session's replay (up to the end of its range) and nothing else, ended by revocation or
expiry (410) and by the session's deletion (404)."""
from __future__ import annotations

import orjson
import pytest

from tests.factories import T0, click_event, make_project, make_session, meta_event


@pytest.fixture
def clock(app):
    now = {"ms": T0 + 60_000}
    app.extensions["replaydesk"].now_ms = lambda: now["ms"]
    return now


@pytest.fixture
def recorded(app, client, bearer):
    """A 20-second session with a note on it; its id."""
    project = make_project(app)
    session = make_session(app, project, events=[meta_event(T0)] + [click_event(T0 + s * 1000) for s in range(1, 21)])
    client.post(f"/api/v1/sessions/{session}/annotations", headers=bearer, json={"ts": 5000, "text": "private remark"})
    return session


def share(client, bearer, session: str, **body) -> dict:
    answer = client.post(f"/api/v1/sessions/{session}/shares", headers=bearer, json=body)
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_a_share_link_opens_the_replay_without_signing_in(app, client, bearer, recorded, clock):
    link = share(client, bearer, recorded)
    assert link["url"] == f"http://replaydesk.test/share/{link['token']}"
    assert link["expires_at"] == clock["ms"] + 30 * 24 * 3600 * 1000  # 30 days unless asked otherwise
    visitor = app.test_client()  # no cookie, no token
    page = visitor.get(f"/share/{link['token']}")
    assert page.status_code == 200 and "Shared replay" in page.get_data(as_text=True)
    assert "private remark" not in page.get_data(as_text=True)  # notes are not shared
    events = orjson.loads(visitor.get(f"/share/{link['token']}/events").data)
    assert len(events) == 21 and events[0]["type"] == 4


def test_a_range_ends_the_events_at_its_end(app, client, bearer, recorded):
    link = share(client, bearer, recorded, from_ms=5000, to_ms=10_000)
    events = orjson.loads(app.test_client().get(f"/share/{link['token']}/events").data)
    assert [e["timestamp"] - T0 for e in events] == [0, *range(1000, 10_001, 1000)]  # from the start: state to show at 5 s
    data = app.test_client().get(f"/share/{link['token']}").get_data(as_text=True)
    assert '"from_ms": 5000' in data and '"to_ms": 10000' in data


def test_the_token_reads_nothing_else(app, client, bearer, recorded):
    link = share(client, bearer, recorded)
    visitor = app.test_client()
    as_bearer = {"Authorization": f"Bearer {link['token']}"}
    for path in ("/api/v1/sessions", f"/api/v1/sessions/{recorded}", f"/api/v1/sessions/{recorded}/events",
                 f"/api/v1/sessions/{recorded}/annotations", "/api/v1/findings"):
        assert visitor.get(path, headers=as_bearer).status_code == 401, path
    assert visitor.get(f"/sessions/{recorded}").status_code == 302  # the review UI wants a login
    assert visitor.get(f"/share/{link['token']}/assets/{'a' * 64}").status_code == 404  # not this session's asset
    other = make_session(app, make_project(app), events=[meta_event(T0), click_event(T0 + 500)])
    assert visitor.get(f"/share/{link['token']}/../{other}/events").status_code == 404


def test_revoking_ends_the_link_at_once(app, client, bearer, recorded):
    link = share(client, bearer, recorded)
    project_id = client.get(f"/api/v1/sessions/{recorded}", headers=bearer).get_json()["project_id"]
    listed = client.get(f"/api/v1/projects/{project_id}/shares", headers=bearer).get_json()["shares"]
    assert [s["token"] for s in listed] == [link["token"]]
    assert client.delete(f"/api/v1/shares/{link['token']}", headers=bearer).status_code == 204
    visitor = app.test_client()
    for path in (f"/share/{link['token']}", f"/share/{link['token']}/events"):
        answer = visitor.get(path)
        assert answer.status_code == 410 and b"revoked" in answer.data, path
    assert client.get(f"/api/v1/projects/{project_id}/shares", headers=bearer).get_json()["shares"] == []
    assert client.delete(f"/api/v1/shares/{link['token']}", headers=bearer).status_code == 204  # again: still revoked


def test_an_expired_link_answers_410_and_a_deleted_session_404(app, client, bearer, recorded, clock):
    link = share(client, bearer, recorded, expires_in=3600)
    visitor = app.test_client()
    assert visitor.get(f"/share/{link['token']}").status_code == 200
    clock["ms"] += 3600 * 1000
    assert visitor.get(f"/share/{link['token']}").status_code == 410
    fresh = share(client, bearer, recorded)
    assert client.delete(f"/api/v1/sessions/{recorded}", headers=bearer).status_code == 200
    assert visitor.get(f"/share/{fresh['token']}").status_code == 404
    assert visitor.get("/share/no-such-token").status_code == 404


@pytest.mark.parametrize("body, message", [
    ({"from_ms": 8000, "to_ms": 8000}, "after from_ms"),
    ({"from_ms": 30_000}, "from 0 to 20000"),
    ({"to_ms": -1}, "to_ms"),
    ({"from_ms": "5s"}, "from_ms"),
    ({"expires_in": 10}, "expires_in"),
    ({"expires_in": 10 * 365 * 24 * 3600}, "expires_in"),
    ([1, 2], "JSON object"),
])
def test_bad_share_requests_are_refused_and_nothing_is_stored(client, bearer, recorded, body, message):
    answer = client.post(f"/api/v1/sessions/{recorded}/shares", headers=bearer, json=body)
    assert answer.status_code == 400 and message in answer.get_json()["message"]
    project_id = client.get(f"/api/v1/sessions/{recorded}", headers=bearer).get_json()["project_id"]
    assert client.get(f"/api/v1/projects/{project_id}/shares", headers=bearer).get_json()["shares"] == []


def test_a_body_that_is_not_json_is_refused_and_nothing_is_stored(client, bearer, recorded):
    answer = client.post(f"/api/v1/sessions/{recorded}/shares", headers={**bearer, "Content-Type": "application/json"},
                         data="{from_ms: 5000")
    assert answer.status_code == 400 and "JSON object" in answer.get_json()["message"]
    project_id = client.get(f"/api/v1/sessions/{recorded}", headers=bearer).get_json()["project_id"]
    assert client.get(f"/api/v1/projects/{project_id}/shares", headers=bearer).get_json()["shares"] == []
