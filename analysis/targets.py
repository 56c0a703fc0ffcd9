"""What a click landed on: tag, a readable selector, its text, and how it behaves.

rrweb's Click carries the id of the event target, often a ``<span>`` inside a button.
We describe the closest interactive ancestor-or-self when there is one (that is what
the person meant to press), else the element itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.dom import DomMirror, Node
from analysis.rrweb import NodeType
from analysis.selectors import css_selector

INTERACTIVE_TAGS = frozenset({"a", "button", "input", "label", "summary", "select", "textarea"})
INTERACTIVE_ROLES = frozenset({"button", "link", "tab", "menuitem", "checkbox"})
"""SPEC: a, button, input, label, summary, [role=button|link|tab|menuitem|checkbox], [onclick]."""

NON_TEXT_INPUT_TYPES = frozenset({"checkbox", "radio", "button", "submit", "reset", "image", "hidden", "range"})
"""Input types that act on a click; every other type takes typed or picked values,
which rrweb (``sampling.input: 'last'``) records late, on change or blur."""

SILENT_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "head"})
TEXT_LIMIT = 80
"""Characters of target text kept in a signal: enough to recognise, short to display."""


@dataclass(frozen=True, slots=True)
class ClickTarget:
    """The element a click meant, described at the moment of the click."""

    node_id: int | None
    tag: str | None
    selector: str | None
    text: str | None
    is_interactive: bool
    is_text_entry: bool
    opens_elsewhere: bool
    """A link that opens a new tab, a download or another app: its effect is off-page."""
    is_button: bool
    """A button or submit control (or inside one): clicking it acts on a form."""


UNKNOWN_TARGET = ClickTarget(None, None, None, None, False, False, False, False)


def describe_click_target(mirror: DomMirror, node_id: int | None) -> ClickTarget:
    """Describe the element a click with this node id landed on.

    >>> from analysis.event_builders import document, element, text
    >>> mirror = DomMirror()
    >>> mirror.load_snapshot(document(element(10, "button", {"class": "btn primary"},
    ...                                        element(11, "span", {}, text(12, "Pay now")))))
    >>> target = describe_click_target(mirror, 11)
    >>> target.selector, target.tag, target.text, target.is_interactive, target.is_text_entry
    ('button.btn.primary', 'button', 'Pay now', True, False)

    See also: :func:`analysis.selectors.css_selector`.
    """
    node = mirror.node(node_id)
    if node is None:
        return UNKNOWN_TARGET
    if not node.is_element and node.parent is not None and node.parent.is_element:
        node = node.parent
    path = [node, *node.ancestors()]  # one walk, many questions
    interactive = _first(path, is_interactive_element)
    shown = interactive or node
    return ClickTarget(
        node_id=node.id,
        tag=shown.tag or None,
        selector=css_selector(mirror, shown) if shown.is_element else None,
        text=describe_text(shown),
        is_interactive=interactive is not None,
        is_text_entry=_is_text_entry_path(mirror, path),
        opens_elsewhere=_opens_elsewhere(_first(path, lambda n: n.tag == "a")),
        is_button=_first(path, is_button_element) is not None,
    )


def _first(path: list[Node], predicate) -> Node | None:  # type: ignore[no-untyped-def]
    return next((node for node in path if predicate(node)), None)


def closest(node: Node, predicate) -> Node | None:  # type: ignore[no-untyped-def]
    """The node itself or its nearest ancestor satisfying ``predicate``.

    >>> from analysis.event_builders import document, element, text
    >>> mirror = DomMirror()
    >>> mirror.load_snapshot(document(element(10, "form", {}, element(11, "p", {}, text(12, "x")))))
    >>> closest(mirror.node(12), lambda n: n.tag == "form").id
    10
    """
    if predicate(node):
        return node
    return next((ancestor for ancestor in node.ancestors() if predicate(ancestor)), None)


def is_interactive_element(node: Node) -> bool:
    """An element people expect to do something when clicked (SPEC's list).

    >>> from analysis.event_builders import document, element
    >>> mirror = DomMirror()
    >>> mirror.load_snapshot(document(element(10, "div", {"role": "tab"}), element(11, "div", {})))
    >>> is_interactive_element(mirror.node(10)), is_interactive_element(mirror.node(11))
    (True, False)
    """
    if node.kind != NodeType.ELEMENT:
        return False
    if node.tag in INTERACTIVE_TAGS or node.attr("onclick") is not None:
        return True
    return (node.attr("role") or "").strip().lower() in INTERACTIVE_ROLES


def is_button_element(node: Node) -> bool:
    """A button, a submit-like input, or ``[role=button]``.

    >>> from analysis.event_builders import document, element
    >>> mirror = DomMirror()
    >>> mirror.load_snapshot(document(element(10, "input", {"type": "submit"}), element(11, "input", {})))
    >>> is_button_element(mirror.node(10)), is_button_element(mirror.node(11))
    (True, False)
    """
    if node.tag == "button" or (node.attr("role") or "").strip().lower() == "button":
        return True
    return node.tag == "input" and (node.attr("type") or "").lower() in ("submit", "button", "image", "reset")


def is_text_entry_element(node: Node) -> bool:
    """Text-like ``input``, ``textarea``, ``select``, or editable content.

    >>> from analysis.event_builders import document, element
    >>> mirror = DomMirror()
    >>> mirror.load_snapshot(document(element(10, "input", {"type": "email"}), element(11, "input", {"type": "checkbox"})))
    >>> is_text_entry_element(mirror.node(10)), is_text_entry_element(mirror.node(11))
    (True, False)
    """
    if node.tag in ("textarea", "select"):
        return True
    if node.tag == "input":
        return (node.attr("type") or "text").strip().lower() not in NON_TEXT_INPUT_TYPES
    editable = node.attr("contenteditable")
    return editable is not None and editable.strip().lower() != "false"


def is_text_entry_target(mirror: DomMirror, node: Node) -> bool:
    """A text-entry element, inside one, or a label that focuses one.

    >>> from analysis.event_builders import document, element, text
    >>> mirror = DomMirror()
    >>> mirror.load_snapshot(document(element(10, "label", {"for": "q"}, text(11, "Search")),
    ...                               element(12, "input", {"id": "q"})))
    >>> is_text_entry_target(mirror, mirror.node(10))
    True
    """
    return _is_text_entry_path(mirror, [node, *node.ancestors()])


def _is_text_entry_path(mirror: DomMirror, path: list[Node]) -> bool:
    if _first(path, is_text_entry_element) is not None:
        return True
    label = _first(path, lambda n: n.tag == "label")
    if label is None:
        return False
    if any(is_text_entry_element(inner) for inner in label.descendants(limit=200)):
        return True
    control = mirror.element_by_id(label.attr("for"))
    return control is not None and is_text_entry_element(control)


def describe_text(node: Node) -> str | None:
    """Visible text, whitespace collapsed and cut to :data:`TEXT_LIMIT` characters.

    Falls back to ``aria-label``, ``title``, ``alt``, ``placeholder`` or a button's value.

    >>> from analysis.event_builders import document, element, text
    >>> mirror = DomMirror()
    >>> mirror.load_snapshot(document(element(10, "a", {}, text(11, " Spring "), element(12, "b", {}, text(13, "sale"))),
    ...                               element(14, "button", {"aria-label": "Close"})))
    >>> describe_text(mirror.node(10)), describe_text(mirror.node(14))
    ('Spring sale', 'Close')
    """
    parts: list[str] = []
    stack = [node]
    size = 0
    while stack and size < TEXT_LIMIT * 4:
        current = stack.pop()
        if current.kind == NodeType.TEXT:
            parts.append(current.text)
            size += len(current.text)
        elif current.kind == NodeType.ELEMENT and current.tag not in SILENT_TEXT_TAGS:
            stack.extend(reversed(current.children))
    words = " ".join(" ".join(parts).split())
    if not words:
        words = _label_attribute(node) or ""
    return words[:TEXT_LIMIT] or None


def _label_attribute(node: Node) -> str | None:
    for name in ("aria-label", "title", "alt", "placeholder"):
        value = node.attr(name)
        if value and value.strip():
            return value.strip()
    if node.tag == "input" and (node.attr("type") or "").lower() in ("button", "submit", "reset"):
        return node.attr("value")
    return None


def _opens_elsewhere(link: Node | None) -> bool:
    if link is None:
        return False
    target = (link.attr("target") or "").strip().lower()
    href = (link.attr("href") or "").strip().lower()
    if target not in ("", "_self", "_top", "_parent") or link.attr("download") is not None:
        return True
    return href.startswith(("mailto:", "tel:", "sms:"))
