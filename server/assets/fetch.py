"""A bounded HTTP fetcher for recorded sites' stylesheets and fonts.

The address rule, redirects, and time limits are the outbound policy's
(``server/outbound.py``); here: only GET, ``MAX_STYLESHEET_BYTES`` /
``MAX_FONT_BYTES``, and a response is kept only with a stylesheet or font content type.
"""
from __future__ import annotations

from dataclasses import dataclass

from analysis.asset_refs import FONT, STYLESHEET, looks_like_font
from server.outbound import OutboundPolicy, OutboundRefused, Response, request

MAX_STYLESHEET_BYTES = 2 * 1024 * 1024  # big frameworks ship ~1 MiB of CSS
MAX_FONT_BYTES = 4 * 1024 * 1024  # CJK web fonts run to a few MiB
USER_AGENT = "Replaydesk asset cache (+replay fidelity)"
_FONT_TYPES = ("font/", "application/font-", "application/x-font-", "application/vnd.ms-fontobject")

FetchRefused = OutboundRefused  # what the cache catches: a refused address, a limit, a wrong answer


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes


def _accepts(kind: str, content_type: str, url: str) -> bool:
    if kind == STYLESHEET:
        return content_type == "text/css"
    return content_type.startswith(_FONT_TYPES) or (content_type in ("application/octet-stream", "") and looks_like_font(url))


def fetch_asset(url: str, kind: str, policy: OutboundPolicy) -> Fetched:
    """GET a stylesheet or font under the rules above.

    :raise FetchRefused: for anything but a 200 of the right type within the limits.
    """
    def check(response: Response) -> None:
        if response.status != 200:
            raise FetchRefused(f"HTTP {response.status}")
        if not _accepts(kind, response.content_type, response.url):
            raise FetchRefused(f"unexpected content type {response.content_type or 'none'} for a {kind}")

    response = request(url, policy, headers={"User-Agent": USER_AGENT, "Accept": "text/css,font/*,*/*;q=0.1"},
                       max_bytes=MAX_FONT_BYTES if kind == FONT else MAX_STYLESHEET_BYTES, accept_body=check)
    return Fetched(response.url, response.content_type or "font/woff2", response.body)
