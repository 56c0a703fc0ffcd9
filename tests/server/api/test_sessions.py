"""Review API for sessions: who may read, filters, cursors, detail, events, delete."""
from __future__ import annotations

import orjson
import pytest
from sqlalchemy import func, select

from server.storage.database import db
from server.storage.models import Base, Signal
from tests.factories import T0, click_event, custom_event, make_project, make_session, make_token, meta_event


@pytest.fixture
def token(app):
    return make_token(app)


@pytest.fixture
def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def project(app):
    return make_project(app, "shop")


def _events(start: int, url: str, clicks: int = 1) -> list[dict]:
    events = [meta_event(start, url), custom_event(start + 1, "$pageview", {"url": url, "title": url})]
    events += [click_event(start + 100 * (n + 1)) for n in range(clicks)]
    return events


def test_project_key_and_strangers_read_nothing(client, project):
    make_session(client.application, project)
    assert client.get("/api/v1/sessions").status_code == 401
    assert client.get("/api/v1/sessions", headers={"X-Replaydesk-Key": project.key}).status_code == 401
    assert client.get(f"/api/v1/sessions?key={project.key}").status_code == 401
    assert client.get("/api/v1/sessions", headers={"Authorization": f"Bearer {project.key}"}).status_code == 401
    assert client.get("/api/v1/sessions", headers={"Authorization": "Bearer rdt_forged"}).status_code == 401


def test_bearer_token_reads_the_list(client, project, bearer):
    sid = make_session(client.application, project)
    body = client.get("/api/v1/sessions", headers=bearer).get_json()
    assert [s["id"] for s in body["sessions"]] == [sid]
    assert body["next_cursor"] is None


def test_signed_in_reviewer_reads_and_cookie_writes_need_csrf(client, auth, project):
    sid = make_session(client.application, project)
    assert auth.login().status_code == 302
    assert client.get("/api/v1/sessions").status_code == 200
    assert client.delete(f"/api/v1/sessions/{sid}").status_code == 400  # no CSRF token
    assert client.delete(f"/api/v1/sessions/{sid}", headers={"X-CSRFToken": auth.csrf_token()}).status_code == 200


def test_filters(client, project, bearer):
    cart = make_session(client.application, project, events=_events(T0, "https://shop.test/cart", clicks=3),
                        meta={"url": "https://shop.test/", "distinct_id": "u-1", "variants": {"checkout": "A"}})
    home = make_session(client.application, project, events=_events(T0 + 60_000, "https://shop.test/", clicks=1) + [click_event(T0 + 200_000)],
                        meta={"url": "https://shop.test/", "study": "s1", "participant": "p9", "variants": {"checkout": "B"}})
    add_signal(client.application, cart, "rage_click")

    def ids(query: str) -> list[str]:
        response = client.get(f"/api/v1/sessions?{query}", headers=bearer)
        assert response.status_code == 200, response.get_json()
        return [s["id"] for s in response.get_json()["sessions"]]

    assert ids("") == [home, cart]  # newest first
    assert ids("url=/cart") == [cart]
    assert ids("url=%25") == []  # LIKE wildcards are literal
    assert ids("signal=rage_click") == [cart]
    assert ids("signal=rage_click&signal=dead_click") == []
    assert ids("variant=checkout:B") == [home]
    assert ids("study=s1&participant=p9") == [home]
    assert ids("distinct_id=u-1") == [cart]
    assert ids("min_duration=100s") == [home]
    assert ids(f"since={T0 + 1}") == [home]
    assert ids(f"until={T0 + 1}") == [cart]
    assert ids("since=2026-01-01T00:00:00Z") == [home, cart]
    assert ids(f"project={project.id}") == [home, cart] == ids("project=shop")
    assert ids("sort=-duration") == [home, cart]


@pytest.mark.parametrize("query", ["since=yesterday", "variant=nocolon", "sort=name", "limit=0", "min_duration=soon",
                                   "cursor=garbage!", "project=nope"])
