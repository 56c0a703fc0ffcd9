"""excessive_scroll over hand-built streams: (fixture, config overrides, expected signals)."""

from __future__ import annotations

import pytest

CASES = [
    # up and down a long page six times
    ("excessive_scroll_hunting", {}, [("excessive_scroll", 3800, "/help", 6)]),
    # ...but not enough distance when 30 viewports are required
    ("excessive_scroll_hunting", {"excessive_scroll_min_viewports": 30}, []),
    # reading from top to bottom never turns back
    ("steady_scroll_not_excessive", {}, []),
]


@pytest.mark.parametrize(("fixture", "overrides", "expected"), CASES)
def test_excessive_scroll(detect, fixture, overrides, expected):
    assert detect(fixture, "excessive_scroll", **overrides) == expected
