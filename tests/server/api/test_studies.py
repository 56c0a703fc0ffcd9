"""Studies: tasks, invite links with the study context, the SDK's task list, the report."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import orjson
import pytest

from tests.factories import T0, batch_payload, click_event, custom_event, make_project, meta_event


@pytest.fixture
def project(app):
    return make_project(app, "study-project")


STUDY = {"name": "Checkout study", "product_url": "https://shop.test/?ref=study#top", "tasks": [
    {"task_id": "buy", "title": "Buy a blanket", "instructions": "Find the linen throw and buy it",
     "success_url": "*/thanks*"},
    {"title": "Find the return policy"},
]}


def _participant_session(client, key, study, code, events, n):
    payload = batch_payload(f"participant-session-{n}", events=events,
                            meta={"url": study["product_url"], "study": study["slug"], "participant": code})
    assert client.post("/api/v1/ingest", data=orjson.dumps(payload), headers={"X-Replaydesk-Key": key}).status_code == 200


def test_study_end_to_end_through_the_api(client, bearer, project):
    created = client.post("/api/v1/studies", json={**STUDY, "project": project.id}, headers=bearer)
    assert created.status_code == 201
    study = created.get_json()
    assert [t["task_id"] for t in study["tasks"]] == ["buy", "find-the-return-policy"]
    participants = [client.post(f"/api/v1/studies/{study['id']}/participants", json={"label": f"P{n}"}, headers=bearer).get_json()
                    for n in (1, 2)]
    invite = urlparse(participants[0]["invite_url"])
    query = parse_qs(invite.query)
    assert query["rd_study"] == [study["slug"]] and query["rd_participant"] == [participants[0]["code"]]
    assert query["ref"] == ["study"] and invite.fragment == "top"

    tasks = client.get(f"/api/v1/studies/{study['slug']}/tasks?key={project.key}").get_json()
    assert [t["task_id"] for t in tasks["tasks"]] == ["buy", "find-the-return-policy"]

    done = [meta_event(T0), custom_event(T0 + 10, "$task", {"task_id": "buy", "status": "start"}), click_event(T0 + 500),
            custom_event(T0 + 19_000, "$pageview", {"url": "https://shop.test/thanks"}),
            custom_event(T0 + 20_010, "$task", {"task_id": "buy", "status": "complete"}),
            custom_event(T0 + 22_000, "$answer", {"question": "seq", "value": 6, "task_id": "buy"}),
            custom_event(T0 + 23_000, "$answer", {"question": "comment", "value": "Nice <b>shop</b>"}),
            custom_event(T0 + 23_500, "$answer", {"question": "seq", "value": True}),  # malformed: not stored
            custom_event(T0 + 24_000, "$answer", {"value": 3})]  # no question: not stored
    gave_up = [meta_event(T0), custom_event(T0 + 10, "$task", {"task_id": "buy", "status": "start"}),
               custom_event(T0 + 5_010, "$task", {"task_id": "buy", "status": "give_up"})]
    claimed = [meta_event(T0), custom_event(T0 + 10, "$task", {"task_id": "buy", "status": "start"}),
               custom_event(T0 + 7_010, "$task", {"task_id": "buy", "status": "complete"})]  # Done, no thanks page
    _participant_session(client, project.key, study, participants[0]["code"], done, 1)
    _participant_session(client, project.key, study, participants[1]["code"], gave_up, 2)
    _participant_session(client, project.key, study, "p-walk-in", claimed, 3)

    report = client.get(f"/api/v1/studies/{study['id']}/report", headers=bearer).get_json()
    buy = report["tasks"][0]
    assert report["sessions"] == 3
    assert buy["completion"]["successes"] == 1 and buy["completion"]["n"] == 3
    assert buy["outcomes"] == {"success": 1, "fail": 1, "give_up": 1, "abandon": 0}
    assert buy["time_on_task"] == {"n": 1, "geometric_mean_ms": 20_000, "ci_ms": None}
    assert {a["link"].split("?t=")[1] for a in buy["attempts"]} == {"10"}
    by_participant = {p["participant"]: p["tasks"]["buy"]["words"] for p in report["participants"]}
    assert by_participant == {participants[0]["code"]: "Success (direct)", participants[1]["code"]: "Gave up",
                              "p-walk-in": "Failed"}
    answers = {p["participant"]: p["answers"] for p in report["participants"]}
    assert answers[participants[0]["code"]] == [
        {"question": "seq", "task_id": "buy", "value": "6", "session_id": "participant-session-1", "at_ms": 22_000},
        {"question": "comment", "task_id": None, "value": "Nice <b>shop</b>", "session_id": "participant-session-1",
         "at_ms": 23_000}]
    assert answers["p-walk-in"] == []

    markdown = client.get(f"/api/v1/studies/{study['id']}/report?format=md", headers=bearer)
    assert markdown.headers["Content-Type"].startswith("text/markdown")
    assert f'filename="{study["slug"]}-report.md"' in markdown.headers["Content-Disposition"]
    assert "| Buy a blanket | 33% (1/3) | 6%–80% | Success 1 (1 direct, 0 indirect) · Failed 1 · Gave up 1 | 20.0 s" \
        in markdown.get_data(as_text=True)  # 1 of 3: (1 + 1.9208) / 6.8416 = 0.4269 ± 0.3706 → 0.0563 … 0.7976
    sheet = client.get(f"/api/v1/studies/{study['id']}/report?format=csv", headers=bearer)
    assert sheet.headers["Content-Type"].startswith("text/csv") and "Success,direct,20.0,6" in sheet.get_data(as_text=True)
    assert client.get(f"/api/v1/studies/{study['id']}/report?format=pdf", headers=bearer).status_code == 400


@pytest.mark.parametrize("body", [
    {"name": "", "product_url": "https://x.test"},
    {"name": "S", "product_url": "javascript:alert(1)"},
    {"name": "S", "product_url": "https://x.test", "tasks": [{"title": ""}]},
    {"name": "S", "product_url": "https://x.test", "tasks": [{"title": "a", "task_id": "t"}, {"title": "b", "task_id": "t"}]},
    {"name": "S", "product_url": "https://x.test", "slug": "Not A Slug"},
    {"name": "S", "product_url": "https://x.test", "think_aloud": "yes"},
])
def test_bad_studies_are_refused_and_nothing_is_stored(client, bearer, project, body):
    response = client.post("/api/v1/studies", json=body, headers=bearer)
    assert response.status_code == 400 and response.get_json()["message"]
    assert client.get("/api/v1/studies", headers=bearer).get_json()["studies"] == []


def test_study_tasks_need_the_project_key(client, bearer, project, app):
    study = client.post("/api/v1/studies", json={**STUDY, "project": project.id}, headers=bearer).get_json()
    other = make_project(app, "other")
    assert client.get(f"/api/v1/studies/{study['slug']}/tasks").status_code == 401
    assert client.get(f"/api/v1/studies/{study['slug']}/tasks?key={other.key}").status_code == 404


def test_invite_link_keeps_a_hash_route_intact():
    from server.storage.models import Participant, Study
    from server.storage.studies import invite_url

    study = Study(slug="s-1", product_url="https://shop.test/#/app?tab=1")
    link = invite_url(study, Participant(code="p-9"))
    assert link == "https://shop.test/?rd_study=s-1&rd_participant=p-9#/app?tab=1"


def test_a_think_aloud_study_tells_the_widget_what_to_ask(client, bearer, project):
    plain = client.post("/api/v1/studies", json={**STUDY, "project": project.id}, headers=bearer).get_json()
    assert (plain["think_aloud"], plain["consent_text"]) == (False, "")
    assert client.get(f"/api/v1/studies/{plain['slug']}/tasks?key={project.key}").get_json()["think_aloud"] is None
    spoken = client.post("/api/v1/studies", headers=bearer, json={
        "name": "Spoken", "product_url": "https://shop.test/", "project": project.id, "think_aloud": True,
        "camera": True, "tasks": [{"title": "Buy"}]}).get_json()
    assert spoken["think_aloud"] is True and spoken["consent_text"].startswith("This study records your voice")
    widget = client.get(f"/api/v1/studies/{spoken['slug']}/tasks?key={project.key}").get_json()
    assert widget["think_aloud"] == {"consent": spoken["consent_text"], "camera": True}
    own = client.post("/api/v1/studies", headers=bearer, json={
        "name": "Own words", "product_url": "https://shop.test/", "project": project.id, "think_aloud": True,
        "consent_text": "We record your voice."}).get_json()
    assert (own["consent_text"], own["camera"]) == ("We record your voice.", False)
