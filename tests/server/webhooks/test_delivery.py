"""Webhooks end to end on the real job runner: a finding made through the API reaches a
receiver over HTTP with a valid signature; a failing receiver gets retries on the
backoff schedule, each logged with its status; a spike of one signal kind on a page is
announced once."""
from __future__ import annotations

import json

import pytest

from server.jobs.worker import run_pass
from server.storage import webhooks as stored
from server.webhooks.deliver import RETRY_DELAYS_MS, RETRY_WINDOW_MS
from server.webhooks.signing import is_valid
from tests.factories import T0, click_event, make_project, make_session, make_token, meta_event
from tests.webhook_receiver import receiver


@pytest.fixture
def app(make_app):
    # The receivers of these tests live on loopback: allowed by the setting made for it.
    return make_app(fetch_allow_private=True)


@pytest.fixture
def clock(app):
    now = {"ms": T0 + 60_000}
    app.extensions["replaydesk"].now_ms = lambda: now["ms"]
    return now


def background_pass(app) -> None:
    with app.app_context():
        run_pass(compact=False)


def note_on_a_session(app, client, bearer, project) -> int:
    session = make_session(app, project, events=[meta_event(T0), click_event(T0 + 1000)])
    answer = client.post(f"/api/v1/sessions/{session}/annotations", headers=bearer, json={"ts": 500, "text": "Stuck"})
    return answer.get_json()["id"]


def test_a_finding_made_through_the_api_reaches_the_receiver_signed(app, client, bearer, clock):
    project = make_project(app, "Shop")
    with receiver() as (url, received):
        made = client.post(f"/api/v1/projects/{project.id}/webhooks", headers=bearer, json={"url": url})
        assert made.status_code == 201, made.get_json()
        hook = made.get_json()
        assert hook["events"] == ["finding.created", "finding.updated", "signal.spike"] and hook["secret"]
        note = note_on_a_session(app, client, bearer, project)
        finding = client.post("/api/v1/findings", headers=bearer, json={
            "title": "Coupon field gives no feedback", "severity": 3, "evidence": [note]}).get_json()
        background_pass(app)
        assert len(received) == 1
        headers, body = received[0]
        assert is_valid(hook["secret"], body, headers["x-replaydesk-signature"])
        assert not is_valid("whsec_other", body, headers["x-replaydesk-signature"])
        sent = json.loads(body)
        assert sent["event"] == "finding.created" == headers["x-replaydesk-event"]
        assert sent["project"] == {"id": project.id, "name": "Shop"}
        assert sent["data"]["id"] == finding["id"] and sent["data"]["evidence_count"] == 1
        assert sent["data"]["link"] == f"http://replaydesk.test/findings/{finding['id']}"
        assert sent["text"] == (f"New finding in Shop: “Coupon field gives no feedback” (major, 1 note) "
                                f"http://replaydesk.test/findings/{finding['id']}")
        assert sent["sent_at"] == clock["ms"]

        client.patch(f"/api/v1/findings/{finding['id']}", headers=bearer, json={"status": "fixed"})
        background_pass(app)
        updated = json.loads(received[1][1])
        assert (updated["event"], updated["data"]["changed"], updated["data"]["status"]) == (
            "finding.updated", ["status"], "fixed")
        background_pass(app)
        assert len(received) == 2  # delivered ones are not sent again

    log = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=bearer).get_json()["deliveries"]
    assert [(d["event"], d["state"], d["last_status"], len(d["log"])) for d in log] == [
        ("finding.updated", "delivered", 200, 1), ("finding.created", "delivered", 200, 1)]


def test_a_failing_receiver_gets_retries_with_backoff_until_the_window_ends(app, client, bearer, clock):
    project = make_project(app)
    with receiver(statuses=(500, 503, 200)) as (url, received):
        hook = client.post(f"/api/v1/projects/{project.id}/webhooks", headers=bearer,
                           json={"url": url, "events": ["finding.created"]}).get_json()
        client.post("/api/v1/findings", headers=bearer, json={"title": "Broken", "project": project.id})
        background_pass(app)
        background_pass(app)  # not due again yet
        assert len(received) == 1
        clock["ms"] += RETRY_DELAYS_MS[0]
        background_pass(app)
        clock["ms"] += RETRY_DELAYS_MS[1]
        background_pass(app)
        assert len(received) == 3
        assert len({json.loads(body)["delivery"] for _, body in received}) == 1  # one delivery, tried three times

    [delivery] = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=bearer).get_json()["deliveries"]
    assert delivery["state"] == "delivered" and delivery["attempts"] == 3
    assert [entry["status"] for entry in delivery["log"]] == [500, 503, 200]

    with receiver(statuses=(500,)) as (url, received):  # down for good: tries stop after a day
        client.delete(f"/api/v1/webhooks/{hook['id']}", headers=bearer)
        hook = client.post(f"/api/v1/projects/{project.id}/webhooks", headers=bearer,
                           json={"url": url, "events": ["finding.created"]}).get_json()
        client.post("/api/v1/findings", headers=bearer, json={"title": "Broken again", "project": project.id})
        started = clock["ms"]
        while clock["ms"] < started + RETRY_WINDOW_MS + 3600_000:
            background_pass(app)
            clock["ms"] += 600_000
        [delivery] = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=bearer).get_json()["deliveries"]
        assert delivery["state"] == "failed" and delivery["next_try_at"] is None
        assert len(received) == delivery["attempts"] == 10  # 0 s, 30 s, 2.5 min, ... within the day
        assert all(entry["status"] == 500 for entry in delivery["log"])


