"""The stylesheets, fonts and images a recording refers to, for the server's asset cache
(replay fidelity): found in rrweb events and in CSS text. Pure functions.

rrweb inlines same-origin stylesheets as a ``_cssText`` attribute with absolute URLs;
cross-origin ones stay ``<link rel=stylesheet href>``. Fonts hide in ``@font-face``
rules of either, stylesheets in ``@import``, and images in every other ``url()`` (CSS
backgrounds, inline ``style`` attributes, CSSOM rules and declarations, adopted sheets)
and in ``<img src/srcset>``, ``<picture><source srcset>``, ``<input type=image>``,
``<video poster>``, SVG ``<image href>`` and the old ``background`` attribute. rrweb
makes every one of these URLs absolute when it records. Events are read as typed events
(:mod:`analysis.events`); the serialized nodes of snapshots and mutations stay raw JSON
there, and are walked here.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator, Mapping, Optional
from urllib.parse import urljoin, urlsplit

from analysis.events import EventType, FullSnapshot, IncrementalSource, Meta, Mutation, NodeType, StyleSheetChange, parse_event

STYLESHEET, FONT, IMAGE = "stylesheet", "font", "image"
KINDS = (STYLESHEET, FONT, IMAGE)  # in the order a bounded cache fetches them: the look first, then pictures
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)
_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""", re.IGNORECASE)
_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(['"]?)([^'")\s;]+)\1""", re.IGNORECASE)
_IMPORT_STRING = re.compile(r"""@import\s+(['"])([^'"]+)\1""", re.IGNORECASE)  # the url() form is a url()
_FONT_EXTENSIONS = (".woff2", ".woff", ".ttf", ".otf", ".eot")
# What any reference to an asset contains, as ``may_name_assets`` looks for it.
_TELLTALES = (b"stylesheet", b"preload", b"@import", b"@font-face", b"url(", b'"src"', b"srcset", b"poster",
              b'"background"', b'"image"')
# Incremental snapshots that can name an asset: DOM changes, CSSOM rules and declarations.
_SOURCES_WITH_CSS = frozenset({IncrementalSource.MUTATION, IncrementalSource.STYLE_SHEET_RULE,
                               IncrementalSource.STYLE_DECLARATION, IncrementalSource.ADOPTED_STYLE_SHEET})
# Attributes that hold one image URL, by element; ``srcset`` holds several.
_IMAGE_ATTRIBUTES = {"img": ("src",), "input": ("src",), "video": ("poster",), "image": ("href", "xlink:href"),
                     "body": ("background",), "table": ("background",), "td": ("background",), "th": ("background",)}
# An attribute change names no element: these hold an image wherever they are. (A script's
# or frame's src is fetched in vain at worst: the cache keeps only image content types.)
_CHANGED_IMAGE_ATTRIBUTES = ("src", "poster", "background")


def may_name_assets(raw_json: bytes) -> bool:
    """Whether events serialized as ``raw_json`` may refer to a stylesheet, font or
    image: a test cheap enough for every batch (a byte search, no parse). False means
    :func:`event_refs` finds nothing; True means it may.

    A reference is a ``<link rel=stylesheet>``, a font ``preload``, an ``@import``,
    ``@font-face`` or ``url()`` in CSS text, or an image attribute (``src``, ``srcset``,
    ``poster``, ``background``, SVG's ``<image>``); each spells one of these words.

    >>> may_name_assets(b'[{"type":2,"data":{"node":{"tagName":"link","attributes":{"rel":"Stylesheet"}}}}]')
    True
    >>> may_name_assets(b'[{"type":3,"data":{"source":0,"adds":[{"node":{"tagName":"img","attributes":{"src":"a.png"}}}]}}]')
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
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def looks_like_font(url: str) -> bool:
    """Whether ``url`` names a web font file (by its extension).

    >>> looks_like_font("https://cdn.test/f/Brand.WOFF2?v=3"), looks_like_font("https://cdn.test/a.css")
    (True, False)
    """
    return urlsplit(url).path.lower().endswith(_FONT_EXTENSIONS)


def srcset_urls(srcset: str) -> list[str]:
    """The URLs of a ``srcset`` (each candidate's first word; data: URLs, which hold
    commas, never are fetched anyway).

    >>> srcset_urls("https://x.test/a.jpg 1x, https://x.test/b.jpg 2x,https://x.test/c.jpg")
    ['https://x.test/a.jpg', 'https://x.test/b.jpg', 'https://x.test/c.jpg']
    """
    return [candidate.split()[0] for candidate in srcset.split(",") if candidate.strip()]


def css_refs(css: str, base_url: Optional[str] = None) -> dict[str, str]:
    """``{absolute url: kind}`` of the stylesheets (@import), fonts (@font-face) and
    images (any other ``url()``) in CSS.

    >>> css_refs('@import "a.css"; @font-face { src: url(f.woff2) format("woff2") } .x { background: url(i.png) }',
    ...          "https://cdn.test/css/site.css")
    {'https://cdn.test/css/a.css': 'stylesheet', 'https://cdn.test/css/f.woff2': 'font', 'https://cdn.test/css/i.png': 'image'}
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
    for match in _URL.finditer(css):
        add(match.group(2), IMAGE)
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


def _style_refs(style: object) -> dict[str, str]:
    """A ``style`` attribute: text, or (in mutations) ``{property: value | [value, priority] | false}``."""
    if isinstance(style, str):
        return css_refs(style)
    found: dict[str, str] = {}
    if isinstance(style, Mapping):
        for value in style.values():
            value = value[0] if isinstance(value, list) and value else value
            if isinstance(value, str):
                found.update(css_refs(value))
    return found


def _image_refs(attributes: Mapping, names: Iterable[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in names:
        value = attributes.get(name)
        if isinstance(value, str) and is_fetchable(value):
            found.setdefault(value.split("#")[0], IMAGE)
    srcset = attributes.get("srcset")
    if isinstance(srcset, str):
        for url in srcset_urls(srcset):
            if is_fetchable(url):
                found.setdefault(url.split("#")[0], IMAGE)
    return found


def _attribute_refs(tag: str, attributes: Mapping) -> dict[str, str]:
    """References in an element's attributes; ``tag`` "" for an attribute change."""
    found: dict[str, str] = {}
    css = attributes.get("_cssText")
    if isinstance(css, str):
        found.update(css_refs(css))
    href = attributes.get("href")
    rel = str(attributes.get("rel", "")).lower()
    if tag in ("link", "") and isinstance(href, str) and is_fetchable(href):
        if "stylesheet" in rel and not isinstance(css, str):
            found[href] = STYLESHEET
        elif "preload" in rel and str(attributes.get("as", "")).lower() == "font":
            found[href] = FONT
    found.update(_style_refs(attributes.get("style")))
    for url, kind in _image_refs(attributes, _IMAGE_ATTRIBUTES.get(tag, _CHANGED_IMAGE_ATTRIBUTES if not tag else ())).items():
        found.setdefault(url, kind)
    return found


def _mutation_refs(mutation: Mutation) -> dict[str, str]:
    found: dict[str, str] = {}
    for add in mutation.adds:
        for node in _nodes(add.get("node")):
            found.update(_node_refs(node))
    for change in mutation.attributes:
        attributes = change.get("attributes")
        if isinstance(attributes, Mapping):
            found.update(_attribute_refs("", attributes))
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
    """(``{url: kind}`` of stylesheets, fonts and images the events use, page URLs from
    Meta events).

    >>> from analysis.event_builders import document, element, meta_event, snapshot_event
    >>> link = element(5, "link", {"rel": "stylesheet", "href": "https://cdn.test/site.css"})
    >>> logo = element(10, "img", {"src": "https://cdn.test/logo.png", "srcset": "https://cdn.test/logo@2x.png 2x"})
    >>> event_refs([meta_event(1, "https://shop.test/"), snapshot_event(2, document(logo, head_children=[link]))])
    ({'https://cdn.test/logo.png': 'image', 'https://cdn.test/logo@2x.png': 'image', 'https://cdn.test/site.css': 'stylesheet'}, ['https://shop.test/'])

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
    ...             "https://cdn.test/c/s.css", {"https://cdn.test/c/f.woff2": "abc"})
    '@import url("https://cdn.test/c/x.css"); @import "https://cdn.test/c/y.css"; @font-face{src:url("abc")} a{background:url("https://cdn.test/c/i.png")}'
    """
    def absolute(raw: str) -> str:
        if raw.startswith(("data:", "#")):
            return raw
        url = urljoin(base_url, raw)
        resource, hash_mark, fragment = url.partition("#")  # an SVG sprite's #icon stays on our copy
        return cached[resource] + hash_mark + fragment if resource in cached else url

    css = _URL.sub(lambda m: f'url("{absolute(m.group(2))}")', css)
    return _IMPORT_STRING.sub(lambda m: f'@import "{absolute(m.group(2))}"', css)
