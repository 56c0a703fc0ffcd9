"""A short, readable CSS selector for an element, unique in its document when we can.

Preference: ``#id``; else ``tag.class.class``; else that compound under the ancestors
that tell it apart from look-alikes (descendant combinators, stopping at an ancestor
with an id), e.g. ``#panel button.more``; then its parent (``body > button.more``);
as a last resort ``:nth-of-type``. Signals show it to people: readability first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.dom import DomMirror, Node

MAX_STEPS = 8
"""Ancestors a selector may look through for context; deeper is unreadable anyway."""

MAX_UNIQUENESS_SCAN = 5000
"""Same-tag elements we compare against; past this the document is huge, use positions."""

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
    same_tag = mirror.elements(element.tag)
    if len(same_tag) > MAX_UNIQUENESS_SCAN:
        return f"{own.text}:nth-of-type({_position_among_type(element)})"
    rivals = [node for node in same_tag if node is not element and own.matches(node)]
    context: list[str] = []
    for depth, ancestor in enumerate(element.ancestors()):
        if not rivals or depth >= MAX_STEPS or not ancestor.is_element:
            break
        step = compound(ancestor)
        narrowed = [rival for rival in rivals if any(step.matches(a) for a in rival.ancestors())]
        if len(narrowed) < len(rivals):  # only steps that tell rivals apart are worth reading
            context.append(step.text)
            rivals = narrowed
        if step.ident is not None:
            break  # ids are unique: nothing above can help more
    text = own.text
    parent = element.parent
    if rivals and not context and parent is not None and parent.is_element:
        step = compound(parent)
        narrowed = [rival for rival in rivals if rival.parent is not None and step.matches(rival.parent)]
        if len(narrowed) < len(rivals):
            text, rivals = f"{step.text} > {text}", narrowed
    if rivals:
        text += f":nth-of-type({_position_among_type(element)})"
    return " ".join([*reversed(context), text])


def _position_among_type(element: Node) -> int:
    if element.parent is None:
        return 1
    same_tag = [sibling for sibling in element.parent.children if sibling.tag == element.tag]
    return next((index for index, sibling in enumerate(same_tag, start=1) if sibling is element), 1)
