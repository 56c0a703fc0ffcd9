"""rage_click over hand-built streams: (fixture, config overrides, expected signals)."""

from __future__ import annotations

import pytest

CASES = [
    # four fast clicks on a button that never reacts: one signal for the whole run
    ("rage_on_disabled_button", {}, [("rage_click", 3000, "#pay", 4)]),
    # the handler only injects a <script>, edits a hidden span and sets data-*: nothing visible
    ("rage_with_invisible_mutations", {}, [("rage_click", 3000, "#apply", 3)]),
    # the coupon answer lands 3 s after the clicks, far beyond the 500 ms deliberate window
    ("rage_then_late_answer", {}, [("rage_click", 3000, "#apply", 3)]),
    # every stepper click changes the counter within 2 ms: deliberate
    ("stepper_fast_clicks_not_rage", {}, []),
    # ...unless the project says a change must come faster than it does
    ("stepper_fast_clicks_not_rage", {"deliberate_change_ms": 1}, [("rage_click", 3000, "button.step-up", 5)]),
    # a double-click selecting a word is two clicks, below the minimum of three
    ("double_click_selects_word_not_rage", {}, []),
    # ...and with a minimum of two it would be rage: selection is not a visible reaction
    ("double_click_selects_word_not_rage", {"rage_min_clicks": 2}, [("rage_click", 3000, "p.description", 2)]),
    # 50 px apart: outside the 30 px radius of the first click
    ("clicks_beyond_radius_not_rage", {}, []),
    # a wider radius catches them
    ("clicks_beyond_radius_not_rage", {"rage_radius_px": 120}, [("rage_click", 3000, "div.gallery", 3)]),
    # each carousel click scrolls the track: a visible change
    ("carousel_clicks_scroll_not_rage", {}, []),
    # keyboard clicks arrive at (0, 0): no pointer position, never part of a rage run
    ("keyboard_clicks_not_rage", {}, []),
    # selecting a field's text by triple-click: the feedback happens where rrweb cannot see
    ("triple_click_in_text_field_not_rage", {}, []),
    # hidden radios restyled by CSS: the user's input is the visible change
    ("seat_map_hidden_radios_not_rage", {}, []),
    # a script writing a hidden input is no feedback at all
    ("script_sets_hidden_input_is_rage", {}, [("rage_click", 3000, "#load-more", 3)]),
    # gaps longer than the allowed 1 s break the run
    ("rage_on_disabled_button", {"rage_max_gap_ms": 200}, []),
]


@pytest.mark.parametrize(("fixture", "overrides", "expected"), CASES)
def test_rage_click(detect, fixture, overrides, expected):
    assert detect(fixture, "rage_click", **overrides) == expected
