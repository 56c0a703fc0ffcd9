"""What a page's CSS says about visibility, read from the CSS text rrweb recorded.

rrweb inlines stylesheets (``<style>`` text, ``_cssText`` on ``<link>``), so we can
learn two cheap, useful facts without a layout engine:

* which simple selectors hide what they match (``.sr-only``, ``.hidden``, ``#drawer``),
  unless another rule may show the same class again (``.modal.open {display: block}``);
* which class names and attribute names any selector mentions: toggling a class that no
  rule mentions, or a ``data-*`` attribute no rule selects on, changes nothing visible.

When some stylesheet's text is unknown (cross-origin ``<link>`` without ``_cssText``,
adopted sheets), :attr:`CssIndex.is_complete` is False and callers assume changes show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Optional, Protocol


class Node(Protocol):
    """What a selector reads of a mirrored element (``analysis.dom.Node`` is one);
    a protocol, so this module need not import the DOM mirror that imports it."""

    tag: str

    def attr(self, name: str) -> Optional[str]: ...

    def classes(self) -> list[str]: ...

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_BRACE = re.compile(r"[{}]")
_COMPOUND = re.compile(r"^([a-zA-Z][\w-]*|\*)?((?:[#.][\w-]+|\[[^\]]+\])*)$")
_PART = re.compile(r"([#.])([\w-]+)|\[\s*([\w:-]+)\s*(?:=\s*[\"']?([^\"'\]]*)[\"']?)?\s*\]")
_CLASS_TOKEN = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_ID_TOKEN = re.compile(r"#(-?[_a-zA-Z][\w-]*)")
_ATTRIBUTE_TOKEN = re.compile(r"\[\s*([_a-zA-Z][\w:-]*)")
_NUMBER = re.compile(r"^(-?\d*\.?\d+)(px)?$")

OFFSCREEN_PX = -999
"""A box pushed this far left or up is the classic "visually hidden" trick."""


@dataclass(frozen=True, slots=True)
class Compound:
    """A selector without combinators: ``tag#id.class[attr=value]``."""

    tag: str | None
    id: str | None
    classes: frozenset[str]
    attributes: tuple[tuple[str, str | None], ...]

    def matches(self, node: "Node") -> bool:
        if self.tag and node.tag != self.tag:
            return False
        if self.id and node.attr("id") != self.id:
            return False
        if self.classes and not self.classes.issubset(node.classes()):
            return False
        for name, value in self.attributes:
            actual = node.attr(name)
            if actual is None or (value is not None and actual != value):
                return False
        return True


@dataclass(frozen=True, slots=True)
class CssIndex:
    """Facts about a page's CSS; the empty default knows nothing and hides nothing."""

    hiding: tuple[Compound, ...] = ()
    styled_classes: frozenset[str] = frozenset()
    styled_ids: frozenset[str] = frozenset()
    styled_attributes: frozenset[str] = frozenset()
    is_complete: bool = False

    def hides(self, node: "Node") -> bool:
        """True if a simple hiding rule matches this element."""
        return any(compound.matches(node) for compound in self.hiding)


def build_css_index(css_texts: Iterable[str], is_complete: bool) -> CssIndex:
    """Index the page's CSS for visibility questions.

    >>> index = build_css_index([".sr-only{position:absolute;width:1px;height:1px;overflow:hidden}"
    ...                          ".tab{display:none} .tab.active{display:block} a[aria-current]{font-weight:700}"], True)
    >>> [sorted(compound.classes) for compound in index.hiding]
    [['sr-only']]
    >>> sorted(index.styled_classes), sorted(index.styled_attributes)
    (['active', 'sr-only', 'tab'], ['aria-current'])
    """
    hiding: list[Compound] = []
    shown: set[str] = set()
    classes: set[str] = set()
    ids: set[str] = set()
    attributes: set[str] = set()
    for selector, declarations, conditional in iter_rules("\n".join(css_texts)):
        classes.update(_CLASS_TOKEN.findall(selector))
        ids.update(_ID_TOKEN.findall(selector))
        attributes.update(_ATTRIBUTE_TOKEN.findall(selector))
        if is_showing(declarations):
            shown.update(_CLASS_TOKEN.findall(selector), _ID_TOKEN.findall(selector))
        elif not conditional and is_hiding(declarations):
            hiding.extend(simple_compounds(selector))
    reliable = [c for c in hiding if not (c.classes & shown or (c.id and c.id in shown))]
    return CssIndex(
        tuple(reliable), frozenset(classes), frozenset(ids), frozenset(attributes), is_complete
    )


