"""Elements whose clicks are no signal: known false positives a team silences.

A click on or inside an element with the ``data-rd-ignore`` attribute (set in the
product's markup), or matching one of the project's ignore selectors
(``DetectorConfig.ignore_selectors``), gives no rage, dead or error click, and so
no dead end either.

Selectors are a small CSS subset, enough to name a component: type (``button``, ``*``),
``#id``, ``.class``, ``[attr]``, ``[attr=value]`` (quoted or not), compounds of those,
the descendant (space) and child (``>``) combinators, and ``,`` between alternatives.
Anything else is refused when the setting is saved, not silently never matched.

>>> from analysis.event_builders import document, element
>>> from analysis.dom import DomMirror
>>> mirror = DomMirror()
>>> mirror.load_snapshot(document(element(10, "div", {"class": "carousel"}, element(11, "button", {"class": "next"})),
...                                element(12, "button", {"data-rd-ignore": ""}), element(13, "button", {"id": "pay"})))
>>> rule = IgnoreRule.from_selectors([".carousel button"])
>>> [rule.ignores(mirror.node(n)) for n in (11, 12, 13)]
[True, True, False]

See also: :func:`analysis.targets.describe_click_target`, :class:`analysis.config.DetectorConfig`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.dom import Node

IGNORE_ATTRIBUTE = "data-rd-ignore"
MAX_SELECTORS = 50
"""Per project: each click is checked against each, on every ancestor."""
MAX_SELECTOR_LENGTH = 300

_TOKEN = re.compile(
    r"""\s*(?P<combinator>>)\s*"""
    r"""|(?P<space>\s+)"""
    r"""|(?P<tag>\*|[A-Za-z][\w-]*)"""
    r"""|\#(?P<id>-?[A-Za-z_][\w-]*)"""
    r"""|\.(?P<cls>-?[A-Za-z_][\w-]*)"""
    r"""|\[\s*(?P<attr>[A-Za-z_][\w:.-]*)\s*(?:=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[\w-]+))\s*)?\]"""
)


@dataclass(frozen=True, slots=True)
class _Compound:
    tag: str | None  # None: any element
    ident: str | None
    classes: frozenset[str]
    attrs: tuple[tuple[str, str | None], ...]  # (name, exact value or None: present)

    def matches(self, node: Node) -> bool:
        if not node.is_element or (self.tag is not None and node.tag != self.tag):
            return False
        if self.ident is not None and node.attr("id") != self.ident:
            return False
        if self.classes and not self.classes.issubset(node.classes()):
            return False
        return all(node.attr(name) is not None if value is None else node.attr(name) == value
                   for name, value in self.attrs)


@dataclass(frozen=True, slots=True)
class _Complex:
    """Compounds left to right, each joined to the next by " " or ">"."""

    steps: tuple[_Compound, ...]
    combinators: tuple[str, ...]

    def matches(self, node: Node) -> bool:
        return self.steps[-1].matches(node) and _matches_left(self.steps[:-1], self.combinators, node)


def _matches_left(steps: tuple[_Compound, ...], combinators: tuple[str, ...], node: Node) -> bool:
    """Whether the ancestors of ``node`` satisfy the remaining steps (right to left)."""
    if not steps:
        return True
    step, combinator = steps[-1], combinators[-1]
    if combinator == ">":
        parent = node.parent
        return parent is not None and step.matches(parent) and _matches_left(steps[:-1], combinators[:-1], parent)
    return any(step.matches(ancestor) and _matches_left(steps[:-1], combinators[:-1], ancestor)
               for ancestor in node.ancestors())


def parse_selector(text: str) -> _Complex:
    """One complex selector of the supported subset.

    >>> parse_selector("#promo > a.close[data-x='1']").combinators
    ('>',)
    >>> parse_selector("a:hover")
    Traceback (most recent call last):
    ...
    ValueError: ignore selector 'a:hover': ':hover' is not supported (use tags, #id, .class, [attr], [attr=value], ' ' and '>')
    """
    source = text.strip()
    if not source or len(source) > MAX_SELECTOR_LENGTH:
        raise ValueError(f"ignore selectors are 1 to {MAX_SELECTOR_LENGTH} characters, got {text!r}")
    steps: list[_Compound] = []
    combinators: list[str] = []
    parts: dict[str, list] = {}
    pending: str | None = None
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None or match.end() == position:
            raise ValueError(f"ignore selector {text!r}: {source[position:position + 12]!r} is not supported "
                             "(use tags, #id, .class, [attr], [attr=value], ' ' and '>')")
        position = match.end()
        if match.group("combinator") or match.group("space"):
            if parts:
                steps.append(_compound(text, parts))
                parts = {}
            if match.group("combinator"):
                if pending == ">" or not steps:
                    raise ValueError(f"ignore selector {text!r}: '>' needs an element on each side")
                pending = ">"
            elif pending is None:
                pending = " "
            continue
        if pending is not None and steps and not parts:
            combinators.append(pending)
        pending = None
        _add_part(text, parts, match)
    if parts:
        steps.append(_compound(text, parts))
    elif pending == ">":
        raise ValueError(f"ignore selector {text!r}: '>' needs an element on each side")
    if not steps or len(combinators) != len(steps) - 1:
        raise ValueError(f"ignore selector {text!r}: '>' needs an element on each side")
    return _Complex(tuple(steps), tuple(combinators))


def _add_part(text: str, parts: dict[str, list], match: re.Match) -> None:
    if match.group("tag"):
        if "tag" in parts:
            raise ValueError(f"ignore selector {text!r}: two element types in one step")
        parts["tag"] = [None if match.group("tag") == "*" else match.group("tag").lower()]
    elif match.group("id"):
        parts.setdefault("id", []).append(match.group("id"))
    elif match.group("cls"):
        parts.setdefault("cls", []).append(match.group("cls"))
    else:
        value = next((match.group(g) for g in ("dq", "sq", "bare") if match.group(g) is not None), None)
        parts.setdefault("attr", []).append((match.group("attr").lower(), value))


def _compound(text: str, parts: dict[str, list]) -> _Compound:
    if len(parts.get("id", [])) > 1:
        raise ValueError(f"ignore selector {text!r}: two ids in one step")
    return _Compound(parts.get("tag", [None])[0], (parts.get("id") or [None])[0], frozenset(parts.get("cls", [])),
                     tuple(parts.get("attr", [])))


@dataclass(frozen=True, slots=True)
class IgnoreRule:
    """The attribute, and a project's selectors, parsed once per analysis."""

    selectors: tuple[_Complex, ...] = ()

    @classmethod
    def from_selectors(cls, texts: Iterable[str]) -> IgnoreRule:
        """:raise ValueError: for more than MAX_SELECTORS, or one outside the subset."""
        texts = [part for text in texts for part in text.split(",") if part.strip()]
        if len(texts) > MAX_SELECTORS:
            raise ValueError(f"at most {MAX_SELECTORS} ignore selectors, got {len(texts)}")
        return cls(tuple(parse_selector(text) for text in texts))

    def ignores(self, node: Node) -> bool:
        """``node`` or an ancestor carries data-rd-ignore or matches a selector."""
        for element in (node, *node.ancestors()):
            if element.is_element and element.attr(IGNORE_ATTRIBUTE) is not None:
                return True
        return any(selector.matches(element) for selector in self.selectors for element in (node, *node.ancestors()))


ATTRIBUTE_ONLY = IgnoreRule()
