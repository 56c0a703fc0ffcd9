"""Find the stylesheet and font URLs in rrweb events and in CSS text. Pure functions.

rrweb inlines same-origin stylesheets as a ``_cssText`` attribute with absolute URLs;
cross-origin ones stay ``<link rel=stylesheet href>``. Fonts hide in ``@font-face``
rules of either, and stylesheets in ``@import``.
"""
from __future__ import annotations

import hashlib
import re
from typing import Iterable, Iterator, Optional
from urllib.parse import urljoin, urlsplit

STYLESHEET, FONT = "stylesheet", "font"
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}", re.IGNORECASE)
_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""", re.IGNORECASE)
_IMPORT = re.compile(r"""@import\s+(?:url\(\s*)?(['"]?)([^'")\s;]+)\1""", re.IGNORECASE)
_IMPORT_STRING = re.compile(r"""@import\s+(['"])([^'"]+)\1""", re.IGNORECASE)  # the url() form is a url()
_FONT_EXTENSIONS = (".woff2", ".woff", ".ttf", ".otf", ".eot")
# rrweb's numeric values (see analysis/events.py for the whole schema)
FULL_SNAPSHOT, INCREMENTAL, META = 2, 3, 4
MUTATION, STYLESHEET_RULE, ADOPTED_STYLESHEET = 0, 8, 15


def url_hash(url: str) -> str:
    """The key of a cached asset: SHA-256 of its absolute URL."""
    return hashlib.sha256(url.encode()).hexdigest()


def is_fetchable(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https") and bool(urlsplit(url).hostname)


def looks_like_font(url: str) -> bool:
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


def _nodes(root: dict) -> Iterator[dict]:
    """Every serialized node under ``root`` (iterative: recorded DOMs can be deep)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(node.get("childNodes") or ())


def _node_refs(node: dict) -> dict[str, str]:
    found: dict[str, str] = {}
    attributes = node.get("attributes") or {}
    if node.get("type") == 2:
        found.update(_attribute_refs(str(node.get("tagName", "")).lower(), attributes))
    elif node.get("type") == 3 and node.get("isStyle") and isinstance(node.get("textContent"), str):
        found.update(css_refs(node["textContent"]))
    return found


def _attribute_refs(tag: str, attributes: dict) -> dict[str, str]:
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


def _css_texts_of_incremental(data: dict) -> Iterator[str]:
    source = data.get("source")
    if source == STYLESHEET_RULE:
        for rule in data.get("adds") or ():
            if isinstance(rule, dict) and isinstance(rule.get("rule"), str):
                yield rule["rule"]
    elif source == ADOPTED_STYLESHEET:
        for style in data.get("styles") or ():
            for rule in (style or {}).get("rules") or ():
                if isinstance(rule, dict) and isinstance(rule.get("rule"), str):
                    yield rule["rule"]


def event_refs(events: Iterable[dict]) -> tuple[dict[str, str], list[str]]:
    """(``{url: kind}`` of stylesheets and fonts the events use, page URLs from Meta events)."""
    found: dict[str, str] = {}
    pages: list[str] = []
    for event in events:
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        kind = event.get("type")
        if kind == META and isinstance(data.get("href"), str):
            pages.append(data["href"])
        elif kind == FULL_SNAPSHOT and isinstance(data.get("node"), dict):
            for node in _nodes(data["node"]):
                found.update(_node_refs(node))
        elif kind == INCREMENTAL and data.get("source") == MUTATION:
            for add in data.get("adds") or ():
                for node in _nodes((add or {}).get("node")):
                    found.update(_node_refs(node))
            for change in data.get("attributes") or ():
                found.update(_attribute_refs("link", (change or {}).get("attributes") or {}))
        elif kind == INCREMENTAL:
            for css in _css_texts_of_incremental(data):
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
