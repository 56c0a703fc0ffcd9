"""A bounded HTTP fetcher for recorded sites' stylesheets and fonts.

The URLs come from recordings, and anyone holding a project key (it is public, in
the snippet) can send recordings: treat them as hostile. So every fetch is bounded
and address-checked:

- only ``http``/``https``, only GET, at most ``MAX_REDIRECTS`` redirects, each checked again;
- ``TIMEOUT_S`` to connect and per read, ``MAX_STYLESHEET_BYTES`` / ``MAX_FONT_BYTES``;
- a response is kept only with a stylesheet or font content type;
- **the address rule**: the host is resolved once and we connect to the checked
  address (no DNS rebinding between check and connect). Public (globally routable)
  addresses are allowed. Loopback addresses (127.0.0.0/8, ::1) are allowed only when
  the session's own pages were on a loopback origin: a product developed or tested
  on 127.0.0.1 references its assets there. Private, link-local (cloud metadata),
  CGNAT, multicast and reserved addresses are never fetched.
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from typing import Callable, Optional
from urllib.parse import urljoin, urlsplit

from analysis.asset_refs import FONT, STYLESHEET, looks_like_font

TIMEOUT_S = 5.0  # a slow CDN must not hold the cache worker for long
MAX_REDIRECTS = 3
MAX_STYLESHEET_BYTES = 2 * 1024 * 1024  # big frameworks ship ~1 MiB of CSS
MAX_FONT_BYTES = 4 * 1024 * 1024  # CJK web fonts run to a few MiB
USER_AGENT = "Replaydesk asset cache (+replay fidelity)"
_FONT_TYPES = ("font/", "application/font-", "application/x-font-", "application/vnd.ms-fontobject")


class FetchRefused(Exception):
    """The URL may not or could not be fetched; the message says why."""


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str
    body: bytes


@dataclass(frozen=True)
class AddressPolicy:
    allow_loopback: bool = False

    def allows(self, address: str) -> bool:
        ip = ipaddress.ip_address(address)
        if getattr(ip, "ipv4_mapped", None):
            ip = ip.ipv4_mapped
        if ip.is_loopback:
            return self.allow_loopback
        return ip.is_global and not ip.is_multicast


def is_loopback_host(host: Optional[str]) -> bool:
    if not host:
        return False
    if host.lower() in ("localhost", "localhost.localdomain") or host.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def policy_for_pages(page_urls: list[str]) -> AddressPolicy:
    """Loopback assets are allowed when the session's own pages were on a loopback origin."""
    return AddressPolicy(allow_loopback=any(is_loopback_host(urlsplit(url).hostname) for url in page_urls))


def resolve_checked(host: str, port: int, policy: AddressPolicy) -> str:
    """An address of ``host`` that the policy allows.

    :raise FetchRefused: when the host does not resolve or any address is forbidden
        (a name resolving to both a public and a private address is refused whole).
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchRefused(f"cannot resolve {host}: {error}") from None
    addresses = [info[4][0] for info in infos]
    if not addresses or not all(policy.allows(address) for address in addresses):
        raise FetchRefused(f"{host} resolves to an address that is not fetched ({addresses[0] if addresses else 'none'})")
    return addresses[0]


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a checked address, with SNI and certificate checks for the real host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def _accepts(kind: str, content_type: str, url: str) -> bool:
    if kind == STYLESHEET:
        return content_type == "text/css"
    return content_type.startswith(_FONT_TYPES) or (content_type in ("application/octet-stream", "") and looks_like_font(url))


def _read_capped(response: http.client.HTTPResponse, limit: int) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > limit:
        raise FetchRefused(f"larger than {limit} bytes")
    body = response.read(limit + 1)
    if len(body) > limit:
        raise FetchRefused(f"larger than {limit} bytes")
    return body


def fetch_asset(url: str, kind: str, policy: AddressPolicy, *, timeout: float = TIMEOUT_S) -> Fetched:
    """GET a stylesheet or font under the rules above.

    :raise FetchRefused: for anything but a 200 of the right type within the limits.
    """
    limit = MAX_FONT_BYTES if kind == FONT else MAX_STYLESHEET_BYTES
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchRefused("only http and https URLs are fetched")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = resolve_checked(parts.hostname, port, policy)
        connection_type: Callable = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
        connection = connection_type(parts.hostname, address, port, timeout)
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "text/css,font/*,*/*;q=0.1"})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise FetchRefused(f"HTTP {response.status}")
            content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
            if not _accepts(kind, content_type, url):
                raise FetchRefused(f"unexpected content type {content_type or 'none'} for a {kind}")
            return Fetched(url, content_type or "font/woff2", _read_capped(response, limit))
        except (OSError, http.client.HTTPException) as error:
            raise FetchRefused(f"{type(error).__name__}: {error}") from None
        finally:
            connection.close()
    raise FetchRefused(f"more than {MAX_REDIRECTS} redirects")