def iter_rules(css: str) -> Iterator[tuple[str, str, bool]]:
    """Yield ``(selector, declarations, inside an at-rule)`` for each style rule.

    >>> list(iter_rules("a{color:red} @media print{ .x{display:none} }"))
    [('a', 'color:red', False), ('.x', 'display:none', True)]
    """
    css = _COMMENT.sub("", css)
    frames: list[tuple[str, int] | None] = []  # open blocks: (selector, body start) or at-rule
    start = 0
    for brace in _BRACE.finditer(css):
        if brace.group() == "{":
            prelude = css[start : brace.start()].strip()
            frames.append(None if prelude.startswith("@") else (prelude, brace.end()))
        elif frames:
            frame = frames.pop()
            if frame is not None:
                conditional = any(outer is None for outer in frames)
                yield frame[0], css[frame[1] : brace.start()].strip(), conditional
        start = brace.end()


def simple_compounds(selector_list: str) -> list[Compound]:
    """Parse ``a.b, #c`` into compounds; anything with combinators or pseudos is skipped.

    >>> [(c.tag, c.id, sorted(c.classes)) for c in simple_compounds("div.a.b, #c, .d .e, a:hover")]
    [('div', None, ['a', 'b']), (None, 'c', [])]
    """
    if "(" in selector_list:
        return []
    compounds = []
    for selector in selector_list.split(","):
        match = _COMPOUND.match(selector.strip())
        if not match or not selector.strip():
            continue
        tag, ident, classes, attributes = None, None, set(), []
        for marker, name, attribute, value in _PART.findall(match.group(2)):
            if marker == "#":
                ident = name
            elif marker == ".":
                classes.add(name)
            else:
                attributes.append((attribute.lower(), value or None))
        if match.group(1) and match.group(1) != "*":
            tag = match.group(1).lower()
        compounds.append(Compound(tag, ident, frozenset(classes), tuple(attributes)))
    return compounds


def is_hiding(declarations: str) -> bool:
    """True if these declarations make a box invisible.

    >>> is_hiding("display: none"), is_hiding("opacity:0"), is_hiding("opacity: .5")
    (True, True, False)
    >>> is_hiding("position:absolute; left:-10000px"), is_hiding("width:1px;height:1px;overflow:hidden")
    (True, True)
    """
    props = {prop: _plain(value) for prop, value in parse_declarations(declarations)}
    if props.get("display") == "none" or props.get("visibility") in ("hidden", "collapse"):
        return True
    if props.get("content-visibility") == "hidden" or _px(props.get("opacity")) == 0:
        return True
    if props.get("clip", "").replace(" ", "") in ("rect(0,0,0,0)", "rect(0000)", "rect(1px,1px,1px,1px)"):
        return True
    if props.get("clip-path", "").replace(" ", "") == "inset(50%)":
        return True
    tiny = _px(props.get("width")) in (0, 1) and _px(props.get("height")) in (0, 1)
    if tiny and props.get("overflow") == "hidden":
        return True
    positioned = props.get("position") in ("absolute", "fixed")
    offscreen = any((_px(props.get(side)) or 0) <= OFFSCREEN_PX for side in ("left", "top"))
    return positioned and offscreen


def is_showing(declarations: str) -> bool:
    """True if these declarations can reveal a box another rule hides.

    >>> is_showing("display:flex"), is_showing("color:red")
    (True, False)
    """
    props = {prop: _plain(value) for prop, value in parse_declarations(declarations)}
    display, opacity = props.get("display"), _px(props.get("opacity"))
    return (
        (display is not None and display != "none")
        or props.get("visibility") == "visible"
        or (opacity is not None and opacity > 0)
    )


def merge_style(style: str, changes: Mapping[str, object]) -> str:
    """Apply an rrweb style diff (``{prop: value | [value, priority] | false}``).

    >>> merge_style("color: red; display: none", {"display": False, "top": ["1px", "important"]})
    'color: red; top: 1px !important'
    """
    declarations = dict(parse_declarations(style))
    for prop, value in changes.items():
        if value is False or value is None:
            declarations.pop(prop, None)
        elif isinstance(value, list) and value:
            priority = f" !{value[1]}" if len(value) > 1 and value[1] else ""
            declarations[prop] = f"{value[0]}{priority}"
        else:
            declarations[prop] = str(value)
    return "; ".join(f"{prop}: {value}" for prop, value in declarations.items())


def parse_declarations(text: str) -> Iterator[tuple[str, str]]:
    """Split ``prop: value; ...`` into lower-cased property names and values.

    >>> list(parse_declarations("Display: none; color:red"))
    [('display', 'none'), ('color', 'red')]
    """
    for declaration in text.split(";"):
        prop, colon, value = declaration.partition(":")
        if colon:
            yield prop.strip().lower(), value.strip()


def _plain(value: str) -> str:
    return value.lower().replace("!important", "").strip()


def _px(value: str | None) -> float | None:
    match = _NUMBER.match(value or "")
    return float(match.group(1)) if match else None
