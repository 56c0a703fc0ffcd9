"""The stylesheets and fonts a recording refers to, for the server's asset cache (replay
fidelity): found in rrweb events and in CSS text. Pure functions.

rrweb inlines same-origin stylesheets as a ``_cssText`` attribute with absolute URLs;
cross-origin ones stay ``<link rel=stylesheet href>``. Fonts hide in ``@font-face``
rules of either, and stylesheets in ``@import``. Events are read as typed events
(:mod:`analysis.events`); the serialized nodes of snapshots and mutations stay raw JSON
there, and are walked here.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator, Mapping, Optional
from urllib.parse import urljoin, urlsplit

from analysis.events import EventType, FullSnapshot, IncrementalSource, Meta, Mutation, NodeType, StyleSheetChange, parse_event

STYLESHEET, FONT = "stylesheet", "font"
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)
_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""", re.IGNORECASE)
_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(['"]?)([^'")\s;]+)\1""", re.IGNORECASE)
_IMPORT_STRING = re.compile(r"""@import\s+(['"])([^'"]+)\1""", re.IGNORECASE)  # the url() form is a url()
_FONT_EXTENSIONS = (".woff2", ".woff", ".ttf", ".otf", ".eot")
# What any reference to a stylesheet or font contains, as ``may_name_assets`` looks for it.
_TELLTALES = (b"stylesheet", b"preload", b"@import", b"@font-face")
# Incremental snapshots that can name a stylesheet or font: DOM changes and CSSOM rules.
_SOURCES_WITH_CSS = frozenset({IncrementalSource.MUTATION, IncrementalSource.STYLE_SHEET_RULE,
                               IncrementalSource.ADOPTED_STYLE_SHEET})


def may_name_assets(raw_json: bytes) -> bool:
    """Whether events serialized as ``raw_json`` may refer to a stylesheet or font: a
    test cheap enough for every batch (a byte search, no parse). False means
    :func:`event_refs` finds nothing; True means it may.

    A reference is a ``<link rel=stylesheet>``, a font ``preload``, or an ``@import`` or
    ``@font-face`` rule in CSS text; each spells one of these words.

    >>> may_name_assets(b'[{"type":2,"data":{"node":{"tagName":"link","attributes":{"rel":"Stylesheet"}}}}]')
    True
    >>> may_name_assets(b'[{"type":3,"data":{"source":2,"type":2,"id":7}}]')
    False

    See also: :func:`event_refs`.
    """
    lowered = raw_json.lower()
    return any(telltale in lowered for telltale in _TELLTALES)


def is_fetchable(url: str) -> bool:
    """Whether the server could fetch ``url`` (absolute http or https).

    >>> is_fetchable("https://cdn.test/a.css"), is_fetchable("data:text/css,a{}"), is_fetchable("/a.css")
    (True, False, False)
    """
    return urlsplit(url).scheme in ("http", "https") and bool(urlsplit(url).hostname)


def looks_like_font(url: str) -> bool:
    """Whether ``url`` names a web font file (by its extension).

    >>> looks_like_font("https://cdn.test/f/Brand.WOFF2?v=3"), looks_like_font("https://cdn.test/a.css")
    (True, False)
    """
    return urlsplit(url).path.lower().endswith(_FONT_EXTENSIONS)


def css_refs(css: str, base_url: Optional[str] = None) -> dict[str, str]:
    """``{absolute url: kind}`` of the stylesheets (@import) and fonts (@font-face) in CSS.

    >>> css_refs('@import "a.css"; @font-face { src: url(f.woff2) format("woff2") } .x { background: url(i.png) }',
    ...          "https://cdn.test/css/site.css")
    {'https://cdn.test/css/a.css': 'stylesheet', 'https://cdn.test/css/f.woff2': 'font'}
    """
    found: dict[str, str] = {}

    def add(raw: str, kind: str) -> None:
        url = urljoin(base_url, raw) if base_url else raw
        if is_fetchable(url):
            found.setdefault(url.split("#")[0], kind)

    for match in _IMPORT.finditer(css):
        add(match.group(2), STYLESHEET)
    for block in _FONT_FACE.findall(css):
        for match in _URL.finditer(block):
            add(match.group(2), FONT)
    return found


def _nodes(root: object) -> Iterator[Mapping]:
    """Every serialized node under ``root`` (iterative: recorded DOMs can be deep)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            yield node
            stack.extend(node.get("childNodes") or ())


def _node_refs(node: Mapping) -> dict[str, str]:
    attributes = node.get("attributes") or {}
    if node.get("type") == NodeType.ELEMENT and isinstance(attributes, Mapping):
        return _attribute_refs(str(node.get("tagName", "")).lower(), attributes)
    if node.get("type") == NodeType.TEXT and node.get("isStyle") and isinstance(node.get("textContent"), str):
        return css_refs(node["textContent"])
    return {}


def _attribute_refs(tag: str, attributes: Mapping) -> dict[str, str]:
    found: dict[str, str] = {}
    css = attributes.get("_cssText")
    if isinstance(css, str):
        found.update(css_refs(css))
    href = attributes.get("href")
    rel = str(attributes.get("rel", "")).lower()
    if tag == "link" and isinstance(href, str) and is_fetchable(href):
        if "stylesheet" in rel and not isinstance(css, str):
            found[href] = STYLESHEET
        elif "preload" in rel and str(attributes.get("as", "")).lower() == "font":
            found[href] = FONT
    return found


def _mutation_refs(mutation: Mutation) -> dict[str, str]:
    found: dict[str, str] = {}
    for add in mutation.adds:
        for node in _nodes(add.get("node")):
            found.update(_node_refs(node))
    for change in mutation.attributes:
        attributes = change.get("attributes")
        if isinstance(attributes, Mapping):
            found.update(_attribute_refs("link", attributes))
    return found


def _can_refer(raw: object) -> bool:
    """Checked on the raw dict, so pointer moves and the like are never parsed."""
    if not isinstance(raw, Mapping):
        return False
    kind = raw.get("type")
    if kind in (EventType.META, EventType.FULL_SNAPSHOT):
        return True
    data = raw.get("data")
    return kind == EventType.INCREMENTAL_SNAPSHOT and isinstance(data, Mapping) and data.get("source") in _SOURCES_WITH_CSS


def event_refs(events: Iterable[object]) -> tuple[dict[str, str], list[str]]:
    """(``{url: kind}`` of stylesheets and fonts the events use, page URLs from Meta events).

    >>> from analysis.event_builders import document, element, meta_event, snapshot_event
    >>> link = element(5, "link", {"rel": "stylesheet", "href": "https://cdn.test/site.css"})
    >>> event_refs([meta_event(1, "https://shop.test/"), snapshot_event(2, document(head_children=[link]))])
    ({'https://cdn.test/site.css': 'stylesheet'}, ['https://shop.test/'])

    See also: :func:`css_refs`, :func:`may_name_assets`.
    """
    found: dict[str, str] = {}
    pages: list[str] = []
    for raw in events:
        if not _can_refer(raw):
            continue
        match parse_event(raw):
            case Meta(href=href):
                pages.append(href)
            case FullSnapshot(node=root):
                for node in _nodes(root):
                    found.update(_node_refs(node))
            case Mutation() as mutation:
                found.update(_mutation_refs(mutation))
            case StyleSheetChange(rules=rules):
                for css in rules:
                    found.update(css_refs(css))
    return found, pages


def rewrite_css(css: str, base_url: str, cached: dict[str, str]) -> str:
    """CSS fetched from ``base_url``, served from our origin: every ``url()`` and
    ``@import`` becomes absolute, or our cached copy's path when we have one.

    >>> rewrite_css('@import url(x.css); @import "y.css"; @font-face{src:url("f.woff2")} a{background:url(i.png)}',
    ...             "https://cdn.test/c/s.css", {"https://cdn.test/c/f.woff2": "/api/v1/assets/abc"})
    '@import url("https://cdn.test/c/x.css"); @import "https://cdn.test/c/y.css"; @font-face{src:url("/api/v1/assets/abc")} a{background:url("https://cdn.test/c/i.png")}'
    """
    def absolute(raw: str) -> str:
        if raw.startswith(("data:", "#")):
            return raw
        url = urljoin(base_url, raw)
        return cached.get(url, url)

    css = _URL.sub(lambda m: f'url("{absolute(m.group(2))}")', css)
    return _IMPORT_STRING.sub(lambda m: f'@import "{absolute(m.group(2))}"', css)
