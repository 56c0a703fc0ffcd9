"""Fair analysis (issue 10, item 4): a crafted session is analysed within bounds and
marked partial in the API, a run stops at its time limit, projects take turns for the
job runner, and a long Redis queue takes no more claims. (The CPU and ingest-latency
figures: bench/hostile_analysis.py.)"""
from __future__ import annotations

import uuid

import orjson
from redis import Redis
from rq import Queue

from analysis.limits import MAX_CLICKS
from server.jobs.analyze import mark_stale_sessions
from server.jobs.due import CLAIM_BATCH, claim_due, run_due_jobs
from server.jobs.queue import MAX_QUEUED, RUN_JOB
from server.runtime import current_runtime
from server.storage.schedule import ANALYZE, mark_due
from tests.factories import T0, batch_payload, click_event, make_project, make_session, meta_event

REDIS_URL = "redis://127.0.0.1:6379/0"


def crafted_session(app, clicks: int) -> str:
    """One page, then ``clicks`` clicks 3 s apart, sent through ingest in batches."""
    key = make_project(app).key
    session_id = uuid.uuid4().hex
    events = [meta_event(T0)] + [click_event(T0 + 1000 + i * 3000, 5, i % 900, 10) for i in range(clicks)]
    client = app.test_client()
    for seq, start in enumerate(range(0, len(events), 1000)):
        payload = batch_payload(session_id, seq=seq, events=events[start:start + 1000])
        assert client.post("/api/v1/ingest", data=orjson.dumps(payload), headers={"X-Replaydesk-Key": key}).status_code == 200
    return session_id


def test_a_session_past_the_click_cap_is_analysed_partially_and_the_api_says_so(app, client, bearer):
    sid = crafted_session(app, MAX_CLICKS + 500)
    body = client.post(f"/api/v1/sessions/{sid}/analyze", headers=bearer).get_json()
    assert body["counts"]["clicks"] == MAX_CLICKS
    analysis = client.get(f"/api/v1/sessions/{sid}", headers=bearer).get_json()["analysis"]
    assert analysis["status"] == "done" and analysis["partial"] is True and analysis["limited_by"] == ["clicks"]
    assert analysis["version"] and "partial" not in analysis["version"]
    with app.app_context():
        assert mark_stale_sessions(current_runtime()) == 0  # partial is final for this version: not redone forever
    whole = client.get(f"/api/v1/sessions/{make_session(app, make_project(app))}", headers=bearer).get_json()
    assert whole["analysis"]["partial"] is False and whole["analysis"]["limited_by"] == []


def test_an_analysis_stops_at_its_time_limit_and_keeps_what_it_found(make_app, bearer):
    app = make_app(analysis_time_limit_seconds=0)
    client = app.test_client()
    sid = crafted_session(app, 300)
    token = {"Authorization": bearer["Authorization"]}
    body = client.post(f"/api/v1/sessions/{sid}/analyze", headers=token).get_json()
    assert body["analysis"]["partial"] is True and body["analysis"]["limited_by"] == ["time"]
    assert 0 < body["counts"]["events"] < 301


def test_projects_take_turns_for_the_job_runner(app):
    """One project's flood of due sessions does not hold back another's."""
    flood, other = make_project(app), make_project(app)
    flooded = [make_session(app, flood) for _ in range(3 * CLAIM_BATCH)]
    waiting = make_session(app, other)
    with app.app_context():
        runtime = current_runtime()
        mark_due(ANALYZE, flooded, at_ms=T0 - 60_000)  # the flood was due a minute earlier
        mark_due(ANALYZE, [waiting], at_ms=T0)
        runtime.now_ms = lambda: T0
        passes = 0
        while True:
            passes += 1
            if waiting in claim_due(runtime, ANALYZE):
                break
        assert passes == 1  # was 4: behind 60 sessions claimed 20 a pass


def test_a_long_queue_takes_no_more_claims(make_app):
    queue_name = f"replaydesk-test-{uuid.uuid4().hex[:8]}"
    app = make_app(redis_url=REDIS_URL, job_queue=queue_name)
    queue = Queue(queue_name, connection=Redis.from_url(REDIS_URL))
    sid = make_session(app, make_project(app))
    try:
        for _ in range(MAX_QUEUED):
            queue.enqueue(RUN_JOB, ANALYZE, "someone-else", result_ttl=0)
        with app.app_context():
            runtime = current_runtime()
            runtime.now_ms = lambda: T0 + 10
            assert run_due_jobs(runtime, ANALYZE) == 0 and queue.count == MAX_QUEUED  # stays due, fairly claimed later
            queue.empty()
            assert run_due_jobs(runtime, ANALYZE) == 1 and queue.job_ids and sid
    finally:
        queue.delete(delete_jobs=True)
