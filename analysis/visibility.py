"""Would a person looking at the page see this node, or a change to it?

Used to tell a *visible* reaction to a click (a counter ticks, a seat turns blue) from
DOM churn nobody sees: a ``<script>`` or ``<style>`` injected, the ``<title>`` changed,
a hidden element's text updated, a ``data-*`` attribute set, a marker class no CSS rule
mentions, an empty ``<div>`` appended, or content re-rendered identical to itself.
We have no layout engine, so "visible" means "not provably invisible".
"""

from __future__ import annotations

from analysis.dom import MAX_DEPTH, Node
from analysis.rrweb import NodeType
from analysis.stylesheets import CssIndex, is_hiding

NEVER_RENDERED_TAGS = frozenset(
    {"head", "title", "meta", "link", "base", "style", "script", "noscript", "template"}
    | {"datalist", "param", "source", "track"}
)
"""Elements the browser never paints (``noscript`` only shows with scripts off)."""

REPLACED_TAGS = frozenset(
    {"img", "svg", "video", "audio", "canvas", "iframe", "object", "embed", "picture"}
    | {"input", "button", "select", "textarea", "hr", "progress", "meter"}
)
"""Elements that paint something even when they hold no text."""

INERT_ATTRIBUTES = frozenset(
    {"id", "name", "title", "tabindex", "role", "for", "href", "action", "method", "target"}
    | {"rel", "lang", "translate", "spellcheck", "draggable", "autocomplete", "inputmode"}
    | {"enterkeyhint", "nonce", "integrity", "crossorigin", "referrerpolicy", "loading"}
    | {"decoding", "fetchpriority", "contenteditable", "_cssText", "autofocus"}
)
"""Attributes that change no pixels unless a CSS attribute selector uses them."""

INERT_ATTRIBUTE_PREFIXES = ("data-", "aria-", "rr_", "on")

SIGNATURE_BUDGET = 400
"""Nodes compared per re-rendered subtree before we just call it changed."""


def is_rendered(node: Node, css: CssIndex) -> bool:
    """True if nothing on the path from ``node`` to the document hides it.

    >>> from analysis.dom import DomMirror
    >>> from analysis.event_builders import document, element, text
    >>> from analysis.stylesheets import CssIndex
    >>> mirror = DomMirror()
    >>> mirror.load_snapshot(document(element(10, "p", {}, text(11, "a")), element(12, "p", {"hidden": ""}, text(13, "b"))))
    >>> is_rendered(mirror.node(11), CssIndex()), is_rendered(mirror.node(13), CssIndex())
    (True, False)
    """
    child: Node | None = None
    current = node
    for _ in range(MAX_DEPTH):
        if current.kind == NodeType.ELEMENT and is_hidden_element(current, child, css):
            return False
        if current.parent is None:
            return current.kind == NodeType.DOCUMENT  # detached subtrees are not on screen
        child, current = current, current.parent
    return False


def is_hidden_element(element: Node, child_on_path: Node | None, css: CssIndex) -> bool:
    """True if ``element`` (or, for ``<details>``, the child we came from) is not painted.

    >>> from analysis.dom import DomMirror
    >>> from analysis.event_builders import document, element
    >>> from analysis.stylesheets import CssIndex
    >>> mirror = DomMirror()
    >>> mirror.load_snapshot(document(element(10, "div", {"style": "visibility: hidden"}), element(11, "script", {})))
    >>> is_hidden_element(mirror.node(10), None, CssIndex()), is_hidden_element(mirror.node(11), None, CssIndex())
    (True, True)
    """
    tag = element.tag
    if tag in NEVER_RENDERED_TAGS or element.attr("hidden") is not None:
        return True
    if tag == "input" and (element.attr("type") or "").lower() == "hidden":
        return True
    if tag == "dialog" and element.attr("open") is None:
        return True
    if tag == "details" and element.attr("open") is None:
        if child_on_path is not None and child_on_path.tag != "summary":
            return True
    if tag == "img" and _is_pixel(element):
        return True  # a tracking pixel
    style = element.attr("style")
    if style and is_hiding(style):
        return True
    return bool(css.hiding) and css.hides(element)


