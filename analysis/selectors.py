"""A short, readable CSS selector for an element, unique in its document when we can.

Preference: ``#id``; else ``tag.class.class``; else that compound inside the nearest
ancestor with an id that tells it apart from look-alikes (``#panel button.more``), or
under its parent (``body > button.more``); as a last resort ``:nth-of-type``. Signals
show it to people: readability first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.dom import DomMirror, Node

MAX_STEPS = 8
"""Ancestors searched for an id to anchor on; farther anchors read as unrelated."""

MAX_UNIQUENESS_SCAN = 500
"""Same-tag elements we compare against; past this (div soup, huge tables) we use the
parent and the position instead, so analysis stays linear in practice."""

MAX_CLASSES = 2
"""Classes kept per step: usually the component and its variant."""

_IDENTIFIER = re.compile(r"^-?[A-Za-z_][\w-]*$")


@dataclass(frozen=True, slots=True)
class Compound:
    """``#id`` or ``tag.class.class``: what it says, and what it matches."""

    text: str
    ident: str | None
    tag: str
    classes: frozenset[str]

    def matches(self, node: Node) -> bool:
        if self.ident is not None:
            return node.attr("id") == self.ident
        return node.tag == self.tag and self.classes.issubset(node.classes())


def compound(element: Node) -> Compound:
    """The compound selector for one element.

    >>> mirror = DomMirror()
    >>> mirror.load_snapshot({"type": 2, "id": 1, "tagName": "div", "attributes": {"class": "card  card--wide js-3f"}})
    >>> compound(mirror.node(1)).text
    'div.card.card--wide'
    """
    ident = element.attr("id")
    if ident and _IDENTIFIER.match(ident):
        return Compound(f"#{ident}", ident, element.tag, frozenset())
    classes = [name for name in element.classes() if _IDENTIFIER.match(name)][:MAX_CLASSES]
    return Compound(element.tag + "".join(f".{name}" for name in classes), None, element.tag, frozenset(classes))


def css_selector(mirror: DomMirror, element: Node) -> str:
    """Build the selector for ``element`` within ``mirror``'s document.

    >>> from analysis.event_builders import document, element as el
    >>> mirror = DomMirror()
    >>> mirror.load_snapshot(document(
    ...     el(10, "div", {"id": "panel"}, el(11, "button", {"class": "more"}), el(12, "button", {"class": "more"})),
    ...     el(13, "button", {"class": "more"}), el(14, "a", {"id": "promo"}),
    ...     el(15, "nav", {}, el(16, "a", {"class": "more"}))))
    >>> css_selector(mirror, mirror.node(14)), css_selector(mirror, mirror.node(16))
    ('#promo', 'a.more')
    >>> css_selector(mirror, mirror.node(12)), css_selector(mirror, mirror.node(13))
    ('#panel button.more:nth-of-type(2)', 'body > button.more')
    """
    own = compound(element)
    if own.ident is not None:
        return own.text
    parent = element.parent
    if len(mirror.element_ids(element.tag)) > MAX_UNIQUENESS_SCAN:
        prefix = f"{compound(parent).text} > " if parent is not None and parent.is_element else ""
        return f"{prefix}{own.text}:nth-of-type({mirror.position_among_type(element)})"
    rivals = [node for node in mirror.elements(element.tag) if node is not element and own.matches(node)]
    anchor = _nearest_telling_id(element, rivals)
    if anchor is not None:
        rivals = [rival for rival in rivals if anchor in _ancestor_ids(rival)]
    text = own.text
    if rivals and anchor is None and parent is not None and parent.is_element:
        step = compound(parent)
        narrowed = [rival for rival in rivals if rival.parent is not None and step.matches(rival.parent)]
        if len(narrowed) < len(rivals):
            text, rivals = f"{step.text} > {text}", narrowed
    if rivals:
        text += f":nth-of-type({mirror.position_among_type(element)})"
    return f"#{anchor} {text}" if anchor is not None else text


def _nearest_telling_id(element: Node, rivals: list[Node]) -> str | None:
    """The closest ancestor id that some look-alikes are not inside, if any."""
    if not rivals:
        return None
    rival_ancestors = [_ancestor_ids(rival) for rival in rivals]
    for depth, ancestor in enumerate(element.ancestors()):
        if depth >= MAX_STEPS:
            break
        ident = compound(ancestor).ident if ancestor.is_element else None
        if ident is not None and not all(ident in ids for ids in rival_ancestors):
            return ident
    return None


def _ancestor_ids(node: Node) -> set[str]:
    return {ident for ident in (a.attr("id") for a in node.ancestors()) if ident}
