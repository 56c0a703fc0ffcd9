"""The DOM mirror's structure, and which mutations count as visible changes."""

from __future__ import annotations

import pytest

from analysis.dom import DomMirror
from analysis.event_builders import added, document, element, removed, text
from analysis.events import Mutation
from analysis.mutations import apply_mutation

CSS = (
    ".sr-only{position:absolute;width:1px;height:1px;overflow:hidden}"
    " .open{display:block} .badge{color:red} [data-state=on]{outline:1px solid}"
    " .drawer{display:none} .drawer.is-open{display:block}"
)


def page() -> DomMirror:
    """A page with visible, hidden and invisible corners to mutate."""
    mirror = DomMirror()
    mirror.load_snapshot(document(
        element(10, "div", {"id": "panel", "class": "panel"}, text(11, "Ready")),
        element(12, "span", {"class": "sr-only"}, text(13, "status")),
        element(14, "div", {"hidden": ""}, text(15, "secret")),
        element(16, "button", {"id": "go", "class": "btn"}, text(17, "Go")),
        element(18, "div", {"style": "display: none"}, text(19, "collapsed")),
        element(20, "output", {}, text(21, "1")),
        element(22, "div", {"class": "drawer"}, text(23, "menu")),
        head_children=[element(5, "link", {"rel": "stylesheet", "_cssText": CSS}),
                       element(6, "title", {}, text(7, "Shop"))],
    ))
    return mirror


def mutation(adds=(), removes=(), texts=(), attributes=()) -> Mutation:
    return Mutation(0, tuple(adds), tuple(removes), tuple(texts), tuple(attributes))


def attribute(node_id: int, **changes: object) -> dict[str, object]:
    return {"id": node_id, "attributes": {name.replace("_", "-"): value for name, value in changes.items()}}


VISIBILITY = [
    # text of a visible element changes
    (mutation(texts=[{"id": 11, "value": "Saving..."}]), True),
    # the same text again, whitespace aside
    (mutation(texts=[{"id": 11, "value": " Ready "}]), False),
    # the <title> lives in <head>: never painted
    (mutation(texts=[{"id": 7, "value": "Shop (1)"}]), False),
    # text inside a [hidden] element
    (mutation(texts=[{"id": 15, "value": "other"}]), False),
    # text inside an element hidden by an inline style
    (mutation(texts=[{"id": 19, "value": "other"}]), False),
    # text inside a visually-hidden (.sr-only) live region
    (mutation(texts=[{"id": 13, "value": "saved"}]), False),
    # .drawer hides, but .drawer.is-open shows: we cannot be sure, so it counts
    (mutation(texts=[{"id": 23, "value": "menu!"}]), True),
    # a counter re-rendered: old text node out, new one in, different digit
    (mutation(adds=[added(20, text(30, "2"))], removes=[removed(20, 21)]), True),
    # re-rendered identical to itself
    (mutation(adds=[added(20, text(30, "1"))], removes=[removed(20, 21)]), False),
    # a <script> appended to <body>
    (mutation(adds=[added(4, element(30, "script", {"src": "/a.js"}))]), False),
    # an empty, unstyled <div> appended: paints nothing
    (mutation(adds=[added(4, element(30, "div", {}))]), False),
    # a tracking pixel
    (mutation(adds=[added(4, element(30, "img", {"src": "/p.gif", "width": "1", "height": "1"}))]), False),
    # a toast with text
    (mutation(adds=[added(4, element(30, "div", {"role": "status"})), added(30, text(31, "Added"))]), True),
    # a child whose parent arrives later in the same batch
    (mutation(adds=[added(30, text(31, "Added")), added(4, element(30, "p", {}))]), True),
    # a visible element removed
    (mutation(removes=[removed(4, 16)]), True),
    # a hidden element removed
    (mutation(removes=[removed(4, 14)]), False),
    # a styled class toggled
    (mutation(attributes=[attribute(10, **{"class": "panel open"})]), True),
    # a marker class no CSS rule mentions
    (mutation(attributes=[attribute(10, **{"class": "panel clicked"})]), False),
    # data-* and aria-* attributes change no pixels...
    (mutation(attributes=[attribute(16, data_count="2", aria_pressed="true")]), False),
    # ...unless a CSS attribute selector uses them
    (mutation(attributes=[attribute(16, data_state="on")]), True),
    # disabling a button changes how it looks
    (mutation(attributes=[attribute(16, disabled="")]), True),
    # un-hiding an element shows it
    (mutation(attributes=[attribute(14, hidden=None)]), True),
    # hiding a visible element hides it
    (mutation(attributes=[attribute(16, hidden="")]), True),
    # restyling an element that stays display:none
    (mutation(attributes=[attribute(18, style="display: none; color: red")]), False),
    # an inline style diff as rrweb sends it
    (mutation(attributes=[attribute(16, style={"transform": "translateX(-300px)"})]), True),
    # a <link> stylesheet's inlined text changes: CSS edits are not a visible reaction
    (mutation(attributes=[attribute(5, _cssText=".x{}")]), False),
]


@pytest.mark.parametrize(("change", "visible"), VISIBILITY)
def test_mutation_visibility(change, visible):
    assert apply_mutation(page(), change) is visible


def test_class_changes_count_when_a_stylesheet_is_unreadable():
    mirror = DomMirror()
    mirror.load_snapshot(document(element(10, "div", {"class": "a"}), head_children=[
        element(5, "link", {"rel": "stylesheet", "href": "https://cdn.test/x.css"})]))
    assert apply_mutation(mirror, mutation(attributes=[attribute(10, **{"class": "a clicked"})]))


def test_structure_follows_adds_removes_and_moves():
    mirror = page()
    apply_mutation(mirror, mutation(adds=[added(10, element(30, "b", {}), next_id=11)]))
    assert [child.id for child in mirror.node(10).children] == [30, 11]
    apply_mutation(mirror, mutation(removes=[removed(10, 30)], adds=[added(16, element(30, "b", {}))]))
    assert mirror.node(30).parent.id == 16 and [c.id for c in mirror.node(10).children] == [11]
    apply_mutation(mirror, mutation(removes=[removed(4, 16)]))
    assert mirror.node(30) is None and mirror.node(17) is None


def test_attributes_change_on_a_copy_and_style_diffs_merge():
    raw = document(element(10, "div", {"style": "color: red"}))
    mirror = DomMirror()
    mirror.load_snapshot(raw)
    mirror.set_attributes(10, {"style": {"top": "4px"}, "title": "x"})
    assert mirror.node(10).attrs == {"style": "color: red; top: 4px", "title": "x"}
    assert raw["childNodes"][0]["childNodes"][1]["childNodes"][0]["attributes"] == {"style": "color: red"}


def test_malformed_nodes_are_skipped():
    mirror = DomMirror()
    mirror.load_snapshot({"type": 0, "id": 1, "childNodes": [
        {"type": 2, "id": "two", "tagName": "div"}, "text", {"type": 3, "id": 3, "textContent": 5},
        {"type": 2, "id": 4, "tagName": "p", "childNodes": [{"type": 2, "id": 1, "tagName": "loop"}]},
    ]})
    assert [child.id for child in mirror.node(1).children] == [3, 4]
    assert mirror.node(3).text == "" and mirror.node(4).children == []


def test_a_new_snapshot_replaces_the_page():
    mirror = page()
    mirror.load_snapshot(document(element(10, "main", {})))
    assert mirror.node(16) is None and mirror.node(10).tag == "main"
