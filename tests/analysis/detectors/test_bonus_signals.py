"""thrashed_cursor, excessive_scroll and form_abandon: (fixture, kind, overrides, expected)."""

from __future__ import annotations

import pytest

CASES = [
    # the cursor reverses 11 times within 1.2 s
    ("thrashed_cursor_shake", "thrashed_cursor", {}, [("thrashed_cursor", 3000, "/checkout", 11)]),
    # shorter legs than the shake are tremor: a 400 px minimum leg ignores it
    ("thrashed_cursor_shake", "thrashed_cursor", {"thrash_min_leg_px": 400}, []),
    # ordinary mouse travel across a page
    ("quick_back_after_three_seconds", "thrashed_cursor", {}, []),
    # up and down a long page six times
    ("excessive_scroll_hunting", "excessive_scroll", {}, [("excessive_scroll", 3800, "/help", 6)]),
    # reading from top to bottom never turns back
    ("steady_scroll_not_excessive", "excessive_scroll", {}, []),
    # three fields filled, then gone without pressing Place order
    ("form_abandon_checkout", "form_abandon", {}, [("form_abandon", 3000, "/checkout", 3)]),
    # needing four fields, three are not enough
    ("form_abandon_checkout", "form_abandon", {"form_abandon_min_fields": 4}, []),
    # filled and submitted
    ("form_submitted_not_abandoned", "form_abandon", {}, []),
]


@pytest.mark.parametrize(("fixture", "kind", "overrides", "expected"), CASES)
def test_bonus_signal(detect, fixture, kind, overrides, expected):
    assert detect(fixture, kind, **overrides) == expected
