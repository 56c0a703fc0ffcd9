"""Notes on sessions: who may write, ts in both forms, validation stores nothing, edit, delete."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from server.storage.database import db
from server.storage.models import Annotation
from tests.factories import T0, click_event, make_project, make_session, make_token, meta_event


@pytest.fixture
def bearer(app):
    return {"Authorization": f"Bearer {make_token(app, name='alice')}"}


@pytest.fixture
def session_id(app):
    events = [meta_event(T0), click_event(T0 + 100), click_event(T0 + 60_000)]
    return make_session(app, make_project(app), events=events)


def _count(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Annotation)).scalar()


def test_add_with_offset_or_epoch_and_list_in_time_order(client, bearer, session_id):
    url = f"/api/v1/sessions/{session_id}/annotations"
    late = client.post(url, headers=bearer, json={"ts": T0 + 30_000, "text": "Coupon gives no feedback",
                                                  "tags": ["coupon", "Feedback", "coupon "], "severity": 3})
    assert late.status_code == 201, late.get_json()
    early = client.post(url, headers=bearer, json={"ts": 1500, "text": "  hesitates  "}).get_json()
    assert early["ts"] == T0 + 1500 and early["offset_ms"] == 1500 and early["text"] == "hesitates"
    assert early["severity"] == 2 and early["tags"] == [] and early["author"] == "token-owner@example.com"
    body = late.get_json()
    assert body["ts"] == T0 + 30_000 and body["offset_ms"] == 30_000
    assert body["tags"] == ["coupon", "Feedback"]  # trimmed, de-duplicated ignoring case
    listed = client.get(url, headers=bearer).get_json()["annotations"]
    assert [a["id"] for a in listed] == [early["id"], body["id"]]
    detail = client.get(f"/api/v1/sessions/{session_id}", headers=bearer).get_json()
    assert [a["text"] for a in detail["annotations"]] == ["hesitates", "Coupon gives no feedback"]


def test_author_is_the_reviewer_not_the_body(client, bearer, session_id):
    body = client.post(f"/api/v1/sessions/{session_id}/annotations", headers=bearer,
                       json={"ts": 0, "text": "x", "author": "mallory"}).get_json()
    assert body["author"] == "token-owner@example.com"


@pytest.mark.parametrize("payload", [
    None, [], {"text": "no ts"}, {"ts": "10", "text": "x"}, {"ts": True, "text": "x"}, {"ts": -5, "text": "x"},
    {"ts": 10 * 3600 * 1000, "text": "far past the end"}, {"ts": T0 - 3_600_000, "text": "before the start"},
    {"ts": 0}, {"ts": 0, "text": "   "}, {"ts": 0, "text": 5}, {"ts": 0, "text": "x" * 10_001},
    {"ts": 0, "text": "x", "severity": 5}, {"ts": 0, "text": "x", "severity": 0}, {"ts": 0, "text": "x", "severity": "3"},
    {"ts": 0, "text": "x", "severity": True}, {"ts": 0, "text": "x", "tags": "ux"}, {"ts": 0, "text": "x", "tags": [""]},
    {"ts": 0, "text": "x", "tags": [1]}, {"ts": 0, "text": "x", "tags": ["t"] * 21},
    {"ts": 0, "text": "x", "finding_id": 999}, {"ts": 0, "text": "x", "finding_id": "1"},
])
def test_bad_input_is_400_and_stores_nothing(client, app, bearer, session_id, payload):
    response = client.post(f"/api/v1/sessions/{session_id}/annotations", headers=bearer, json=payload)
    assert response.status_code == 400, payload
    assert response.get_json()["ok"] is False and response.get_json()["error"] == "bad_request"
    assert _count(app) == 0


def test_unknown_session_is_404_and_strangers_are_401(client, bearer, session_id):
    assert client.post("/api/v1/sessions/nope-nope-nope/annotations", headers=bearer,
                       json={"ts": 0, "text": "x"}).status_code == 404
    assert client.get(f"/api/v1/sessions/{session_id}/annotations").status_code == 401
    assert client.post(f"/api/v1/sessions/{session_id}/annotations", json={"ts": 0, "text": "x"}).status_code == 401
    assert client.patch("/api/v1/annotations/1", json={"text": "x"}).status_code == 401


def test_cookie_writes_need_the_csrf_header(client, auth, session_id):
    auth.login()
    url = f"/api/v1/sessions/{session_id}/annotations"
    assert client.post(url, json={"ts": 0, "text": "x"}).status_code == 400
    created = client.post(url, json={"ts": 0, "text": "x"}, headers={"X-CSRFToken": auth.csrf_token()})
    assert created.status_code == 201 and created.get_json()["author"] == "reviewer@example.com"


def test_edit_and_delete(client, app, bearer, session_id):
    note = client.post(f"/api/v1/sessions/{session_id}/annotations", headers=bearer,
                       json={"ts": 100, "text": "first", "tags": ["a"]}).get_json()
    url = f"/api/v1/annotations/{note['id']}"
    edited = client.patch(url, headers=bearer, json={"text": "second", "severity": 4, "ts": 2000})
    assert edited.status_code == 200
    body = edited.get_json()
    assert (body["text"], body["severity"], body["offset_ms"], body["tags"]) == ("second", 4, 2000, ["a"])
    assert client.patch(url, headers=bearer, json={"text": "third", "severity": 9}).status_code == 400
    assert client.get(url, headers=bearer).get_json()["text"] == "second"  # nothing half-applied
    assert client.patch("/api/v1/annotations/999", headers=bearer, json={"text": "x"}).status_code == 404
    assert client.delete(url, headers=bearer).get_json() == {"ok": True, "deleted": note["id"]}
    assert client.get(url, headers=bearer).status_code == 404
    assert _count(app) == 0


def test_cross_session_list_filters(client, app, bearer, session_id):
    other = make_session(app, make_project(app), events=[meta_event(T0), click_event(T0 + 10)])
    a = client.post(f"/api/v1/sessions/{session_id}/annotations", headers=bearer, json={"ts": 0, "text": "Alpha 50%"}).get_json()
    b = client.post(f"/api/v1/sessions/{other}/annotations", headers=bearer, json={"ts": 0, "text": "beta"}).get_json()
    finding = client.post("/api/v1/findings", headers=bearer, json={"title": "F", "evidence": [b["id"]]}).get_json()

    def ids(query: str) -> list[int]:
        return [n["id"] for n in client.get(f"/api/v1/annotations?{query}", headers=bearer).get_json()["annotations"]]

    assert ids("") == [b["id"], a["id"]]
    assert ids("unassigned=1") == [a["id"]]
    assert ids(f"finding={finding['id']}") == [b["id"]]
    assert ids("q=ALPHA") == [a["id"]] and ids("q=50%25") == [a["id"]] and ids("q=%25%25") == []
    assert ids(f"before={b['id']}") == [a["id"]]
    assert client.get("/api/v1/annotations?limit=0", headers=bearer).status_code == 400
