"""POST /api/v1/ingest against a real app and database (SQLite and PostgreSQL)."""
from __future__ import annotations

import gzip
import threading
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor

import orjson
import pytest
from sqlalchemy import func, select

from server.storage.database import db
from server.ingest.decode import MAX_COMPRESSED_BYTES
from server.storage.models import BatchReceipt, EventChunk, Session
from tests.factories import T0, batch_payload, click_event, custom_event, make_project, meta_event


@pytest.fixture
def project(app):
    return make_project(app, "shop")


def post(client, payload, *, key, gzip_body=False, headers=None, query=""):
    body = payload if isinstance(payload, bytes) else orjson.dumps(payload)
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if key is not None:
        all_headers["X-Replaydesk-Key"] = key
    if gzip_body:
        body = gzip.compress(body)
        all_headers["Content-Encoding"] = "gzip"
    return client.post(f"/api/v1/ingest{query}", data=body, headers=all_headers)


def stored_counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(model))
                     for model in (Session, BatchReceipt, EventChunk))


def test_accepts_a_batch_and_answers_per_spec(client, project):
    response = post(client, batch_payload(), key=project.key)
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "accepted": 2, "duplicate": False, "live": False, "commands": []}
    assert stored_counts(client.application) == (1, 1, 1)


def test_key_in_query_and_gzip_as_a_beacon_sends_it(client, project):
    body = gzip.compress(orjson.dumps(batch_payload()))
    response = client.post(f"/api/v1/ingest?key={project.key}&compression=gzip", data=body,
                           headers={"Content-Type": "text/plain"})
    assert response.status_code == 200, response.get_json()
    assert stored_counts(client.application)[1] == 1


def test_gzip_content_encoding(client, project):
    assert post(client, batch_payload(), key=project.key, gzip_body=True).status_code == 200


def test_same_batch_twice_is_stored_once(client, project):
    payload = batch_payload()
    first = post(client, payload, key=project.key).get_json()
    second = post(client, payload, key=project.key).get_json()
    assert (first["duplicate"], second["duplicate"]) == (False, True)
    assert second["accepted"] == 2
    assert stored_counts(client.application) == (1, 1, 1)


def test_concurrent_retries_of_one_batch_are_stored_once(app, project):
    """The SDK retries when an answer is lost: copies may race each other to the database."""
    payload, copies = batch_payload(), 6
    barrier = threading.Barrier(copies)

    def send(_):
        barrier.wait()
        return post(app.test_client(), payload, key=project.key).get_json()

    with ThreadPoolExecutor(copies) as pool:
        answers = list(pool.map(send, range(copies)))
    assert sorted(answer["duplicate"] for answer in answers) == [False] + [True] * (copies - 1)
    assert stored_counts(app) == (1, 1, 1)
    with app.app_context():
        assert db.session.get(Session, payload["session_id"]).event_count == 2
    assert len(list(app.extensions["replaydesk"].blobs.iter_keys(f"sessions/{payload['session_id']}/"))) == 1


@pytest.mark.parametrize("mutate, code", [
    (lambda p: p.update(session_id="short"), "bad_request"),  # under 8 chars
    (lambda p: p.update(window_id="has space!"), "bad_request"),
    (lambda p: p.update(seq=-1), "bad_request"),
    (lambda p: p.update(seq="1"), "bad_request"),
    (lambda p: p.update(events={"type": 2}), "bad_request"),  # not a list
    (lambda p: p["events"].append({"type": "3", "timestamp": T0}), "bad_request"),
    (lambda p: p["events"].append({"type": 3}), "bad_request"),  # no timestamp
    (lambda p: p["events"].append({"type": 3, "timestamp": True}), "bad_request"),
    (lambda p: p.update(meta=[]), "bad_request"),
])
def test_malformed_batches_are_refused_and_store_nothing(client, project, mutate, code):
    payload = batch_payload()
    mutate(payload)
    response = post(client, payload, key=project.key)
    assert response.status_code == 400
    assert response.get_json()["ok"] is False and response.get_json()["error"] == code
    assert response.get_json()["message"]
    assert stored_counts(client.application) == (0, 0, 0)


def test_bad_json_is_400(client, project):
    response = post(client, b"{not json", key=project.key)
    assert response.status_code == 400 and "JSON" in response.get_json()["message"]


def test_unknown_or_missing_key_is_401(client, project):
    assert post(client, batch_payload(), key="rdk_nope").status_code == 401
    assert post(client, batch_payload(), key=None).status_code == 401
    assert post(client, batch_payload(), key=None).get_json()["error"] == "unknown_key"
    assert stored_counts(client.application) == (0, 0, 0)


