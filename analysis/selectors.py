"""A short, readable CSS selector for an element, unique in its document when we can.

Preference: ``#id``; else ``tag.class.class``; else that compound under as many parent
steps as it takes to become unique (stopping at an ancestor with an id), e.g.
``#panel > div.order > button``; as a last resort ``:nth-of-type``. Signals show it to
people, so readability beats robustness.
"""

from __future__ import annotations

import re

from analysis.dom import DomMirror, Node

MAX_STEPS = 5
"""Parent steps a selector may climb; deeper paths are unreadable anyway."""

MAX_UNIQUENESS_SCAN = 5000
"""Same-tag elements we compare against; past this the document is huge, use positions."""

MAX_CLASSES = 2
"""Classes kept per step: usually the component and its variant."""

_IDENTIFIER = re.compile(r"^-?[A-Za-z_][\w-]*$")


def css_selector(mirror: DomMirror, element: Node) -> str:
    """Build the selector for ``element`` within ``mirror``'s document.

    >>> from analysis.event_builders import document, element as el
    >>> mirror = DomMirror()
    >>> mirror.load_snapshot(document(
    ...     el(10, "div", {"id": "panel"}, el(11, "button", {"class": "more"}), el(12, "button", {"class": "more"})),
    ...     el(13, "button", {"class": "more"}), el(14, "a", {"id": "promo"})))
    >>> css_selector(mirror, mirror.node(14)), css_selector(mirror, mirror.node(13))
    ('#promo', 'body > button.more')
    >>> css_selector(mirror, mirror.node(12))
    '#panel > button.more:nth-of-type(2)'
    """
    own_id = _usable_id(element)
    if own_id:
        return f"#{own_id}"
    steps = [compound(element)]
    same_tag = mirror.elements(element.tag)
    if len(same_tag) > MAX_UNIQUENESS_SCAN:
        return f"{steps[0]}:nth-of-type({_position_among_type(element)})"
    rivals = [node for node in same_tag if node is not element and compound(node) == steps[0]]
    ancestor, level = element.parent, 1
    while rivals and ancestor is not None and ancestor.is_element and level <= MAX_STEPS:
        steps.append(compound(ancestor))
        rivals = [rival for rival in rivals if _ancestor_at(rival, level) is not None
                  and compound(_ancestor_at(rival, level)) == steps[-1]]  # type: ignore[arg-type]
        if _usable_id(ancestor):
            break
        ancestor, level = ancestor.parent, level + 1
    if rivals:
        steps[0] += f":nth-of-type({_position_among_type(element)})"
    return " > ".join(reversed(steps))


def compound(element: Node) -> str:
    """``#id`` or ``tag.class.class`` for one element.

    >>> mirror = DomMirror()
    >>> mirror.load_snapshot({"type": 2, "id": 1, "tagName": "div", "attributes": {"class": "card  card--wide js-3f"}})
    >>> compound(mirror.node(1))
    'div.card.card--wide'
    """
    own_id = _usable_id(element)
    if own_id:
        return f"#{own_id}"
    classes = [name for name in element.classes() if _IDENTIFIER.match(name)]
    return element.tag + "".join(f".{name}" for name in classes[:MAX_CLASSES])


def _usable_id(element: Node) -> str | None:
    ident = element.attr("id")
    return ident if ident and _IDENTIFIER.match(ident) else None


def _ancestor_at(node: Node, level: int) -> Node | None:
    for _ in range(level):
        if node.parent is None:
            return None
        node = node.parent
    return node


def _position_among_type(element: Node) -> int:
    if element.parent is None:
        return 1
    same_tag = [sibling for sibling in element.parent.children if sibling.tag == element.tag]
    return next(index for index, sibling in enumerate(same_tag, start=1) if sibling is element)
