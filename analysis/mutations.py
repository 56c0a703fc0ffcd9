"""Apply one rrweb mutation batch to the DOM mirror and judge whether anyone saw it.

The order follows rrweb's replayer: removes, adds, texts, attributes. Visibility is
judged against the page before the batch (for what disappeared) and after it (for what
appeared), so a toast that is shown and a toast that is hidden both count. A subtree
removed and re-added looking the same (a re-render) is not a visible change.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Mapping
from dataclasses import dataclass

from analysis.dom import DomMirror, Node
from analysis.incremental import Mutation
from analysis.json_fields import read_optional_int
from analysis.stylesheets import CssIndex, is_hiding
from analysis.visibility import (
    content_signature,
    has_visible_content,
    is_rendered,
    is_visible_attribute,
    is_visible_class_change,
)


@dataclass(slots=True)
class _Before:
    """What the touched nodes looked like before the batch."""

    removed: Counter[tuple[int, object]]
    texts: list[tuple[Node, str, bool]]
    attributes: list[tuple[Node, dict[str, str | None], Mapping[str, object], bool]]


def apply_mutation(mirror: DomMirror, mutation: Mutation) -> bool:
    """Fold ``mutation`` into ``mirror``; return True if the page visibly changed.

    >>> from analysis.event_builders import document, element, text
    >>> mirror = DomMirror()
    >>> mirror.load_snapshot(document(element(10, "output", {}, text(11, "1")),
    ...                               element(12, "script", {}, text(13, "track()"))))
    >>> apply_mutation(mirror, Mutation(0, adds=({"parentId": 10, "nextId": None,
    ...     "node": {"type": 3, "id": 14, "textContent": "2"}},), removes=({"parentId": 10, "id": 11},),
    ...     texts=(), attributes=()))
    True
    >>> apply_mutation(mirror, Mutation(0, adds=(), removes=(), attributes=(),
    ...     texts=({"id": 13, "value": "track(2)"},)))
    False

    See also: :mod:`analysis.visibility`.
    """
    css = mirror.css_index()
    before = _observe_before(mirror, mutation, css)
    for entry in mutation.removes:
        mirror.remove(entry.get("id"))
    added = _apply_adds(mirror, mutation.adds)
    for entry in mutation.texts:
        mirror.set_text(entry.get("id"), entry.get("value"))
    for entry in mutation.attributes:  # all of them: nodes added by this batch included
        changes = entry.get("attributes")
        if isinstance(changes, Mapping):
            mirror.set_attributes(entry.get("id"), changes)
    css = mirror.css_index()
    if any(_is_visible_text_change(node, old, was_shown, css) for node, old, was_shown in before.texts):
        return True
    if any(_is_visible_attribute_change(*change, css) for change in before.attributes):
        return True
    shown = Counter(
        (parent_id, content_signature(node, css))
        for parent_id, node in added
        if is_rendered(node, css) and has_visible_content(node, css)
    )
    return shown != before.removed


def _observe_before(mirror: DomMirror, mutation: Mutation, css: CssIndex) -> _Before:
    removed: Counter[tuple[int, object]] = Counter()
    for entry in mutation.removes:
        node = mirror.node(entry.get("id"))
        if node is not None and node.parent is not None:
            if is_rendered(node, css) and has_visible_content(node, css):
                removed[(node.parent.id, content_signature(node, css))] += 1
    texts = []
    for entry in mutation.texts:
        node = mirror.node(entry.get("id"))
        if node is not None and not node.is_element:
            texts.append((node, node.text, is_rendered(node, css)))
    attributes = []
    for entry in mutation.attributes:
        node, changes = mirror.node(entry.get("id")), entry.get("attributes")
        if node is not None and node.is_element and isinstance(changes, Mapping):
            old = {name: node.attr(name) for name in changes}
            attributes.append((node, old, changes, is_rendered(node, css)))
    return _Before(removed, texts, attributes)


def _apply_adds(mirror: DomMirror, adds: tuple[Mapping[str, object], ...]) -> list[tuple[int, Node]]:
    """Insert added nodes; those whose parent arrives later in the batch wait for it.

    Returns the top-level additions (parent id, node): nodes whose parent was not
    itself added by this batch, i.e. the roots of what appeared. Linear in the batch,
    whatever order rrweb listed the entries in.
    """
    waiting: dict[int, list[Mapping[str, object]]] = {}
    ready: deque[Mapping[str, object]] = deque()
    for entry in adds:
        if not isinstance(entry.get("node"), Mapping):
            continue
        parent_id = read_optional_int(entry.get("parentId"))
        if mirror.node(parent_id) is not None:
            ready.append(entry)
        elif parent_id is not None:
            waiting.setdefault(parent_id, []).append(entry)
    inserted: list[tuple[int, Node]] = []
    new_ids: set[int] = set()
    while ready:
        entry = ready.popleft()
        parent = mirror.node(read_optional_int(entry.get("parentId")))
        if parent is None:
            continue
        before = mirror.node(read_optional_int(entry.get("nextId")))
        node = mirror.insert(entry["node"], parent, before)  # type: ignore[arg-type]
        if node is not None:
            inserted.append((parent.id, node))
            new_ids.add(node.id)
            ready.extend(waiting.pop(node.id, ()))  # children that waited for this node
    return [(parent_id, node) for parent_id, node in inserted if parent_id not in new_ids]


def _is_visible_text_change(node: Node, old: str, was_shown: bool, css: CssIndex) -> bool:
    if " ".join(old.split()) == " ".join(node.text.split()):
        return False
    return was_shown or is_rendered(node, css)


def _is_visible_attribute_change(
    node: Node,
    old: dict[str, str | None],
    changes: Mapping[str, object],
    was_shown: bool,
    css: CssIndex,
) -> bool:
    if not (was_shown or is_rendered(node, css)):
        return False
    for name in changes:
        before, after = old.get(name), node.attr(name)
        if before == after:
            continue
        if name == "class":
            if is_visible_class_change(before, after, css):
                return True
        elif name == "style":
            if _is_visible_style_change(before, after):
                return True
        elif is_visible_attribute(name, css):
            return True
    return False


def _is_visible_style_change(before: str | None, after: str | None) -> bool:
    """Inline style edits show, except between two states that both hide the box."""
    return not (is_hiding(before or "") and is_hiding(after or ""))