def has_visible_content(node: Node, css: CssIndex) -> bool:
    """True if the subtree paints anything: text, a replaced element, a styled box.

    >>> from analysis.dom import DomMirror
    >>> from analysis.event_builders import document, element, text
    >>> from analysis.stylesheets import CssIndex
    >>> mirror = DomMirror()
    >>> mirror.load_snapshot(document(element(10, "div", {}, element(11, "span", {})), element(12, "div", {}, text(13, "Hi"))))
    >>> has_visible_content(mirror.node(10), CssIndex(is_complete=True)), has_visible_content(mirror.node(12), CssIndex())
    (False, True)
    """
    budget = SIGNATURE_BUDGET
    stack = [node]
    while stack:
        budget -= 1
        if budget < 0:
            return True  # too big to prove empty
        current = stack.pop()
        if current.kind in (NodeType.TEXT, NodeType.CDATA):
            if current.text.strip():
                return True
            continue
        if current.kind != NodeType.ELEMENT or is_hidden_element(current, None, css):
            continue
        if current.tag in REPLACED_TAGS or current.attr("style") or _has_styled_class(current, css):
            return True
        stack.extend(current.children)
    return False


def content_signature(node: Node, css: CssIndex) -> object:
    """A comparable summary of what a subtree shows; equal signatures look the same.

    Returns a fresh ``object()`` (equal to nothing) when the subtree is too large.

    >>> from analysis.dom import DomMirror
    >>> from analysis.event_builders import document, element, text
    >>> from analysis.stylesheets import CssIndex
    >>> mirror = DomMirror()
    >>> mirror.load_snapshot(document(element(10, "b", {"data-x": "1"}, text(11, "2")), element(12, "b", {}, text(13, " 2"))))
    >>> content_signature(mirror.node(10), CssIndex()) == content_signature(mirror.node(12), CssIndex())
    True
    """
    budget = [SIGNATURE_BUDGET]
    signature = _signature(node, css, budget, depth=0)
    return object() if budget[0] < 0 else signature


def _signature(node: Node, css: CssIndex, budget: list[int], depth: int) -> object:
    budget[0] -= 1
    if budget[0] < 0 or depth > 64:
        budget[0] = -1
        return None
    if node.kind != NodeType.ELEMENT:
        return " ".join(node.text.split()) if node.kind in (NodeType.TEXT, NodeType.CDATA) else None
    if is_hidden_element(node, None, css):
        return None
    attributes = tuple(
        sorted((name, str(value)) for name, value in node.attrs.items() if is_visible_attribute(name, css))
    )
    children = tuple(_signature(child, css, budget, depth + 1) for child in node.children)
    return (node.tag, attributes, tuple(child for child in children if child not in (None, "")))


def is_visible_attribute(name: str, css: CssIndex) -> bool:
    """Could changing this attribute change pixels? (``class`` is judged separately.)

    >>> from analysis.stylesheets import build_css_index
    >>> css = build_css_index(["a[aria-current]{font-weight:700}"], True)
    >>> is_visible_attribute("aria-current", css), is_visible_attribute("data-id", css)
    (True, False)
    >>> is_visible_attribute("disabled", css)
    True
    """
    if name in css.styled_attributes:
        return True
    return not (name in INERT_ATTRIBUTES or name.startswith(INERT_ATTRIBUTE_PREFIXES))


def is_visible_class_change(old: str | None, new: str | None, css: CssIndex) -> bool:
    """True if the classes added or removed are used by some CSS rule.

    >>> from analysis.stylesheets import build_css_index
    >>> css = build_css_index([".open{display:block}"], True)
    >>> is_visible_class_change("menu", "menu open", css), is_visible_class_change("a", "a clicked", css)
    (True, False)
    """
    changed = set((old or "").split()) ^ set((new or "").split())
    if not changed:
        return False
    return not css.is_complete or bool(changed & css.styled_classes)


def _has_styled_class(element: Node, css: CssIndex) -> bool:
    """True if some CSS rule names this element's id or one of its classes."""
    classes = element.classes()
    ident = element.attr("id")
    if not css.is_complete:
        return bool(classes or ident)
    return (ident is not None and ident in css.styled_ids) or not css.styled_classes.isdisjoint(classes)


def _is_pixel(element: Node) -> bool:
    width, height = element.attr("width"), element.attr("height")
    return width in ("0", "1") and height in ("0", "1")