def test_unknown_encoding_is_415(client, project):
    response = post(client, batch_payload(), key=project.key, headers={"Content-Encoding": "br"})
    assert response.status_code == 415
    assert stored_counts(client.application) == (0, 0, 0)


def test_body_over_one_mebibyte_is_413(client, project):
    response = post(client, b"x" * (MAX_COMPRESSED_BYTES + 1), key=project.key)
    assert response.status_code == 413 and response.get_json()["error"] == "payload_too_large"


def test_gzip_bomb_is_refused_fast_and_in_bounded_memory(client, project):
    bomb = gzip.compress(b"0" * (40 << 20), 9)  # 40 MiB of zeros, ~40 KB on the wire
    assert len(bomb) < MAX_COMPRESSED_BYTES
    tracemalloc.start()
    started = time.perf_counter()
    response = client.post("/api/v1/ingest", data=bomb, headers={
        "X-Replaydesk-Key": project.key, "Content-Encoding": "gzip"})
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 413
    assert elapsed < 0.5
    assert peak < 40 << 20  # bounded by the 16 MiB cap, never the bomb's 40 MiB
    assert stored_counts(client.application) == (0, 0, 0)


def test_truncated_gzip_is_400(client, project):
    body = gzip.compress(orjson.dumps(batch_payload()))[:-12]
    response = post(client, body, key=project.key, headers={"Content-Encoding": "gzip"})
    assert response.status_code == 400
    assert stored_counts(client.application) == (0, 0, 0)


def test_rate_limit_is_429_with_retry_after(make_app):
    limited_app = make_app(ingest_rate_limit="2/minute")
    key = make_project(limited_app, "limited").key
    client = limited_app.test_client()
    statuses = [post(client, batch_payload(seq=n, session_id="s" * 10), key=key) for n in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    limited = statuses[-1]
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.get_json()["error"] == "rate_limited"
    assert "Retry-After" in limited.headers["Access-Control-Expose-Headers"]


def test_cors_is_open_on_ingest_only(client, project):
    preflight = client.options("/api/v1/ingest", headers={
        "Origin": "https://product.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-replaydesk-key"})
    assert preflight.status_code == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-Replaydesk-Key" in preflight.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in preflight.headers
    review = client.get("/api/v1/sessions", headers={"Origin": "https://product.example"})
    assert "Access-Control-Allow-Origin" not in review.headers
    error = post(client, b"{", key=project.key)
    assert error.headers["Access-Control-Allow-Origin"] == "*"  # the SDK can read our errors


def test_out_of_order_batches_are_stored_in_timestamp_then_arrival_order(client, project):
    sid = "session-ooo-1"
    later = [click_event(T0 + 2000), click_event(T0 + 3000)]
    earlier = [meta_event(T0), click_event(T0 + 1000)]
    assert post(client, batch_payload(sid, seq=1, events=later), key=project.key).status_code == 200
    assert post(client, batch_payload(sid, seq=0, events=earlier), key=project.key).status_code == 200
    with client.application.app_context():
        session = db.session.get(Session, sid)
        assert (session.started_at, session.ended_at, session.event_count) == (T0, T0 + 3000, 4)


def test_session_of_another_project_is_a_conflict(client, app):
    first, second = make_project(app, "first"), make_project(app, "second")
    payload = batch_payload("shared-session-id")
    assert post(client, payload, key=first.key).status_code == 200
    payload["seq"] = 1
    response = post(client, payload, key=second.key)
    assert response.status_code == 409
    assert stored_counts(client.application) == (1, 1, 1)


def test_pages_variants_and_counters_are_noted(client, project):
    events = [
        meta_event(T0, "https://shop.test/"),
        custom_event(T0 + 5, "$pageview", {"url": "https://shop.test/", "title": "Home"}),
        click_event(T0 + 100),
        custom_event(T0 + 200, "$error", {"message": "boom"}),
        custom_event(T0 + 300, "$variant", {"experiment": "checkout", "variant": "B"}),
        custom_event(T0 + 400, "$pageview", {"url": "https://shop.test/cart", "title": "Cart"}),
    ]
    payload = batch_payload(events=events, meta={"url": "https://shop.test/", "variants": {"hero": "A"}})
    assert post(client, payload, key=project.key).status_code == 200
    with client.application.app_context():
        session = db.session.get(Session, payload["session_id"])
        assert (session.click_count, session.error_count, session.pageview_count) == (1, 1, 2)
        assert {v.experiment: v.variant for v in session.variants} == {"hero": "A", "checkout": "B"}
        assert [p.url for p in session.pages][-1] == "https://shop.test/cart"
