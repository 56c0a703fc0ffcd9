"""Triage on the session list: watched and unwatched per reviewer, saved views, device,
browser and participant columns (participants found by their label), the total count,
several signals meaning all of them, and what an empty list says."""
from __future__ import annotations

import re

import pytest

from server.storage import studies
from server.storage.database import db
from server.storage.models import SessionWatch, Signal
from server.storage.removal import delete_session
from server.runtime import current_runtime
from tests.factories import T0, click_event, make_project, make_session, make_token, meta_event

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.4 Mobile/15E148 Safari/604.1")


def rows_of(html: str) -> dict[str, str]:
    """``{session_id: its row's HTML}`` of the session list."""
    return {m.group(1): m.group(0) for m in re.finditer(r'<tr data-href="/sessions/([^"]+)"[^>]*>.*?</tr>', html, re.S)}


@pytest.fixture
def project(app):
    return make_project(app, "Shop")


def _session(app, project, *, user_agent="pytest", width=1280, **meta) -> str:
    return make_session(app, project, events=[meta_event(T0), click_event(T0 + 100)],
                        meta={"url": "https://shop.test/", "user_agent": user_agent, "viewport": {"w": width, "h": 844},
                              **meta})


def test_watched_is_per_reviewer_and_filters(client, app, auth, project):
    first, second = _session(app, project), _session(app, project)
    auth.login("ana@example.com")
    rows = rows_of(client.get("/").get_data(as_text=True))
    assert 'class="unwatched"' in rows[first] and "Not watched yet" in rows[first]
    assert client.get(f"/sessions/{first}").status_code == 200
    rows = rows_of(client.get("/").get_data(as_text=True))
    assert 'class="watched"' in rows[first] and 'class="unwatched"' in rows[second]
    assert set(rows_of(client.get("/?watched=0").get_data(as_text=True))) == {second}
    assert set(rows_of(client.get("/?watched=1").get_data(as_text=True))) == {first}
    token = make_token(app, email="ana@example.com")
    listed = client.get("/api/v1/sessions?watched=1", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert [row["id"] for row in listed["sessions"]] == [first]
    assert client.get("/api/v1/sessions?watched=maybe", headers={"Authorization": f"Bearer {token}"}).status_code == 400

    client.post("/auth/logout", data={"csrf_token": auth.csrf_token()})
    auth.login("ben@example.com")  # someone else has watched nothing
    assert set(rows_of(client.get("/?watched=0").get_data(as_text=True))) == {first, second}


def test_a_deleted_session_takes_its_watch_marks(client, app, auth, project):
    sid = _session(app, project)
    auth.login()
    client.get(f"/sessions/{sid}")
    with app.app_context():
        assert db.session.query(SessionWatch).count() == 1
        delete_session(current_runtime().blobs, sid)
        assert db.session.query(SessionWatch).count() == 0


def test_device_browser_and_participant_columns(client, app, auth, project):
    with app.app_context():
        study = studies.create_study(project.id, {"name": "Checkout study", "product_url": "https://shop.test/"}, now_ms=T0)
        maria = studies.add_participant(study.id, "Maria", now_ms=T0)
        slug, code = study.slug, maria.code
    phone = _session(app, project, user_agent=IPHONE, width=390, study=slug, participant=code)
    desk = _session(app, project)
    auth.login()
    html = client.get("/").get_data(as_text=True)
    rows = rows_of(html)
    assert "Mobile" in rows[phone] and "390×844" in rows[phone] and "Safari 17 · iOS" in rows[phone]
    assert "Desktop" in rows[desk] and "1280×844" in rows[desk]
    assert ">Maria</a>" in rows[phone] and "<th>Participant</th>" in html
    assert "<th>Variant</th>" not in html  # no row has one: the column leaves its width to the others
    for value in ("Maria", code):
        assert set(rows_of(client.get(f"/?participant={value}").get_data(as_text=True))) == {phone}
    assert rows_of(client.get("/?participant=Nobody").get_data(as_text=True)) == {}
    token = make_token(app)
    listed = client.get("/api/v1/sessions?participant=Maria", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert [row["id"] for row in listed["sessions"]] == [phone]
    assert listed["sessions"][0]["device"] == {"class": "mobile", "browser": "Safari 17", "system": "iOS",
                                               "viewport": {"w": 390, "h": 844}}


def test_total_count_and_several_signals_mean_all(client, app, auth, project):
    sessions = [_session(app, project) for _ in range(3)]
    with app.app_context():
        for kind in ("rage_click", "dead_click"):
            db.session.add(Signal(session_id=sessions[0], kind=kind, ts=T0 + 100, end_ts=T0 + 100, url="https://shop.test/",
                                  x=1, y=1, target={}, count=1, details={}))
        db.session.add(Signal(session_id=sessions[1], kind="rage_click", ts=T0 + 100, end_ts=T0 + 100,
                              url="https://shop.test/", x=1, y=1, target={}, count=1, details={}))
        db.session.commit()
    auth.login()
    assert ">3 sessions<" in client.get("/").get_data(as_text=True)
    both = client.get("/?signal=rage_click&signal=dead_click").get_data(as_text=True)
    assert set(rows_of(both)) == {sessions[0]} and ">1 session<" in both
    assert "all of them, not any" in both and "<strong>and</strong>" in both
    assert "Tick several to find sessions with <strong>all</strong> of them" in both


def test_empty_lists_say_what_to_do(client, app, auth, project):
    auth.login()
    first_run = client.get("/").get_data(as_text=True)
    assert "No sessions recorded yet" in first_run and "Widen the filters" not in first_run
    filtered = client.get("/?signal=rage_click").get_data(as_text=True)
    assert "No sessions match" in filtered and "No sessions recorded yet" not in filtered


def test_saved_views_are_the_reviewers_own(client, app, auth, project):
    ana = {"Authorization": f"Bearer {make_token(app, email='ana@example.com')}"}
    ben = {"Authorization": f"Bearer {make_token(app, email='ben@example.com')}"}
    made = client.post("/api/v1/views", headers=ana, json={"name": " Rage on checkout ",
                                                           "query": "?signal=rage_click&url=/checkout&cursor=abc"})
    assert made.status_code == 201 and made.get_json()["query"] == "signal=rage_click&url=/checkout"
    again = client.post("/api/v1/views", headers=ana, json={"name": "Rage on checkout", "query": "signal=dead_click"})
    assert again.get_json()["id"] == made.get_json()["id"]  # the same name takes the new filters
    assert [(v["name"], v["query"]) for v in client.get("/api/v1/views", headers=ana).get_json()["views"]] == [
        ("Rage on checkout", "signal=dead_click")]
    assert client.get("/api/v1/views", headers=ben).get_json()["views"] == []
    view_id = made.get_json()["id"]
    assert client.delete(f"/api/v1/views/{view_id}", headers=ben).status_code == 404
    for body in (None, {"name": ""}, {"name": "x" * 201, "query": ""}, {"name": 5}, {"name": "q", "query": ["a"]}):
        assert client.post("/api/v1/views", headers=ana, json=body).status_code == 400, body
    assert client.delete(f"/api/v1/views/{view_id}", headers=ana).get_json()["deleted"] == view_id
    assert client.get("/api/v1/views", headers=ana).get_json()["views"] == []


def test_the_list_offers_saved_views(client, app, auth, project):
    auth.login("ana@example.com")
    page = client.get("/").get_data(as_text=True)
    assert 'id="save-view" disabled' in page  # nothing to save without a filter
    token = auth.csrf_token()
    client.post("/api/v1/views", json={"name": "Frustrated first", "query": "sort=-frustration"},
                headers={"X-CSRFToken": token})
    page = client.get("/?sort=-frustration").get_data(as_text=True)
    assert '<a href="/?sort=-frustration" aria-current="true">Frustrated first</a>' in page
    assert 'id="save-view" disabled' not in page
