"""Findings: group notes of several sessions, edit, board filters, delete, export."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from server.storage.database import db
from server.storage.models import Finding
from tests.factories import T0, click_event, make_project, make_session, make_token, meta_event


@pytest.fixture
def bearer(app):
    return {"Authorization": f"Bearer {make_token(app, name='bob')}"}


@pytest.fixture
def notes(client, app, bearer):
    """Two notes on one session and one on another, all in the same project."""
    project = make_project(app)
    first = make_session(app, project, events=[meta_event(T0), click_event(T0 + 90_000)])
    second = make_session(app, project, events=[meta_event(T0 + 5), click_event(T0 + 60_000)])

    def note(session_id: str, ts: int, text: str) -> dict:
        response = client.post(f"/api/v1/sessions/{session_id}/annotations", headers=bearer, json={"ts": ts, "text": text})
        assert response.status_code == 201
        return response.get_json()

    return [note(first, 42_000, "Apply gives no feedback"), note(first, 80_000, "rage on <script>alert(1)</script>"),
            note(second, 12_345, "gives up on coupon")]


def _count(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Finding)).scalar()


def test_group_notes_of_several_sessions_into_a_finding(client, bearer, notes):
    response = client.post("/api/v1/findings", headers=bearer, json={
        "title": "Coupon field gives no feedback", "description": "Users press Apply again and again.",
        "severity": 3, "tags": ["checkout"], "variant": "checkout-redesign:A",
        "evidence": [notes[2]["id"], notes[0]["id"]],
    })
    assert response.status_code == 201, response.get_json()
    finding = response.get_json()
    assert finding["status"] == "open" and finding["author"] == "token-owner@example.com" and finding["project_id"] is not None
    assert finding["evidence"] == [notes[0]["id"], notes[2]["id"]]  # in the order the notes were taken
    clip = finding["clips"][1]
    assert clip["session_id"] == notes[2]["session_id"] and clip["offset_ms"] == 12_345
    assert clip["link"] == f"http://replaydesk.test/sessions/{notes[2]['session_id']}?t=12345"
    assert clip["page_url"] == "https://shop.test/"
    note = client.get(f"/api/v1/annotations/{notes[0]['id']}", headers=bearer).get_json()
    assert note["finding_id"] == finding["id"]
    assert client.get(f"/api/v1/findings/{finding['id']}", headers=bearer).get_json() == finding


@pytest.mark.parametrize("payload", [
    None, {}, {"title": ""}, {"title": "x" * 301}, {"title": "t", "severity": 7}, {"title": "t", "status": "done"},
    {"title": "t", "tags": "a"}, {"title": "t", "variant": "nocolon"}, {"title": "t", "variant": ":B"},
    {"title": "t", "evidence": [999]}, {"title": "t", "evidence": "1"}, {"title": "t", "evidence": [True]},
    {"title": "t", "description": 5},
])
def test_bad_input_is_400_and_stores_nothing(client, app, bearer, notes, payload):
    if payload and payload.get("evidence") == [999]:
        payload = {**payload, "evidence": [notes[0]["id"], 999]}  # one good id does not make it through
    response = client.post("/api/v1/findings", headers=bearer, json=payload)
    assert response.status_code == 400 and response.get_json()["ok"] is False
    assert _count(app) == 0
    assert client.get(f"/api/v1/annotations/{notes[0]['id']}", headers=bearer).get_json()["finding_id"] is None


def test_edit_status_and_replace_evidence(client, bearer, notes):
    finding = client.post("/api/v1/findings", headers=bearer, json={"title": "T", "evidence": [notes[0]["id"]]}).get_json()
    url = f"/api/v1/findings/{finding['id']}"
    edited = client.patch(url, headers=bearer, json={"status": "accepted", "evidence": [notes[1]["id"], notes[2]["id"]]})
    assert edited.status_code == 200
    assert edited.get_json()["status"] == "accepted" and edited.get_json()["evidence"] == [notes[1]["id"], notes[2]["id"]]
    assert client.get(f"/api/v1/annotations/{notes[0]['id']}", headers=bearer).get_json()["finding_id"] is None
    for bad in ({"status": None}, {"status": "later"}, {"title": ""}, {"evidence": [12345]}, {"severity": None}):
        assert client.patch(url, headers=bearer, json=bad).status_code == 400, bad
    assert client.get(url, headers=bearer).get_json()["status"] == "accepted"
    assert client.patch("/api/v1/findings/999", headers=bearer, json={"title": "x"}).status_code == 404


def test_a_note_backs_one_finding_at_most(client, bearer, notes):
    first = client.post("/api/v1/findings", headers=bearer, json={"title": "A", "evidence": [notes[0]["id"]]}).get_json()
    client.post("/api/v1/findings", headers=bearer, json={"title": "B", "evidence": [notes[0]["id"]]})
    assert client.get(f"/api/v1/findings/{first['id']}", headers=bearer).get_json()["evidence"] == []


def test_list_filters_and_delete_keeps_the_notes(client, bearer, notes):
    made = [client.post("/api/v1/findings", headers=bearer, json=body).get_json() for body in (
        {"title": "Minor thing", "severity": 1, "tags": ["Copy"]},
        {"title": "Checkout blocks", "severity": 4, "status": "fixed", "evidence": [notes[1]["id"]]},
    )]

    def titles(query: str = "") -> list[str]:
        return [f["title"] for f in client.get(f"/api/v1/findings?{query}", headers=bearer).get_json()["findings"]]

    assert titles() == ["Checkout blocks", "Minor thing"]  # most severe first
    assert titles("status=fixed") == ["Checkout blocks"]
    assert titles("q=minor") == ["Minor thing"] and titles("tag=copy") == ["Minor thing"]
    assert client.get("/api/v1/findings?status=nope", headers=bearer).status_code == 400
    assert client.delete(f"/api/v1/findings/{made[1]['id']}", headers=bearer).get_json()["deleted"] == made[1]["id"]
    assert titles() == ["Minor thing"]
    assert client.get(f"/api/v1/annotations/{notes[1]['id']}", headers=bearer).get_json()["finding_id"] is None


def test_export_markdown_and_csv_with_deep_links(client, bearer, notes):
    client.post("/api/v1/findings", headers=bearer, json={
        "title": "Coupon <b>feedback</b>", "description": "=HYPERLINK(\"evil\")", "severity": 3,
        "evidence": [notes[0]["id"], notes[1]["id"]], "variant": "checkout-redesign:A"})
    md = client.get("/api/v1/findings/export?format=md", headers=bearer)
    assert md.status_code == 200 and md.mimetype == "text/markdown"
    assert "attachment" in md.headers["Content-Disposition"]
    text = md.get_data(as_text=True)
    sid = notes[0]["session_id"]
    assert "Coupon \\<b\\>feedback\\</b\\>" in text  # escaped: renders as text, not HTML
    assert f"(http://replaydesk.test/sessions/{sid}?t=42000)" in text and "at 0:42" in text
    assert "\\<script\\>alert(1)\\</script\\>" in text and "<script>" not in text
    sheet = client.get("/api/v1/findings/export?format=csv", headers=bearer)
    assert sheet.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(sheet.get_data(as_text=True))))
    assert len(rows) == 1 and rows[0]["title"] == "Coupon <b>feedback</b>"
    assert rows[0]["description"].startswith("'=")  # not evaluated by spreadsheets
    assert f"http://replaydesk.test/sessions/{sid}?t=80000" in rows[0]["evidence"]
    assert rows[0]["evidence_count"] == "2" and rows[0]["variant"] == "checkout-redesign:A"
    assert client.get("/api/v1/findings/export?format=pdf", headers=bearer).status_code == 400
    assert client.get("/api/v1/findings/export?format=md").status_code == 401
