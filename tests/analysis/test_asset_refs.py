"""Asset references in events: every kind the cache fetches is found, and the byte test
the write path runs on every batch never misses one."""
from __future__ import annotations

import orjson
import pytest

from analysis.asset_refs import FONT, IMAGE, STYLESHEET, event_refs, may_name_assets
from analysis.event_builders import added, document, element, incremental_event, mutation_event, snapshot_event
from analysis.rrweb import IncrementalSource

CSS = "https://cdn.test/site.css"
FONT_URL = "https://cdn.test/brand.woff2"
IMG, IMG2 = "https://cdn.test/hero.jpg", "https://cdn.test/hero@2x.jpg"


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
    # images: <img src srcset>, <picture><source srcset>, <input type=image>, <video poster>, SVG <image href>
    ([_snapshot(element(5, "img", {"src": IMG, "srcset": f"{IMG} 1x, {IMG2} 2x"}))], {IMG: IMAGE, IMG2: IMAGE}),
    ([_snapshot(element(5, "source", {"srcset": f"{IMG2} 800w"}))], {IMG2: IMAGE}),
    ([_snapshot(element(5, "input", {"type": "image", "src": IMG}), element(6, "video", {"poster": IMG2}))],
     {IMG: IMAGE, IMG2: IMAGE}),
    ([_snapshot(element(5, "image", {"href": IMG}))], {IMG: IMAGE}),
    # CSS backgrounds: inline style, <style> text, inlined sheets; a data: URL is no fetch
    ([_snapshot(element(5, "div", {"style": f"background: url({IMG}), url(data:image/png;base64,AAA=)"}))], {IMG: IMAGE}),
    ([_snapshot(element(5, "link", {"rel": "stylesheet", "_cssText": f".hero {{ background-image: url('{IMG}') }}"}))],
     {IMG: IMAGE}),
    # changed later: a src, a style attribute (rrweb sends its changed properties), a CSSOM declaration
    ([mutation_event(20, attributes=[{"id": 5, "attributes": {"src": IMG}}])], {IMG: IMAGE}),
    ([mutation_event(20, attributes=[{"id": 5, "attributes": {"style": {"background-image": [f"url({IMG2})", ""]}}}])],
     {IMG2: IMAGE}),
    ([incremental_event(30, IncrementalSource.STYLE_DECLARATION, id=4, index=[0],
                        set={"property": "background", "value": f"url({IMG})"})], {IMG: IMAGE}),
    # nothing to fetch: a click, an inline style without fonts
    ([incremental_event(40, IncrementalSource.MOUSE_INTERACTION, type=2, id=7, x=1, y=2)], {}),
]


@pytest.mark.parametrize("events, expected", CASES)
def test_references_are_found_and_never_missed_by_the_byte_test(events, expected):
    assert event_refs(events)[0] == expected
    if expected:
        assert may_name_assets(orjson.dumps(events))