def test_bad_filters_are_400(client, bearer, query):
    response = client.get(f"/api/v1/sessions?{query}", headers=bearer)
    assert response.status_code == 400
    assert response.get_json()["ok"] is False


def test_cursor_pagination_visits_every_session_once(client, project, bearer):
    made = {make_session(client.application, project, events=_events(T0 + n * 1000, "https://shop.test/")) for n in range(7)}
    seen, cursor = [], None
    while True:
        query = "limit=3" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(f"/api/v1/sessions?{query}", headers=bearer).get_json()
        seen += [s["id"] for s in body["sessions"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 7 and set(seen) == made


def test_detail(client, project, bearer):
    events = _events(T0, "https://shop.test/") + _events(T0 + 5000, "https://shop.test/cart#top")
    sid = make_session(client.application, project, events=events, meta={"url": "https://shop.test/", "viewport": {"w": 1280, "h": 800}})
    body = client.get(f"/api/v1/sessions/{sid}", headers=bearer).get_json()
    assert body["id"] == sid
    assert body["pages"] == [  # a visit is named by its page: the fragment is not part of it
        {"url": "https://shop.test/", "title": "https://shop.test/", "entered": T0, "left": T0 + 5000},
        {"url": "https://shop.test/cart", "title": "https://shop.test/cart#top", "entered": T0 + 5000, "left": T0 + 5100},
    ]
    assert body["counts"]["events"] == len(events) and body["counts"]["clicks"] == 2
    assert body["analysis"]["status"] == "pending"
    assert body["raw_bytes"] == len(orjson.dumps(sorted(events, key=lambda e: e["timestamp"])))
    assert 0 < body["stored_bytes"] < body["raw_bytes"]
    assert body["viewport"] == {"w": 1280, "h": 800}
    assert client.get("/api/v1/sessions/unknown-session", headers=bearer).status_code == 404


def test_events_are_returned_exactly_and_paged(client, project, bearer):
    events = _events(T0, "https://shop.test/", clicks=9)
    events[2]["data"]["extra"] = {"unicode": "héllo ✓", "float": 1.5, "nested": [None, True]}
    sid = make_session(client.application, project, events=events)
    whole = client.get(f"/api/v1/sessions/{sid}/events", headers=bearer)
    assert whole.get_json() == events
    assert "Link" not in whole.headers
    collected, url = [], f"/api/v1/sessions/{sid}/events?limit=4"
    while url:
        page = client.get(url, headers=bearer)
        collected += page.get_json()
        link = page.headers.get("Link")
        url = link[link.index("/api/"):link.index(">")] if link else None
    assert collected == events
    assert client.get(f"/api/v1/sessions/{sid}/events?after=bad", headers=bearer).status_code == 400


def _row_counts(app) -> dict[str, int]:
    with app.app_context():
        return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def add_signal(app, session_id: str, kind: str) -> None:
    with app.app_context():
        db.session.add(Signal(session_id=session_id, kind=kind, ts=T0 + 100, end_ts=T0 + 300, url="https://shop.test/"))
        db.session.commit()


def test_delete_removes_every_row_and_blob(client, project, bearer):
    keep = make_session(client.application, project)
    before = _row_counts(client.application)
    sid = make_session(client.application, project, events=_events(T0, "https://shop.test/", clicks=3),
                       meta={"url": "https://shop.test/", "variants": {"exp": "A"}})
    add_signal(client.application, sid, "dead_click")
    response = client.delete(f"/api/v1/sessions/{sid}", headers=bearer)
    assert response.status_code == 200
    assert _row_counts(client.application) == before
    blobs = client.application.extensions["replaydesk"].blobs
    assert list(blobs.iter_keys(f"sessions/{sid}/")) == []
    assert list(blobs.iter_keys(f"sessions/{keep}/"))
    assert client.delete(f"/api/v1/sessions/{sid}", headers=bearer).status_code == 404
