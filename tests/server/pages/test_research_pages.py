"""Experiment, study and live room pages: what each shows, links, escaping, the
live room's policy. The browser modules' behaviour is covered in tests/e2e."""
from __future__ import annotations

import json
import re

import orjson
import pytest

from server.storage.live import queue_command
from tests.factories import T0, batch_payload, click_event, custom_event, make_project, make_session, meta_event

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def project(app):
    return make_project(app, "research")


def page_data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S).group(1))


def ingest(client, key: str, session_id: str, events: list, meta: dict, seq: int = 0) -> dict:
    payload = batch_payload(session_id, seq=seq, events=events, meta={"url": "https://shop.test/", **meta})
    response = client.post("/api/v1/ingest", data=orjson.dumps(payload), headers={"X-Replaydesk-Key": key})
    assert response.status_code == 200
    return response.get_json()


@pytest.mark.parametrize("path", ["/experiments", "/experiments/x", "/studies", "/studies/1", "/sessions/s/live"])
def test_pages_need_a_reviewer(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login?next=")


def test_experiments_list_shows_defined_and_seen_experiments(client, app, auth, bearer, project):
    client.post("/api/v1/experiments", headers=bearer, json={
        "name": "hero", "description": HOSTILE, "variants": [{"name": "A", "weight": 1}, {"name": "B", "weight": 3}],
        "goal": {"url": "*/done*"}})
    make_session(app, project, meta={"url": "https://shop.test/", "variants": {"checkout": "B"}})
    make_session(app, project, meta={"url": "https://shop.test/", "variants": {"hero": "A"}})
    auth.login()
    html = client.get("/experiments").get_data(as_text=True)
    assert 'href="/experiments/hero"' in html and 'href="/experiments/checkout"' in html
    assert "seen in sessions" in html  # checkout is only recorded, not defined
    assert "25% of traffic" in html and "75% of traffic" in html and "A · 25% of traffic · 1 session" in html
    assert HOSTILE not in html and "&lt;img src=x" in html
    assert 'aria-current="page">Experiments' in html


def test_experiment_report_page_states_values_intervals_and_tests(client, app, auth, project):
    for n in range(6):
        variant = "A" if n % 2 else "B"
        events = [meta_event(T0 + n, f"https://shop.test/cart?n={n % 2}"), click_event(T0 + n + 100)]
        make_session(app, project, events=events, meta={"url": "https://shop.test/", "variants": {"checkout": variant}})
    auth.login()
    response = client.get("/experiments/checkout")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    cards = re.findall(r'data-variant="(\w)">\s*<h2>.*?class="sessions-count">(\d+)<', html, re.S)
    assert cards == [("A", "3"), ("B", "3")]
    assert "Dead clicks per session" in html and "Goal completion" in html and "Sessions with a dead end" in html
    assert "Mann-Whitney U test" in html and "Fisher&#39;s exact test" in html
    assert "Wilson" in html  # tests_explained
    assert "/pages/heatmap?url=https://shop.test/cart?n%3D1&amp;variant=checkout:A&amp;kind=dead" in html
    assert '/?variant=checkout:B"' in html
    assert client.get("/experiments/nothing-like-it").status_code == 404


def test_study_pages_list_report_invites_and_live_sessions(client, app, auth, bearer, project):
    study = client.post("/api/v1/studies", headers=bearer, json={
        "name": f"Checkout {HOSTILE}", "product_url": "https://shop.test/", "project": project.id,
        "tasks": [{"task_id": "buy", "title": "Buy a towel", "instructions": HOSTILE}, {"title": "Find returns"}]}).get_json()
    code = client.post(f"/api/v1/studies/{study['id']}/participants", headers=bearer, json={"label": "Ana"}).get_json()["code"]
    events = [meta_event(T0), custom_event(T0 + 10, "$task", {"task_id": "buy", "status": "start"}), click_event(T0 + 900),
              custom_event(T0 + 12_010, "$task", {"task_id": "buy", "status": "complete"})]
    ingest(client, project.key, "study-session-0001", events, {"study": study["slug"], "participant": code})
    auth.login()

    listing = client.get("/studies").get_data(as_text=True)
    assert f'href="/studies/{study["id"]}"' in listing and HOSTILE not in listing

    html = client.get(f"/studies/{study['id']}").get_data(as_text=True)
    assert HOSTILE not in html and "&lt;img src=x" in html
    assert f"rd_study={study['slug']}&amp;rd_participant={code}" in html  # the invite link, ready to copy
    row = re.search(r'<tr data-task="buy">(.*?)</tr>', html, re.S).group(1)
    assert "100%" in row and "1 of 1 participant" in row and "12.0 s" in row and "Success 1 (1 direct, 0 indirect)" in row
    attempts = re.search(r'<tr class="attempts-row" data-task-attempts="buy">(.*?)</tr>', html, re.S).group(1)
    assert 'href="/sessions/study-session-0001?t=10"' in attempts  # the moment the task started
    assert re.search(r"Ana.*?✓ Success \(direct\)", html, re.S)  # per participant, by label (no criteria: Done)
    assert 'href="/sessions/study-session-0001/live"' in html and "Watch live" in html
    assert page_data(html)["study"] == {"id": study["id"], "slug": study["slug"]}
    assert client.get("/studies/999").status_code == 404


def test_live_room_page_has_tasks_sent_commands_notes_and_a_socket_policy(client, app, auth, bearer, project):
    study = client.post("/api/v1/studies", headers=bearer, json={
        "name": "Live study", "product_url": "https://shop.test/", "project": project.id,
        "tasks": [{"task_id": "buy", "title": "Buy a towel", "instructions": "Any towel"}]}).get_json()
    ingest(client, project.key, "live-session-0001", [meta_event(T0), click_event(T0 + 100)], {"study": study["slug"], "participant": "p-1"})
    client.post("/api/v1/sessions/live-session-0001/annotations", headers=bearer, json={"ts": 50, "text": HOSTILE})
    with app.app_context():
        queue_command("live-session-0001", {"type": "task", "task": None}, now_ms=T0 + 5)
    auth.login()
    response = client.get("/sessions/live-session-0001/live")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "connect-src 'self' ws://localhost" in policy and "script-src 'self'" in policy and "unsafe-eval" not in policy
    html = response.get_data(as_text=True)
    assert HOSTILE not in html
    data = page_data(html)
    assert data["tasks"] == [{"task_id": "buy", "title": "Buy a towel", "text": "Any towel"}]
    assert data["sent"] == [{"command": {"type": "task", "task": None}, "sent_at": T0 + 5, "delivered_at": None}]
    assert [n["text"] for n in data["notes"]] == [HOSTILE]
    assert data["eventsUrl"] == "/api/v1/sessions/live-session-0001/events" and data["observer"] == "reviewer@example.com"
    assert 'id="send-next-task"' in html
    assert client.get("/sessions/nope/live").status_code == 404


def test_live_room_without_a_study_offers_no_tasks(client, app, auth, project):
    sid = make_session(app, project)
    auth.login()
    html = client.get(f"/sessions/{sid}/live").get_data(as_text=True)
    assert page_data(html)["tasks"] == [] and 'id="send-next-task"' not in html
    assert "not part of a study" in html


def test_live_sessions_link_to_their_live_room(client, app, auth, project):
    ingest(client, project.key, "live-session-0002", [meta_event(T0), click_event(T0 + 100)], {})  # received now: live
    auth.login()
    assert 'class="live-badge" href="/sessions/live-session-0002/live"' in client.get("/").get_data(as_text=True)
    assert "Live · watch live" in client.get("/sessions/live-session-0002").get_data(as_text=True)


def test_finding_forms_offer_the_recorded_variants(client, app, auth, bearer, project):
    sid = make_session(app, project, meta={"url": "https://shop.test/", "variants": {"checkout": "A"}})
    note = client.post(f"/api/v1/sessions/{sid}/annotations", headers=bearer, json={"ts": 50, "text": "stuck"}).get_json()
    finding = client.post("/api/v1/findings", headers=bearer, json={"title": "Stuck", "evidence": [note["id"]],
                                                                    "variant": "checkout:A"}).get_json()
    auth.login()
    for path in ("/notes", f"/findings/{finding['id']}"):
        html = client.get(path).get_data(as_text=True)
        assert 'list="variant-choices"' in html and '<option value="checkout:A">' in html, path
