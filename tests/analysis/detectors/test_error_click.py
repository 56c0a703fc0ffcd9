"""error_click over hand-built streams: (fixture, config overrides, expected signals)."""

from __future__ import annotations

import pytest

CASES = [
    # the error comes 4 ms after the click
    ("error_click_on_wishlist", {}, [("error_click", 2000, "#wish", 1)]),
    # ...still an error click with a 5 ms window
    ("error_click_on_wishlist", {"error_click_window_ms": 5}, [("error_click", 2000, "#wish", 1)]),
    # ...but not with a 3 ms one
    ("error_click_on_wishlist", {"error_click_window_ms": 3}, []),
    # the widget throws 1.6 s after the last click
    ("error_without_click_not_error_click", {}, []),
    # a dead click and no error at all
    ("dead_click_on_promo_link", {}, []),
]


@pytest.mark.parametrize(("fixture", "overrides", "expected"), CASES)
def test_error_click(detect, fixture, overrides, expected):
    assert detect(fixture, "error_click", **overrides) == expected


def test_error_click_details_carry_the_message():
    from analysis import analyze
    from tests.analysis.event_fixtures import load_events

    (signal,) = [s for s in analyze(load_events("error_click_on_wishlist")).signals if s.kind == "error_click"]
    assert signal.details == {"message": "Uncaught ReferenceError: wishlist is not defined", "error_after_ms": 4}
    assert signal.end_ts - signal.ts == 4
