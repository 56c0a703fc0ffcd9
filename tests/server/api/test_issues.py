"""The Issues API: signals grouped across sessions, a finding made from one with a note
at each sample moment, and ignore selectors validated as settings."""
from __future__ import annotations

import pytest

from server.storage.database import db
from server.storage.models import Signal
from tests.factories import T0, add_member, click_event, make_project, make_session, make_token, meta_event

DAY = 86_400_000


@pytest.fixture
def project(app):
    return make_project(app, "Shop")


def _session_with(app, project, *signals) -> str:
    sid = make_session(app, project, events=[meta_event(T0, "https://shop.test/cart"), click_event(T0 + 60_000)])
    with app.app_context():
        for kind, selector, at in signals:
            db.session.add(Signal(session_id=sid, kind=kind, ts=T0 + at, end_ts=T0 + at, url="https://shop.test/cart?c=1",
                                  x=1, y=1, target={"selector": selector, "tag": "button", "text": "Apply"} if selector else {},
                                  count=3, details={}))
        db.session.commit()
    return sid


def test_issues_group_signals_across_sessions(client, app, project):
    first = _session_with(app, project, ("rage_click", "#apply", 1000), ("rage_click", "#apply", 5000))
    second = _session_with(app, project, ("rage_click", "#apply", 2000), ("quick_back", None, 3000))
    headers = {"Authorization": f"Bearer {make_token(app)}"}
    answer = client.get(f"/api/v1/issues?project={project.id}&days=365", headers=headers).get_json()
    top = answer["issues"][0]
    assert (top["kind"], top["page"], top["selector"], top["text"], top["count"], top["sessions"]) == (
        "rage_click", "shop.test/cart", "#apply", "Apply", 3, 2)
    assert {s["session_id"] for s in top["samples"]} == {first, second}
    assert [i["kind"] for i in answer["issues"]] == ["rage_click", "quick_back"]
    only = client.get(f"/api/v1/issues?project={project.id}&days=365&kind=quick_back", headers=headers).get_json()
    assert [i["selector"] for i in only["issues"]] == [""]
    assert client.get(f"/api/v1/issues?project={project.id}&days=0", headers=headers).status_code == 400


def test_a_finding_from_an_issue_has_a_note_at_each_sample_moment(client, app, project):
    first = _session_with(app, project, ("rage_click", "#apply", 1000))
    second = _session_with(app, project, ("rage_click", "#apply", 2000))
    headers = {"Authorization": f"Bearer {make_token(app)}"}
    made = client.post("/api/v1/issues/findings", headers=headers,
                       json={"key": "rage_click|shop.test/cart|#apply", "project": project.id, "days": 365})
    assert made.status_code == 201, made.get_json()
    finding = made.get_json()
    assert finding["title"] == "Rage click on #apply (“Apply”) · shop.test/cart"
    assert finding["severity"] == 3 and "2 sessions" in finding["description"]
    moments = sorted((clip["session_id"], clip["offset_ms"]) for clip in finding["clips"])
    assert moments == sorted([(first, 1000), (second, 2000)])
    notes = client.get(f"/api/v1/annotations?finding={finding['id']}", headers=headers).get_json()["annotations"]
    assert len(notes) == 2 and all("issue" in note["tags"] for note in notes)
    missing = client.post("/api/v1/issues/findings", headers=headers,
                          json={"key": "rage_click|shop.test/cart|#nope", "project": project.id, "days": 365})
    assert missing.status_code == 404
    assert client.post("/api/v1/issues/findings", headers=headers, json={"project": project.id}).status_code == 400


def test_viewers_see_issues_but_make_no_findings(client, app, project):
    _session_with(app, project, ("rage_click", "#apply", 1000))
    add_member(app, "viewer@example.com", project, "viewer")
    headers = {"Authorization": f"Bearer {make_token(app, email='viewer@example.com')}"}
    assert client.get(f"/api/v1/issues?project={project.id}&days=365", headers=headers).status_code == 200
    assert client.post("/api/v1/issues/findings", headers=headers, json={
        "key": "rage_click|shop.test/cart|#apply", "project": project.id, "days": 365}).status_code == 403


def test_ignore_selectors_are_a_setting_refused_when_analysis_could_not_match_them(client, app, project):
    headers = {"Authorization": f"Bearer {make_token(app)}"}
    ok = client.patch(f"/api/v1/projects/{project.id}", headers=headers,
                      json={"detectors": {"ignore_selectors": [".carousel button", "#promo-close"]}})
    assert ok.status_code == 200 and ok.get_json()["detectors"]["ignore_selectors"] == [".carousel button", "#promo-close"]
    bad = client.patch(f"/api/v1/projects/{project.id}", headers=headers, json={"detectors": {"ignore_selectors": ["a:hover"]}})
    assert bad.status_code == 400 and ":hover" in bad.get_json()["message"]


def test_the_issues_page_lists_them_with_moments_to_watch(client, app, auth, project):
    sid = _session_with(app, project, ("rage_click", "#apply", 4000))
    auth.login()
    page = client.get(f"/issues?project={project.id}&days=365").get_data(as_text=True)
    assert "<code>#apply</code> “Apply”" in page and "shop.test/cart" in page
    assert f'href="/sessions/{sid}?t=4000"' in page and 'class="small make-finding"' in page
    assert "No issues in the last 30 days" in client.get("/issues?days=30&kind=dead_click").get_data(as_text=True)
