"""quick_back over hand-built streams: (fixture, config overrides, expected signals)."""

from __future__ import annotations

import pytest

CASES = [
    # home -> product for 3.1 s -> home: the signal sits on the product page
    ("quick_back_after_three_seconds", {}, [("quick_back", 2100, "/product", 1)]),
    # with a 3 s limit it is no longer quick
    ("quick_back_after_three_seconds", {"quick_back_max_dwell_ms": 3000}, []),
    # 12 s on the product page: reading, not bouncing
    ("slow_back_not_quick", {}, []),
    # SPA navigations count the same as full loads
    ("spa_quick_back", {}, [("quick_back", 3000, "/account/orders", 1)]),
    # a fragment is the same page: no visit to bounce from
    ("fragment_navigation_same_page", {}, []),
]


@pytest.mark.parametrize(("fixture", "overrides", "expected"), CASES)
def test_quick_back(detect, fixture, overrides, expected):
    assert detect(fixture, "quick_back", **overrides) == expected
