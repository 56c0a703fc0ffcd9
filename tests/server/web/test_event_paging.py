"""GET /api/v1/sessions/<id>/events?after=<cursor>: a follower never misses a batch
that arrives late (after newer ones, with older timestamps), before or after
compaction; a cursor compaction made unusable answers 410 (SQLite and PostgreSQL)."""
from __future__ import annotations

import random
from collections import Counter

import pytest

from server.runtime import current_runtime
from server.storage.compaction import compact_session
from tests.factories import T0, batch_payload, make_project
from tests.server.ingest.test_routes import post

SESSION = "session-paging-1"


@pytest.fixture
def project(app):
    return make_project(app, "shop")


def _event(ts: int, n: int) -> dict:
    return {"type": 3, "timestamp": ts, "data": {"source": 1, "positions": []}, "n": n}


def send(client, project, seq: int, *timestamps: int, first_n: int = 0) -> list[dict]:
    events = [_event(ts, first_n + index) for index, ts in enumerate(timestamps)]
    response = post(client, batch_payload(SESSION, seq=seq, events=events), key=project.key)
    assert response.status_code == 200, response.get_json()
    return events


def read(client, bearer, cursor=None, limit=None):
    """(events, cursor, has_more) of one request."""
    query = "&".join(part for part in (f"after={cursor}" if cursor else "", f"limit={limit}" if limit else "") if part)
    response = client.get(f"/api/v1/sessions/{SESSION}/events?{query}", headers=bearer)
    assert response.status_code == 200, response.get_json()
    return response.get_json(), response.headers["X-Replaydesk-Cursor"], "Link" in response.headers


def drain(client, bearer, cursor=None, limit=None):
    collected = []
    while True:
        events, cursor, more = read(client, bearer, cursor, limit)
        collected += events
        if not more:
            return collected, cursor


def test_a_late_batch_reaches_a_follower_that_has_read_everything(client, project, bearer):
    first = send(client, project, 0, T0, T0 + 10) + send(client, project, 1, T0 + 1000, T0 + 1010, first_n=2)
    events, cursor, _ = read(client, bearer)
    assert events == first
    late = send(client, project, 2, T0 + 500, T0 + 1005, first_n=4)  # older than what was read
    assert read(client, bearer, cursor)[0] == late
    assert read(client, bearer, read(client, bearer, cursor)[1])[0] == []
    everything, _, _ = read(client, bearer)  # without a cursor: timestamp, then arrival
    assert [e["n"] for e in everything] == [0, 1, 4, 2, 5, 3]


def test_a_late_batch_arriving_while_pages_are_read_is_delivered_once(client, project, bearer):
    sent = send(client, project, 0, T0, T0 + 1, T0 + 2) + send(client, project, 1, T0 + 100, T0 + 101, first_n=3)
    page, cursor, more = read(client, bearer, limit=2)
    assert (page, more) == (sent[:2], True)
    sent += send(client, project, 2, T0 - 5, T0 + 1, T0 + 200, first_n=5)
    rest, _ = drain(client, bearer, cursor, limit=2)
    assert Counter(e["n"] for e in page + rest) == Counter(range(8))
    assert [e["n"] for e in rest[:3]] == [2, 3, 4]  # what it was reading comes first, then the late batch


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_followers_polling_among_out_of_order_batches_see_every_event_once(client, project, bearer, seed):
    rng = random.Random(seed)
    followers = {limit: ([], None) for limit in (1, 3, None)}
    n = 0
    for seq in rng.sample(range(14), 14):  # batches arrive out of order
        count = rng.randint(1, 4)
        send(client, project, seq, *(T0 + seq * 100 + rng.choice([0, 0, 50, 99, 100]) for _ in range(count)), first_n=n)
        n += count
        for limit, (seen, cursor) in list(followers.items()):
            if rng.random() < 0.6:  # a follower polls one page now and then
                events, cursor, _ = read(client, bearer, cursor, limit)
                followers[limit] = (seen + events, cursor)
    for limit, (seen, cursor) in followers.items():
        rest, _ = drain(client, bearer, cursor, limit)
        assert sorted(e["n"] for e in seen + rest) == list(range(n)), limit


def compact(app) -> None:
    with app.app_context():
        runtime = current_runtime()
        assert compact_session(runtime.blobs, runtime.dictionaries, SESSION, now_ms=T0 + 10**6) is not None


def test_a_cursor_from_before_compaction_answers_410_and_reading_again_works(client, project, bearer):
    send(client, project, 0, T0, T0 + 5)
    send(client, project, 1, T0 + 10, first_n=2)
    _, cursor, _ = read(client, bearer, limit=1)
    _, caught_up, _ = read(client, bearer)
    compact(client.application)
    for stale in (cursor, caught_up):
        response = client.get(f"/api/v1/sessions/{SESSION}/events?after={stale}", headers=bearer)
        assert response.status_code == 410
        assert "Read the events again from the start" in response.get_json()["message"]
    assert [e["n"] for e in read(client, bearer)[0]] == [0, 1, 2]


def test_a_cursor_from_after_compaction_follows_new_and_late_batches(client, project, bearer):
    send(client, project, 0, T0, T0 + 5)
    send(client, project, 1, T0 + 10, first_n=2)
    compact(client.application)
    page, cursor, _ = read(client, bearer, limit=2)
    assert [e["n"] for e in page] == [0, 1]
    late = send(client, project, 2, T0 + 1, first_n=3)
    rest, cursor = drain(client, bearer, cursor, limit=2)
    assert [e["n"] for e in rest] == [2, 3]
    newer = send(client, project, 3, T0 + 20, T0 + 2, first_n=4)
    assert read(client, bearer, cursor)[0] == sorted(newer, key=lambda e: e["timestamp"])
    assert late


@pytest.mark.parametrize("cursor, status", [
    ("1.2", 410),  # the earlier <ts>.<n> form: start again
    ("5.4.0.0", 400),  # done above reading
    ("x", 400), ("1.2.3", 400), ("1.2.3.4.5", 400), ("²", 400), ("1" * 30 + ".1.1.1", 400),
    ("-1.2.3.4", 400), ("1.2.3.4%00", 400), ("0.0.99999999999999999.0", 400),
])
def test_odd_cursors_are_refused_saying_why(client, project, bearer, cursor, status):
    send(client, project, 0, T0)
    response = client.get(f"/api/v1/sessions/{SESSION}/events?after={cursor}", headers=bearer)
    assert response.status_code == status, response.data
    assert response.get_json()["message"]
