"""dead_click over hand-built streams: (fixture, config overrides, expected signals)."""

from __future__ import annotations

import pytest

CASES = [
    # an <a> without href, nothing for 4 s
    ("dead_click_on_promo_link", {}, [("dead_click", 2000, "#promo", 1)]),
    # waiting longer than the 4 s until the scroll: the scroll is within the window
    ("dead_click_on_promo_link", {"dead_click_wait_ms": 4500}, []),
    # text-entry targets are never dead: typing is recorded late
    ("click_into_text_field_not_dead", {}, []),
    # a label focusing a text field is a text-entry target too
    ("label_for_text_field_not_dead", {}, []),
    # a plain div is not interactive
    ("plain_div_click_not_dead", {}, []),
    # the previous field's Input (and its validation mutation) arrive at mouse-down, before the click
    ("field_change_before_click_is_not_its_effect", {}, [("dead_click", 5060, "#place-order", 1)]),
    # any mutation counts as something happening, even an invisible <title> change
    ("invisible_mutation_still_not_dead", {}, []),
    # the recording stops 1 s after the click: we cannot know
    ("click_near_session_end_not_dead", {}, []),
    # a new-tab link has its effect elsewhere
    ("link_to_new_tab_not_dead", {}, []),
    # the icon span inside a button: the signal names the button
    ("dead_click_inside_button", {}, [("dead_click", 2000, "button.wish", 1)]),
    # a selection change is a reaction
    ("selection_change_not_dead", {}, []),
    # clicks of a rage sequence are not also dead clicks
    ("rage_on_disabled_button", {}, []),
    # the stepper reacts at once
    ("stepper_fast_clicks_not_rage", {}, []),
    # keyboard clicks with a validation message each time
    ("keyboard_clicks_not_rage", {}, []),
]


@pytest.mark.parametrize(("fixture", "overrides", "expected"), CASES)
def test_dead_click(detect, fixture, overrides, expected):
    assert detect(fixture, "dead_click", **overrides) == expected
