"""Elements a team silences: data-rd-ignore in the markup and a project's ignore
selectors. A click on or inside one gives no rage, dead or error click (nor the dead
end those would make); the rest of the page is analysed as before."""
from __future__ import annotations

import pytest

from analysis import DetectorConfig, analyze
from analysis.dom import DomMirror
from analysis.event_builders import click_event, document, element, error_event, page_load, text
from analysis.ignore import IgnoreRule, parse_selector

CAROUSEL = element(10, "div", {"class": "carousel hero", "id": "hero"},
                   element(11, "button", {"class": "next", "data-step": "1"}, text(12, "›")))
IGNORED_BOX = element(20, "section", {"data-rd-ignore": ""}, element(21, "div", {}, element(22, "a", {"href": "#x"})))
PAY = element(30, "button", {"id": "pay", "class": "btn"})


def mirror() -> DomMirror:
    built = DomMirror()
    built.load_snapshot(document(CAROUSEL, IGNORED_BOX, PAY))
    return built


@pytest.mark.parametrize("selector, node, expected", [
    ("button", 11, True),
    (".carousel button", 11, True),  # descendant
    ("#hero > button.next", 11, True),  # child
    ("div > .next", 11, True),
    ("body > .next", 11, False),  # the parent is the div, not body
    ("[data-step]", 11, True),
    ("[data-step=1]", 11, True),
    ("[data-step='2']", 11, False),
    ("div.carousel.hero", 12, True),  # the text node's element is inside it
    (".carousel", 30, False),
    ("*", 30, True),
    ("#pay", 30, True),
    ("button#pay.btn", 30, True),
    ("a", 30, False),
])
def test_selectors_match_like_css(selector, node, expected):
    built = mirror()
    target = built.node(node)
    assert IgnoreRule.from_selectors([selector]).ignores(target) is expected


def test_the_attribute_needs_no_selector_and_covers_descendants():
    built = mirror()
    assert [IgnoreRule().ignores(built.node(n)) for n in (20, 22, 30)] == [True, True, False]


@pytest.mark.parametrize("selector", ["a:hover", "a::before", "a + b", "a ~ b", "> a", "a >", "a >> b", "", "#a#b",
                                      "div span" * 40, "[x=y z]", "a[", "@media"])
def test_what_the_subset_cannot_match_is_refused(selector):
    with pytest.raises(ValueError, match="ignore selector"):
        parse_selector(selector)
    with pytest.raises(ValueError):
        DetectorConfig.from_dict({"ignore_selectors": [selector or " "]})


def _rage(node_id: int, *, then_error: bool = False) -> list[dict]:
    raw = page_load(1000, "http://shop.test/", CAROUSEL, IGNORED_BOX, PAY)
    raw += [click_event(2000 + i * 300, node_id, 400, 300) for i in range(4)]
    if then_error:
        raw.append(error_event(3000))
    return raw


def kinds(raw, config=DetectorConfig()) -> set[str]:
    return {signal.kind for signal in analyze(raw, config).signals}


def test_clicks_on_ignored_elements_are_no_signal():
    assert {"rage_click", "dead_end"} <= kinds(_rage(30))  # the pay button is watched
    assert kinds(_rage(22)) == set()  # inside data-rd-ignore: nothing, no dead end either
    assert kinds(_rage(22, then_error=True)) == set()  # not an error click either
    assert "rage_click" in kinds(_rage(11))
    assert kinds(_rage(11), DetectorConfig.from_dict({"ignore_selectors": [".carousel button"]})) == set()
    assert "rage_click" in kinds(_rage(30), DetectorConfig.from_dict({"ignore_selectors": [".carousel button"]}))


def test_a_changed_ignore_list_changes_the_fingerprint():
    assert DetectorConfig().fingerprint() != DetectorConfig.from_dict({"ignore_selectors": ["#promo"]}).fingerprint()
