"""A mirror of the recorded page's DOM, folded over full snapshots and mutations.

rrweb gives every node an integer id: a full snapshot (type 2) serializes the whole
document, and mutations add, remove and change nodes by id. :class:`DomMirror` keeps
the current tree so that a click's node id tells us what was clicked, and a mutation's
ids tell us whether the change was visible (:mod:`analysis.mutations`).

Serialized node shapes (``@rrweb/types`` ``serializedNode``): ``type`` 0 Document,
1 DocumentType, 2 Element (``tagName``, ``attributes``, ``childNodes``), 3 Text
(``textContent``), 4 CDATA, 5 Comment; all carry ``id``.

Speed matters (a page load serializes thousands of nodes and most are never looked
at), so the mirror indexes the serialized dicts as they are, keeps structural changes
in side tables, and makes :class:`Node` views only on first access; a view then holds
its node's current attributes and text (copied on write, never the caller's dicts).
The input is untrusted: walks are iterative and bounded, malformed nodes are skipped.
Past the usual 250 lines because the view and the mirror share one data layout.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from analysis.rrweb import NodeType
from analysis.stylesheets import CssIndex, build_css_index, merge_style

MAX_DEPTH = 1024
"""Ancestor walks stop here: real documents are far shallower, hostile input is not."""

CONTAINER_KINDS = frozenset({NodeType.DOCUMENT, NodeType.ELEMENT})
"""Only documents and elements hold children; text-like nodes never do."""

STYLE_TAGS = frozenset({"style", "link"})
"""Elements whose content is CSS (``<link>`` carries rrweb's inlined ``_cssText``)."""

_STYLE_TAG_NAMES = STYLE_TAGS | {name.upper() for name in STYLE_TAGS}

RawNode = Mapping[str, object]


class Node:
    """A view of one mirrored node; the mirror holds the data, keyed by rrweb id."""

    __slots__ = ("_mirror", "_parent", "id", "kind", "tag", "attrs", "text")

    def __init__(self, mirror: DomMirror, node_id: int, raw: RawNode):
        self._mirror = mirror
        self.id = node_id
        self.kind = raw.get("type")
        tag = raw.get("tagName") if self.kind == NodeType.ELEMENT else None
        self.tag = tag.lower() if type(tag) is str else ""
        attrs = raw.get("attributes")
        self.attrs: Mapping[str, object] = attrs if type(attrs) is dict or isinstance(attrs, Mapping) else {}
        """Current attributes: the snapshot's dict until a mutation replaces it (copy on write)."""
        text = raw.get("textContent")
        self.text: str = text if type(text) is str else ""
        self._parent: Node | None | bool = False
        """Cached parent view (False: not looked up yet). A node only changes parent by
        being removed and re-added, and removal drops its view, so this never goes stale."""

    def __repr__(self) -> str:
        return f"<Node {self.id} {self.tag or self.kind}>"

    @property
    def is_element(self) -> bool:
        return self.kind == NodeType.ELEMENT

    @property
    def parent(self) -> Node | None:
        if self._parent is False:
            self._parent = self._mirror.node(self._mirror._parents.get(self.id))
        return self._parent  # type: ignore[return-value]

    @property
    def children(self) -> list[Node]:
        mirror = self._mirror
        return [child for child in map(mirror.node, mirror.child_ids(self.id)) if child is not None]

    def attr(self, name: str) -> str | None:
        """The attribute as a string, or None when absent."""
        value = self.attrs.get(name)
        if type(value) is str:
            return value
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
    >>> mirror.remove(2)
    >>> mirror.node(3) is None, [child.id for child in mirror.node(1).children]
    (True, [])

    See also: :func:`analysis.mutations.apply_mutation`.
    """

    def __init__(self) -> None:
        self._reset()
        self.css_generation = 0
        """Bumped whenever CSS text may have changed, so derived indexes can refresh."""
        self._css: tuple[int, CssIndex] | None = None
        self._css_by_text: dict[tuple[tuple[str, ...], bool], CssIndex] = {}

    def _reset(self) -> None:
        self._raw: dict[int, RawNode] = {}
        self._parents: dict[int, int] = {}
        self._child_ids: dict[int, list[int]] = {}
        self._views: dict[int, Node] = {}
        """Node views by id; they also hold attributes and text changed by mutations."""
        self._ids_by_tag: dict[str | None, list[int]] = {}
        """Memo for :meth:`element_ids`, emptied by any structural change."""
        self.style_ids: set[int] = set()
        self.extra_css: list[str] = []
        """Rules added through the CSSOM (rrweb style-sheet events), not in the DOM."""

    def __len__(self) -> int:
        return len(self._raw)

    def node(self, node_id: object) -> Node | None:
        if type(node_id) is not int:
            return None
        view = self._views.get(node_id)
        if view is None:
            raw = self._raw.get(node_id)
            if raw is None:
                return None
            view = self._views[node_id] = Node(self, node_id, raw)
        return view

    def child_ids(self, node_id: int) -> list[int]:
        """Ids of a node's children in order (from the snapshot until they change)."""
        ids = self._child_ids.get(node_id)
        if ids is None:
            raw_children = self._raw[node_id].get("childNodes") if node_id in self._raw else None
            registered = self._raw
            ids = [
                child["id"]
                for child in (raw_children if type(raw_children) is list else ())
                if type(child) is dict and registered.get(child.get("id")) is child  # type: ignore[arg-type]
            ]
            self._child_ids[node_id] = ids
        return ids

    def element_ids(self, tag: str | None = None) -> list[int]:
        """Ids of every element (with this tag name, if given; rrweb writes them lower-case).

        Memoized until the tree changes: clicks between two mutations (filling a form)
        share one scan.
        """
        ids = self._ids_by_tag.get(tag)
        if ids is None:
            if tag is not None:
                names = (tag, tag.upper())
                ids = [node_id for node_id, raw in self._raw.items() if raw.get("tagName") in names]
            else:
                ids = [node_id for node_id, raw in self._raw.items() if raw.get("type") == NodeType.ELEMENT]
            self._ids_by_tag[tag] = ids
        return ids

    def elements(self, tag: str | None = None) -> list[Node]:
        """Every element (with this tag name, if given)."""
        return [node for node in map(self.node, self.element_ids(tag)) if node is not None and node.is_element]

    def position_among_type(self, node: Node) -> int:
        """1-based position among same-tag siblings, as ``:nth-of-type`` counts."""
        parent_id = self._parents.get(node.id)
        if parent_id is None:
            return 1
        position = 0
        for sibling_id in self.child_ids(parent_id):
            name = self._raw[sibling_id].get("tagName")
            if type(name) is str and name.lower() == node.tag:
                position += 1
            if sibling_id == node.id:
                return position
        return 1

    def element_by_id(self, ident: str | None) -> Node | None:
        """The element whose ``id`` attribute is ``ident`` (a scan: use sparingly)."""
        if not ident:
            return None
        return next((node for node in self.elements() if node.attr("id") == ident), None)

    def load_snapshot(self, root: RawNode) -> None:
        """Forget the old page and mirror a full snapshot's document."""
        self._reset()
        self.css_generation += 1
        self.insert(root, None, None)

    def insert(self, raw: RawNode, parent: Node | None, before: Node | None) -> Node | None:
        """Mirror a serialized node (and any serialized children) under ``parent``."""
        node_id = raw.get("id") if type(raw) is dict or isinstance(raw, Mapping) else None
        if type(node_id) is not int or type(raw.get("type")) is not int:
            return None
        if parent is not None and parent.kind not in CONTAINER_KINDS:
            return None
        if node_id in self._raw:
            self.remove(node_id)  # rrweb re-adds moved nodes under their old id
        if parent is not None and parent.id in self._raw:
            siblings = self.child_ids(parent.id)
            position = siblings.index(before.id) if before is not None and before.id in siblings else len(siblings)
            siblings.insert(position, node_id)
            self._parents[node_id] = parent.id
        self._register(raw)
        return self.node(node_id)

    def _register(self, top: RawNode) -> None:
        """Index a serialized subtree; the hot loop of every page load, kept flat."""
        self._ids_by_tag.clear()
        registered, parents = self._raw, self._parents
        registered[top["id"]] = top  # type: ignore[index]
        self._note_style(top)
        stack = [top]
        while stack:
            raw_parent = stack.pop()
            children = raw_parent.get("childNodes")
            if type(children) is not list or raw_parent.get("type") not in CONTAINER_KINDS:
                continue
            parent_id = raw_parent["id"]
            for raw in children:
                if type(raw) is not dict:
                    continue
                node_id = raw.get("id")
                if type(node_id) is not int or type(raw.get("type")) is not int or node_id in registered:
                    continue  # malformed, or an id used twice: the first one stays
                registered[node_id] = raw
                parents[node_id] = parent_id  # type: ignore[assignment]
                if raw.get("tagName") in _STYLE_TAG_NAMES:
                    self._note_style(raw)
                if raw.get("childNodes"):
                    stack.append(raw)

    def _note_style(self, raw: RawNode) -> None:
        name = raw.get("tagName")
        if type(name) is str and name.lower() in STYLE_TAGS:
            self.style_ids.add(raw["id"])  # type: ignore[arg-type]
            self.css_generation += 1

    def remove(self, node_id: object) -> None:
        """Detach a node and forget it and its subtree."""
        if type(node_id) is not int or node_id not in self._raw:
            return
        self._ids_by_tag.clear()
        parent_id = self._parents.get(node_id)
        if parent_id is not None and parent_id in self._raw:
            siblings = self.child_ids(parent_id)
            if node_id in siblings:
                siblings.remove(node_id)
        stack = [node_id]
        while stack:
            current = stack.pop()
            stack.extend(self.child_ids(current))
            for table in (self._raw, self._parents, self._child_ids, self._views):
                table.pop(current, None)
            if current in self.style_ids:
                self.style_ids.discard(current)
                self.css_generation += 1

    def set_text(self, node_id: object, value: object) -> None:
        node = self.node(node_id)
        if node is not None and node.kind not in CONTAINER_KINDS:
            node.text = value if isinstance(value, str) else ""
            if self._parents.get(node.id) in self.style_ids:
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
        if node.id in self.style_ids:
            self.css_generation += 1

    def add_css(self, rules: tuple[str, ...]) -> None:
        self.extra_css.extend(rules)
        self.css_generation += 1

    def css_index(self) -> CssIndex:
        """The page's CSS, indexed for visibility questions; rebuilt only after CSS changes."""
        if self._css is None or self._css[0] != self.css_generation:
            texts, is_complete = list(self.extra_css), True
            for node in filter(None, map(self.node, self.style_ids)):
                text = node.attr("_cssText")
                if text is None and node.tag == "style":
                    text = "".join(child.text for child in node.children)
                if text is None and "stylesheet" in (node.attr("rel") or "").lower():
                    is_complete = False  # a stylesheet rrweb could not read (cross-origin)
                texts.append(text or "")
            key = (tuple(sorted(texts)), is_complete)
            if key not in self._css_by_text:  # pages of one site share their CSS
                self._css_by_text[key] = build_css_index(texts, is_complete)
            self._css = (self.css_generation, self._css_by_text[key])
        return self._css[1]
