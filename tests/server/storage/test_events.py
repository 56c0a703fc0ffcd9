"""Reading a session back: exact stream, order by timestamp then arrival, paging
with cursors, before and after compaction."""
from __future__ import annotations

import random

import pytest

from server.storage.database import db
from server.storage.batch import parse_batch
from server.runtime import current_runtime
from server.storage.compaction import compact_session
from server.storage.errors import InvalidInput
from server.storage.events import Cursor, list_sources, read_all_events, read_events
from server.storage.ingest import store_batch
from server.storage.models import Project
from tests.factories import T0, batch_payload, make_project

SESSION = "session-events-1"


def _event(ts: int, n: int) -> dict:
    return {"type": 3, "timestamp": ts, "data": {"source": 1, "positions": [{"x": n, "y": n, "id": 1, "timeOffset": 0}]}, "n": n}


def _send(project, batches) -> None:
    for seq, events in batches:
        payload = batch_payload(SESSION, seq=seq, events=events)
        store_batch(project.id, parse_batch(payload), now_ms=T0, analysis_due_at=T0)


def _expected(arrivals) -> list[dict]:
    """The contract: sort by timestamp, ties in arrival order (batch arrival, then position)."""
    flat = [event for _, events in arrivals for event in events]
    return sorted(flat, key=lambda e: e["timestamp"])  # sorted() is stable


def _random_arrivals(seed: int, batches: int = 12):
    rng = random.Random(seed)
    arrivals, n = [], 0
    for seq in range(batches):
        base = T0 + seq * 1000
        events = []
        for _ in range(rng.randint(0, 30)):
            # Few distinct timestamps, so ties across batches are common.
            events.append(_event(base + rng.choice([0, 0, 500, 999, 1000, 1500]), n))
            n += 1
        arrivals.append((seq, events))
    rng.shuffle(arrivals)  # batches arrive out of order
    return [(seq, events) for seq, events in arrivals]


def _pages(limit: int) -> list[dict]:
    runtime = current_runtime()
    collected, cursor = [], None
    while True:
        sources = list_sources(runtime.blobs, runtime.dictionaries, SESSION)
        page = read_events(sources, after=cursor, limit=limit)
        collected.extend(page.events)
        assert len(page.events) <= limit
        if not page.has_more:
            return collected
        cursor = page.cursor


@pytest.mark.parametrize("seed", [1, 2])
def test_stream_is_timestamp_then_arrival_and_pages_concatenate(app_ctx, seed):
    project = _project(app_ctx)
    arrivals = _random_arrivals(seed)
    _send(project, arrivals)
    expected = _expected(arrivals)
    runtime = current_runtime()
    assert read_all_events(runtime.blobs, runtime.dictionaries, SESSION) == expected
    for limit in (1, 7, 50):
        assert _pages(limit) == expected


def test_compaction_keeps_the_stream_and_later_batches_sort_in(app_ctx):
    project = _project(app_ctx)
    arrivals = _random_arrivals(3)
    _send(project, arrivals)
    runtime = current_runtime()
    assert compact_session(runtime.blobs, runtime.dictionaries, SESSION, now_ms=T0 + 1) is not None
    late = [(100, [_event(T0 + 500, 9000), _event(T0 + 50_000, 9001)])]  # arrives after compaction
    _send(project, late)
    expected = _expected(arrivals + late)
    assert read_all_events(runtime.blobs, runtime.dictionaries, SESSION) == expected
    assert _pages(9) == expected


def test_cursor_stays_valid_while_the_session_grows(app_ctx):
    project = _project(app_ctx)
    _send(project, [(0, [_event(T0, 0), _event(T0 + 10, 1), _event(T0 + 10, 2)])])
    runtime = current_runtime()
    first = read_events(list_sources(runtime.blobs, runtime.dictionaries, SESSION), limit=2)
    assert [e["n"] for e in first.events] == [0, 1] and first.cursor == Cursor(T0 + 10, 1)
    _send(project, [(1, [_event(T0 + 10, 3), _event(T0 + 20, 4)])])  # same timestamp, later arrival
    rest = read_events(list_sources(runtime.blobs, runtime.dictionaries, SESSION), after=first.cursor)
    assert [e["n"] for e in rest.events] == [2, 3, 4]
    assert not rest.has_more


@pytest.mark.parametrize("text", ["", "abc", "1.", ".1", "1.2.3", "-1.0"])
def test_bad_cursors_are_refused(text):
    with pytest.raises(InvalidInput):  # the API answers 400 with its message
        Cursor.parse(text)


def _project(app) -> Project:
    """A project row in the test's own app context (storage-level tests run inside one)."""
    return db.session.get(Project, make_project(app).id)
