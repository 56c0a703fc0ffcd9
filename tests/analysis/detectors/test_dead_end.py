"""dead_end over hand-built streams: (fixture, config overrides, expected signals)."""

from __future__ import annotations

import pytest

from analysis import analyze
from tests.analysis.event_fixtures import load_events

CASES = [
    # a dead click on the help page, then the session ends
    ("dead_end_at_session_end", {}, [("dead_end", 2000, "/help", 1)]),
    # an error click, then back to the home page seen before
    ("dead_end_back_to_earlier_url", {}, [("dead_end", 2000, "/product", 1)]),
    # moving on to checkout is progress, not giving up
    ("forward_navigation_not_dead_end", {}, []),
    # the thanks page is a goal page (default goal patterns)
    ("goal_page_not_dead_end", {}, []),
    # ...unless the project's goals are other pages
    ("goal_page_not_dead_end", {"goal_url_patterns": ["*/receipt*"]}, [("dead_end", 3000, "/thanks.html?order=7", 1)]),
    # a $task complete during the visit makes it a goal
    ("task_complete_not_dead_end", {}, []),
    # a path-only goal pattern matches too
    ("dead_end_at_session_end", {"goal_url_patterns": ["/help"]}, []),
    # rage clicks count as frustration
    ("rage_on_disabled_button", {}, [("dead_end", 0, "/checkout", 1)]),
    # a quick back without any frustrating click is no dead end
    ("quick_back_after_three_seconds", {}, []),
]


@pytest.mark.parametrize(("fixture", "overrides", "expected"), CASES)
def test_dead_end(detect, fixture, overrides, expected):
    assert detect(fixture, "dead_end", **overrides) == expected


@pytest.mark.parametrize(
    ("fixture", "ended_by", "kinds"),
    [
        ("dead_end_at_session_end", "session_end", ["dead_click"]),
        ("dead_end_back_to_earlier_url", "return_to_earlier_url", ["error_click"]),
    ],
)
def test_dead_end_says_how_the_visit_ended(fixture, ended_by, kinds):
    (signal,) = [s for s in analyze(load_events(fixture)).signals if s.kind == "dead_end"]
    assert signal.details == {"ended_by": ended_by, "signals": kinds}
    assert signal.end_ts > signal.ts
