"""Asset references in events: every kind the cache fetches is found, and the byte test
the write path runs on every batch never misses one."""
from __future__ import annotations

import orjson
import pytest

from analysis.asset_refs import FONT, STYLESHEET, event_refs, may_name_assets
from analysis.event_builders import added, document, element, incremental_event, mutation_event, snapshot_event
from analysis.rrweb import IncrementalSource

CSS = "https://cdn.test/site.css"
FONT_URL = "https://cdn.test/brand.woff2"


def _snapshot(*head):
    return snapshot_event(10, document(head_children=list(head)))


CASES = [
    # a cross-origin stylesheet stays a <link> (rel in any case)
    ([_snapshot(element(5, "link", {"rel": "StyleSheet", "href": CSS}))], {CSS: STYLESHEET}),
    # a font preloaded
    ([_snapshot(element(5, "link", {"rel": "preload", "as": "font", "href": FONT_URL}))], {FONT_URL: FONT}),
    # same-origin sheets are inlined: fonts and imports inside _cssText
    ([_snapshot(element(5, "link", {"rel": "stylesheet", "_cssText": f"@font-face {{ src: url({FONT_URL}) }}"}))],
     {FONT_URL: FONT}),
    # a <link> added later by a script
    ([mutation_event(20, adds=[added(3, element(9, "link", {"rel": "stylesheet", "href": CSS}))])], {CSS: STYLESHEET}),
    # CSSOM insertRule and adopted sheets
    ([incremental_event(30, IncrementalSource.STYLE_SHEET_RULE, id=4, adds=[{"rule": f'@import "{CSS}";'}])],
     {CSS: STYLESHEET}),
    ([incremental_event(30, IncrementalSource.ADOPTED_STYLE_SHEET, id=4,
                        styles=[{"styleId": 1, "rules": [{"rule": f"@font-face {{ src: url('{FONT_URL}') }}"}]}])],
     {FONT_URL: FONT}),
    # nothing to fetch: a click, an inline style without fonts
    ([incremental_event(40, IncrementalSource.MOUSE_INTERACTION, type=2, id=7, x=1, y=2)], {}),
]


@pytest.mark.parametrize("events, expected", CASES)
def test_references_are_found_and_never_missed_by_the_byte_test(events, expected):
    assert event_refs(events)[0] == expected
    if expected:
        assert may_name_assets(orjson.dumps(events))