def test_an_unreachable_receiver_is_logged_with_the_reason(app, client, bearer, clock, make_app):
    project = make_project(app)
    with receiver() as (url, _):
        hook = client.post(f"/api/v1/projects/{project.id}/webhooks", headers=bearer, json={"url": url}).get_json()
    client.post("/api/v1/findings", headers=bearer, json={"title": "Nobody listens", "project": project.id})
    background_pass(app)  # the receiver is gone: connection refused
    [delivery] = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=bearer).get_json()["deliveries"]
    assert delivery["state"] == "pending" and delivery["last_status"] is None
    assert "Connection" in delivery["log"][0]["error"] or "refused" in delivery["log"][0]["error"]
    assert delivery["next_try_at"] == delivery["log"][0]["at"] + RETRY_DELAYS_MS[0]


@pytest.mark.parametrize("body, message", [
    ({"url": "ftp://hooks.test/x"}, "http"),
    ({"url": "https://hooks.test/x", "events": ["finding.deleted"]}, "events"),
    ({"url": "https://hooks.test/x", "events": []}, "events"),
    ({"url": "http://169.254.169.254/latest"}, "not a public address"),
    ({"url": "x" * 3000}, "url"),
    ([], "JSON object"),
])
def test_bad_webhooks_are_refused_and_nothing_is_stored(client, app, bearer, body, message):
    project = make_project(app)
    answer = client.post(f"/api/v1/projects/{project.id}/webhooks", headers=bearer, json=body)
    assert answer.status_code == 400 and message in answer.get_json()["message"]
    assert client.get(f"/api/v1/projects/{project.id}/webhooks", headers=bearer).get_json() == {"webhooks": []}


def test_loopback_receivers_are_refused_unless_the_install_allows_them(make_app):
    app = make_app()  # public_url http://replaydesk.test: not a local install
    project = make_project(app)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {make_token(app)}"}
    answer = client.post(f"/api/v1/projects/{project.id}/webhooks", headers=headers,
                         json={"url": "http://127.0.0.1:6379/"})
    assert answer.status_code == 400 and "127.0.0.1 is not a public address" in answer.get_json()["message"]


def test_a_signal_spike_is_announced_once(app, client, bearer, clock):
    project = make_project(app)
    page = "https://shop.test/checkout"
    with receiver() as (url, received):
        client.post(f"/api/v1/projects/{project.id}/webhooks", headers=bearer,
                    json={"url": url, "events": ["signal.spike"]})
        def rage_session(n: int) -> None:
            start = clock["ms"] - 600_000 + n * 1000
            session = make_session(app, project, events=[meta_event(start, href=page)] + [
                click_event(start + 100 + i * 200, x=50, y=50) for i in range(4)])
            assert client.post(f"/api/v1/sessions/{session}/analyze", headers=bearer).status_code == 200

        for n in range(4):  # four sessions with a rage click on the checkout page: not yet a spike
            rage_session(n)
        background_pass(app)
        assert received == []
        rage_session(4)  # the fifth in the hour: each one also ends there, a dead end
        background_pass(app)
        spikes = [json.loads(body) for _, body in received]
        assert sorted((s["event"], s["data"]["kind"], s["data"]["url"]) for s in spikes) == [
            ("signal.spike", "dead_end", page), ("signal.spike", "rage_click", page)]
        rage = next(s for s in spikes if s["data"]["kind"] == "rage_click")
        assert (rage["data"]["signals"], rage["data"]["visits"], rage["data"]["usual_rate"]) == (5, 5, 0)
        assert rage["text"].startswith(f"Rage clicks spiking in {project.name} on {page}: 5 in the last hour")
        rage_session(5)
        background_pass(app)
        assert len(received) == 2  # announced once, not at every session
