"""form_abandon over hand-built streams: (fixture, config overrides, expected signals)."""

from __future__ import annotations

import pytest

CASES = [
    # three fields filled, then gone without pressing Place order
    ("form_abandon_checkout", {}, [("form_abandon", 3000, "/checkout", 3)]),
    # needing four fields, three are not enough
    ("form_abandon_checkout", {"form_abandon_min_fields": 4}, []),
    # filled and submitted
    ("form_submitted_not_abandoned", {}, []),
    # one field (a coupon) is not a form
    ("click_into_text_field_not_dead", {}, []),
]


@pytest.mark.parametrize(("fixture", "overrides", "expected"), CASES)
def test_form_abandon(detect, fixture, overrides, expected):
    assert detect(fixture, "form_abandon", **overrides) == expected
