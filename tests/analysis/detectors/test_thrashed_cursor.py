"""thrashed_cursor over hand-built streams: (fixture, config overrides, expected signals)."""

from __future__ import annotations

import pytest

CASES = [
    # the cursor reverses 11 times within 1.2 s
    ("thrashed_cursor_shake", {}, [("thrashed_cursor", 3000, "/checkout", 11)]),
    # shorter legs than the shake are tremor: a 400 px minimum leg ignores it
    ("thrashed_cursor_shake", {"thrash_min_leg_px": 400}, []),
    # ordinary mouse travel across a page
    ("quick_back_after_three_seconds", {}, []),
]


@pytest.mark.parametrize(("fixture", "overrides", "expected"), CASES)
def test_thrashed_cursor(detect, fixture, overrides, expected):
    assert detect(fixture, "thrashed_cursor", **overrides) == expected
