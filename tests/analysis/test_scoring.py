"""Session score and per-page aggregates."""

from __future__ import annotations

import pytest

from analysis import PageStats, Signal, analyze, score_session, summarize_pages
from tests.analysis.event_fixtures import load_events


def signals(*kinds: str) -> list[Signal]:
    return [Signal(kind, 0, 0, "http://x/") for kind in kinds]


@pytest.mark.parametrize(
    ("fewer", "more"),
    [
        ((), ("quick_back",)),
        (("quick_back",), ("rage_click",)),
        (("rage_click",), ("rage_click", "dead_end")),
        (("dead_click",) * 5, ("dead_click",) * 6),
    ],
)
def test_score_grows_with_frustration(fewer, more):
    assert score_session(signals(*fewer)) < score_session(signals(*more))


def test_score_is_bounded():
    assert score_session([]) == 0.0
    assert score_session(signals(*["rage_click"] * 100)) <= 100.0


def test_summarize_pages_accepts_results_and_rows_alike():
    results = [analyze(load_events("dead_end_at_session_end")), analyze(load_events("quick_back_after_three_seconds"))]
    rows = [{"session_id": str(n), "pages": [p.to_dict() for p in r.pages],
             "signals": [s.to_dict() for s in r.signals]} for n, r in enumerate(results)]
    assert summarize_pages(results) == summarize_pages(rows)
    help_page = next(stats for stats in summarize_pages(rows) if stats.url.endswith("/help"))
    assert help_page.to_dict() == {
        "url": "http://shop.test/help", "visits": 1, "sessions": 1,
        "signals": {"dead_click": 1, "dead_end": 1}, "signals_per_visit": {"dead_click": 1.0, "dead_end": 1.0},
        "dead_ends": 1, "dead_end_rate": 1.0,
    }


def test_summarize_pages_counts_distinct_sessions_and_orders_by_visits():
    rows = [{"session_id": "a", "pages": [{"url": "http://x/"}, {"url": "http://x/"}, {"url": "http://x/b"}]},
            {"session_id": "b", "pages": [{"url": "http://x/"}], "signals": [{"kind": "dead_end", "url": None}]}]
    assert [(p.url, p.visits, p.sessions) for p in summarize_pages(rows)] == [("http://x/", 3, 2), ("http://x/b", 1, 1)]
    assert PageStats("http://x/", 0, 0).dead_end_rate == 0.0
