"""A mirror of the recorded page's DOM, folded over full snapshots and mutations.

rrweb gives every node an integer id: a full snapshot (type 2) serializes the whole
document, and mutations add, remove and change nodes by id. :class:`DomMirror` keeps
the current tree so that a click's node id tells us what was clicked, and a mutation's
ids tell us whether the change was visible (:mod:`analysis.mutations`).

Serialized node shapes (``@rrweb/types`` ``serializedNode``): ``type`` 0 Document,
1 DocumentType, 2 Element (``tagName``, ``attributes``, ``childNodes``), 3 Text
(``textContent``), 4 CDATA, 5 Comment; all carry ``id``. The input is untrusted, so
every walk is iterative and bounded, and malformed nodes are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from analysis.json_fields import read_optional_int
from analysis.rrweb import NodeType
from analysis.stylesheets import CssIndex, build_css_index, merge_style

MAX_DEPTH = 1024
"""Ancestor walks stop here: real documents are far shallower, hostile input is not."""

STYLE_TAGS = frozenset({"style", "link"})
"""Elements whose content is CSS (``<link>`` carries rrweb's inlined ``_cssText``)."""


class Node:
    """One mirrored node; mutable because the page it mirrors is."""

    __slots__ = ("id", "kind", "tag", "attrs", "text", "parent", "children")

    def __init__(self, node_id: int, kind: int, tag: str, attrs: Mapping[str, object], text: str):
        self.id = node_id
        self.kind = kind
        self.tag = tag
        self.attrs = attrs
        self.text = text
        self.parent: Node | None = None
        self.children: list[Node] = []

    def __repr__(self) -> str:
        return f"<Node {self.id} {self.tag or NodeType(self.kind).name.lower()}>"

    @property
    def is_element(self) -> bool:
        return self.kind == NodeType.ELEMENT

    def attr(self, name: str) -> str | None:
        """The attribute as a string, or None when absent."""
        value = self.attrs.get(name)
        if value is None or value is False:
            return None
        return "" if value is True else str(value)

    def classes(self) -> list[str]:
        return (self.attr("class") or "").split()

    def ancestors(self) -> Iterator[Node]:
        """Parent, grandparent, ... up to the root (bounded)."""
        node = self.parent
        for _ in range(MAX_DEPTH):
            if node is None:
                return
            yield node
            node = node.parent

    def descendants(self, limit: int) -> Iterator[Node]:
        """Depth-first, document order, at most ``limit`` nodes."""
        stack = list(reversed(self.children))
        while stack and limit > 0:
            node = stack.pop()
            limit -= 1
            yield node
            stack.extend(reversed(node.children))


class DomMirror:
    """The current document of one page, by rrweb node id.

    >>> mirror = DomMirror()
    >>> mirror.load_snapshot({"type": 0, "id": 1, "childNodes": [
    ...     {"type": 2, "id": 2, "tagName": "BUTTON", "attributes": {"id": "go"}, "childNodes": [
    ...         {"type": 3, "id": 3, "textContent": "Go"}]}]})
    >>> mirror.node(3).parent.tag
    'button'
    >>> _ = mirror.remove(2)
    >>> mirror.node(3) is None
    True

    See also: :func:`analysis.mutations.apply_mutation`.
    """

    def __init__(self) -> None:
        self._nodes: dict[int, Node] = {}
        self.style_nodes: set[Node] = set()
        self.css_generation = 0
        """Bumped whenever CSS text may have changed, so derived indexes can refresh."""
        self.extra_css: list[str] = []
        """Rules added through the CSSOM (rrweb style-sheet events), not in the DOM."""
        self._css: tuple[int, CssIndex] | None = None

    def __len__(self) -> int:
        return len(self._nodes)

    def node(self, node_id: object) -> Node | None:
        return self._nodes.get(node_id) if type(node_id) is int else None

    def elements(self) -> Iterator[Node]:
        return (node for node in self._nodes.values() if node.kind == NodeType.ELEMENT)

    def element_by_id(self, ident: str | None) -> Node | None:
        """The element whose ``id`` attribute is ``ident`` (a scan: use sparingly)."""
        if not ident:
            return None
        return next((node for node in self.elements() if node.attr("id") == ident), None)

    def load_snapshot(self, root: Mapping[str, object]) -> None:
        """Forget the old page and mirror a full snapshot's document."""
        self._nodes = {}
        self.style_nodes = set()
        self.extra_css = []
        self.css_generation += 1
        self.insert(root, None, None)

    def insert(self, raw: Mapping[str, object], parent: Node | None, before: Node | None) -> Node | None:
        """Mirror a serialized node (and any serialized children) under ``parent``."""
        top = self._attach(raw, parent, before)
        stack = [(raw, top)] if top is not None else []
        while stack:
            raw_parent, node = stack.pop()
            children = raw_parent.get("childNodes")
            if not isinstance(children, list):
                continue
            for raw_child in children:
                if isinstance(raw_child, Mapping):
                    child = self._attach(raw_child, node, None)
                    if child is not None and raw_child.get("childNodes"):
                        stack.append((raw_child, child))
        return top

    def remove(self, node_id: object) -> Node | None:
        """Detach a node and forget it and its subtree; returns the detached node."""
        node = self.node(node_id)
        if node is None:
            return None
        self._detach(node)
        self._forget(node)
        for descendant in node.descendants(limit=len(self._nodes) + 1):
            self._forget(descendant)
        return node

    def set_text(self, node_id: object, value: object) -> None:
        node = self.node(node_id)
        if node is not None and not node.is_element:
            node.text = value if isinstance(value, str) else ""
            if node.parent is not None and node.parent.tag in STYLE_TAGS:
                self.css_generation += 1

    def set_attributes(self, node_id: object, changes: Mapping[str, object]) -> None:
        node = self.node(node_id)
        if node is None or not node.is_element:
            return
        attrs = dict(node.attrs)  # copy on write: snapshot dicts belong to the caller
        for name, value in changes.items():
            if value is None:
                attrs.pop(name, None)
            elif name == "style" and isinstance(value, Mapping):
                attrs[name] = merge_style(node.attr("style") or "", value)
            else:
                attrs[name] = value
        node.attrs = attrs
        if node.tag in STYLE_TAGS:
            self.css_generation += 1

    def add_css(self, rules: tuple[str, ...]) -> None:
        self.extra_css.extend(rules)
        self.css_generation += 1

    def css_index(self) -> CssIndex:
        """The page's CSS, indexed for visibility questions; rebuilt only after CSS changes."""
        if self._css is None or self._css[0] != self.css_generation:
            texts, is_complete = list(self.extra_css), True
            for node in self.style_nodes:
                text = node.attr("_cssText")
                if text is None and node.tag == "style":
                    text = "".join(child.text for child in node.children)
                if text is None and "stylesheet" in (node.attr("rel") or "").lower():
                    is_complete = False  # a stylesheet rrweb could not read (cross-origin)
                texts.append(text or "")
            self._css = (self.css_generation, build_css_index(texts, is_complete))
        return self._css[1]

    def _attach(self, raw: Mapping[str, object], parent: Node | None, before: Node | None) -> Node | None:
        node = _node_from(raw)
        if node is None:
            return None
        if node.id in self._nodes:
            self.remove(node.id)  # rrweb re-adds moved nodes under their old id
        self._nodes[node.id] = node
        if node.tag in STYLE_TAGS:
            self.style_nodes.add(node)
            self.css_generation += 1
        if parent is not None:
            node.parent = parent
            siblings = parent.children
            if before is not None and before.parent is parent:
                siblings.insert(siblings.index(before), node)
            else:
                siblings.append(node)
        return node

    def _detach(self, node: Node) -> None:
        parent = node.parent
        if parent is not None:
            parent.children = [child for child in parent.children if child is not node]
            node.parent = None

    def _forget(self, node: Node) -> None:
        if self._nodes.get(node.id) is node:
            del self._nodes[node.id]
        if node in self.style_nodes:
            self.style_nodes.discard(node)
            self.css_generation += 1


def _node_from(raw: Mapping[str, object]) -> Node | None:
    node_id = read_optional_int(raw.get("id"))
    kind = raw.get("type")
    if node_id is None or type(kind) is not int:
        return None
    tag = raw.get("tagName")
    tag = tag.lower() if kind == NodeType.ELEMENT and isinstance(tag, str) else ""
    attrs = raw.get("attributes")
    text = raw.get("textContent")
    return Node(
        node_id,
        kind,
        tag,
        attrs if isinstance(attrs, Mapping) else {},
        text if isinstance(text, str) else "",
    )
