"""A bounded HTTP fetcher for recorded sites' stylesheets, fonts and images.

The address rule, redirects, and time limits are the outbound policy's
(``server/outbound.py``); here: only GET, a size limit per kind (settings), and a
response is kept only when it is what the page used it as: ``text/css`` for a
stylesheet, a font or an image by its content type, or by its first bytes when the site
sent a generic type (``application/octet-stream``). The type we keep is the one we
serve it with (``nosniff``), so a sniffed file gets its real type.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from analysis.asset_refs import FONT, IMAGE, STYLESHEET, looks_like_font
from server.outbound import OutboundPolicy, OutboundRefused, Response, request

USER_AGENT = "Replaydesk asset cache (+replay fidelity)"
ACCEPT = {STYLESHEET: "text/css,*/*;q=0.1", FONT: "font/*,*/*;q=0.1",
          IMAGE: "image/avif,image/webp,image/svg+xml,image/*,*/*;q=0.5"}
_FONT_TYPES = ("font/", "application/font-", "application/x-font-", "application/vnd.ms-fontobject")
_GENERIC_TYPES = ("", "application/octet-stream", "binary/octet-stream", "application/unknown")
# First bytes of the formats a page can use as a font or an image.
_FONT_MAGIC = ((b"wOF2", "font/woff2"), (b"wOFF", "font/woff"), (b"\x00\x01\x00\x00", "font/ttf"),
               (b"true", "font/ttf"), (b"OTTO", "font/otf"))
_IMAGE_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF87a", "image/gif"),
                (b"GIF89a", "image/gif"), (b"\x00\x00\x01\x00", "image/x-icon"), (b"BM", "image/bmp"))

FetchRefused = OutboundRefused  # what the cache catches: a refused address, a limit, a wrong answer


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes


def sniff_type(kind: str, body: bytes) -> Optional[str]:
    """The font or image type ``body`` starts like, or None.

    >>> sniff_type("font", b"wOF2\\x00\\x01"), sniff_type("image", b"RIFF\\x10\\x00\\x00\\x00WEBPVP8 ")
    ('font/woff2', 'image/webp')
    >>> sniff_type("image", b"<!doctype html><p>Not found"), sniff_type("image", b'<?xml version="1.0"?><svg ')
    (None, 'image/svg+xml')
    """
    if kind == FONT:
        return next((found for magic, found in _FONT_MAGIC if body.startswith(magic)), None)
    if kind != IMAGE:
        return None
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return "image/webp"
    if body[4:12] in (b"ftypavif", b"ftypavis"):
        return "image/avif"
    found = next((found for magic, found in _IMAGE_MAGIC if body.startswith(magic)), None)
    head = body[:512].lstrip().lower()
    if found is None and (head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head)):
        return "image/svg+xml"
    return found


def _declared_ok(kind: str, content_type: str, url: str) -> bool:
    """Whether the declared type may be what the page used (before the body is read)."""
    if kind == STYLESHEET:
        return content_type == "text/css"
    if content_type in _GENERIC_TYPES:
        return True  # decided by the first bytes
    if kind == FONT:
        return content_type.startswith(_FONT_TYPES) or (content_type == "text/plain" and looks_like_font(url))
    return content_type.startswith("image/")


def kept_type(kind: str, content_type: str, body: bytes) -> Optional[str]:
    """The type we serve the bytes with, or None when they are not a ``kind``.

    >>> kept_type("image", "application/octet-stream", b"\\x89PNG\\r\\n\\x1a\\n..."), kept_type("image", "image/png", b"<html>")
    ('image/png', 'image/png')
    >>> kept_type("font", "application/octet-stream", b"<html>"), kept_type("stylesheet", "text/css", b"a{}")
    (None, 'text/css')
    """
    if kind == STYLESHEET or (content_type not in _GENERIC_TYPES and content_type != "text/plain"):
        return content_type
    return sniff_type(kind, body)


def fetch_asset(url: str, kind: str, policy: OutboundPolicy, *, max_bytes: int) -> Fetched:
    """GET a stylesheet, font or image under the rules above.

    :raise FetchRefused: for anything but a 200 of the right type within ``max_bytes``.
    """
    def check(response: Response) -> None:
        if response.status != 200:
            raise FetchRefused(f"HTTP {response.status}")
        if not _declared_ok(kind, response.content_type, response.url):
            raise FetchRefused(f"unexpected content type {response.content_type or 'none'} for a {kind}")

    response = request(url, policy, headers={"User-Agent": USER_AGENT, "Accept": ACCEPT[kind]},
                       max_bytes=max_bytes, accept_body=check)
    content_type = kept_type(kind, response.content_type, response.body)
    if content_type is None:
        raise FetchRefused(f"content of type {response.content_type or 'none'} is not a {kind}")
    return Fetched(response.url, content_type, response.body)
