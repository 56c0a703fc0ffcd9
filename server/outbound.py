"""Every request the server makes to an address it was handed (recorded stylesheets and
fonts, later webhooks) goes through :func:`request`, under one policy.

The URLs come from recordings or project settings, and anyone holding a project key (it
is public, in the snippet) can send recordings: treat them as hostile. So:

- **the address rule**: the host is resolved first and every address it resolves to
  must be allowed, else the request is refused whole; the connection then goes to the
  address that was checked (no DNS rebinding between check and connect; HTTPS still
  checks the certificate for the host name). Refused: loopback, private (RFC 1918,
  CGNAT, ULA), link-local, unspecified, multicast, reserved and documentation ranges,
  and the same addresses written as IPv4-mapped, 6to4, Teredo or NAT64 IPv6. Only
  globally routable addresses pass. ``OutboundPolicy(allow_private=True)`` lets the
  local ones (all but multicast) through: a local install recording a local site
  (``REPLAYDESK_PUBLIC_URL`` itself on a loopback host) or
  ``REPLAYDESK_FETCH_ALLOW_PRIVATE=1``. Cloud metadata endpoints
  (``METADATA_ADDRESSES``) are refused even then: nothing we fetch lives there, and a
  developer's cloud VM keeps its credentials;
- only ``http`` and ``https``; redirects are followed here, by hand, each hop resolved
  and checked again, at most ``MAX_REDIRECTS`` of them (GET only);
- ``TIMEOUT_S`` to connect and per read, ``TOTAL_TIMEOUT_S`` for the whole request
  (redirects included: a server trickling one byte at a time is cut off), and at most
  ``max_bytes`` of body.
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional
from urllib.parse import urljoin, urlsplit

from server.config import Settings

TIMEOUT_S = 5.0  # to connect, and for each read: a slow server must not hold a worker for long
TOTAL_TIMEOUT_S = 15.0  # the whole request, every redirect and byte of body included
MAX_REDIRECTS = 3
READ_CHUNK = 64 * 1024
METADATA_ADDRESSES = frozenset(map(ipaddress.ip_address, ("169.254.169.254", "fd00:ec2::254", "169.254.170.2")))
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_REDIRECTS = (301, 302, 303, 307, 308)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class OutboundRefused(Exception):
    """The URL may not or could not be fetched; the message says why."""


def _getaddrinfo(host: str, port: int) -> list[str]:
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def _create_connection(address: str, port: int, timeout: float) -> socket.socket:
    return socket.create_connection((address, port), timeout)


@dataclass(frozen=True)
class OutboundPolicy:
    """Which addresses may be reached, and how names are resolved and connected to
    (tests swap ``resolve`` and ``connect`` to play a public server on loopback)."""

    allow_private: bool = False
    resolve: Callable[[str, int], list[str]] = field(default=_getaddrinfo, compare=False)
    connect: Callable[[str, int, float], socket.socket] = field(default=_create_connection, compare=False)

    def allows(self, address: str) -> bool:
        """Whether ``address`` (an IP literal) may be connected to.

        >>> policy = OutboundPolicy()
        >>> [policy.allows(a) for a in ("93.184.216.34", "127.0.0.1", "10.1.2.3", "::ffff:192.168.0.1", "fe80::1")]
        [True, False, False, False, False]
        >>> OutboundPolicy(allow_private=True).allows("127.0.0.1"), OutboundPolicy(allow_private=True).allows("169.254.169.254")
        (True, False)
        """
        ips = _embedded(ipaddress.ip_address(address.split("%")[0]))
        if any(ip in METADATA_ADDRESSES for ip in ips):
            return False
        if self.allow_private:  # 0.0.0.0 too: dev servers print it as their address
            return all(not ip.is_multicast for ip in ips)
        return all(ip.is_global and not ip.is_multicast for ip in ips)


def _embedded(ip: Address) -> list[Address]:
    """``ip`` and any IPv4 address it carries (mapped, 6to4, Teredo, NAT64)."""
    found: list[Address] = [ip]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            found.append(ip.ipv4_mapped)
        if ip.sixtofour:
            found.append(ip.sixtofour)
        if ip.teredo:
            found.extend(ip.teredo)
        if ip in _NAT64:
            found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def is_loopback_host(host: Optional[str]) -> bool:
    """``localhost`` (and ``*.localhost``) or a loopback IP literal.

    >>> [is_loopback_host(h) for h in ("localhost", "app.localhost", "127.0.0.2", "[::1]", "replaydesk.test", None)]
    [True, True, True, True, False, False]
    """
    if not host:
        return False
    lowered = host.lower().rstrip(".")
    if lowered in ("localhost", "localhost.localdomain") or lowered.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(lowered.strip("[]")).is_loopback
    except ValueError:
        return False


def policy_for(settings: Settings) -> OutboundPolicy:
    """The policy of this install: local addresses only for a loopback install or when
    ``REPLAYDESK_FETCH_ALLOW_PRIVATE`` says so."""
    return OutboundPolicy(allow_private=settings.fetch_allow_private or is_loopback_host(urlsplit(settings.public_url).hostname))


def refusal_of(url: str, policy: OutboundPolicy) -> Optional[str]:
    """Why ``url`` would be refused, as far as one can tell without resolving it (a
    setting's URL is checked when it is saved; names are resolved and checked again at
    every request).

    >>> policy = OutboundPolicy()
    >>> [refusal_of(u, policy) for u in ("https://hooks.example/x", "ftp://x/", "http://127.0.0.1:9/", "http://localhost/")]
    [None, 'only http and https URLs are sent to', '127.0.0.1 is not a public address', 'localhost is not a public address']
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "only http and https URLs are sent to"
    if not _port_is_valid(parts):
        return "bad port"
    host = parts.hostname.strip("[]")
    try:
        allowed = policy.allows(host)
    except ValueError:  # a name: resolved and checked when a request is made
        allowed = policy.allow_private or not is_loopback_host(host)
    return None if allowed else f"{host} is not a public address"


def _port_is_valid(parts) -> bool:
    try:
        parts.port
    except ValueError:
        return False
    return True


def resolve_checked(host: str, port: int, policy: OutboundPolicy) -> str:
    """An address of ``host`` that the policy allows.

    :raise OutboundRefused: when the host does not resolve or any address is refused
        (a name resolving to both a public and a private address is refused whole).
    """
    try:
        addresses = policy.resolve(host.strip("[]"), port)
    except (OSError, UnicodeError) as error:
        raise OutboundRefused(f"cannot resolve {host}: {error}") from None
    refused = [address for address in addresses if not policy.allows(address)]
    if not addresses or refused:
        raise OutboundRefused(f"{host} resolves to an address that is not fetched ({refused[0] if refused else 'none'})")
    return addresses[0]


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def timeout(self, per_step: float) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise OutboundRefused("took longer than the time allowed")
        return min(per_step, left)


def request(url: str, policy: OutboundPolicy, *, method: str = "GET", body: Optional[bytes] = None,
            headers: Optional[Mapping[str, str]] = None, max_bytes: int, timeout: float = TIMEOUT_S,
            total_timeout: float = TOTAL_TIMEOUT_S, accept_body: Callable[[Response], None] = lambda _: None) -> Response:
    """Send one request under the rules above; the final answer, whatever its status.

    ``accept_body`` sees the answer (headers, empty body) before its body is read and
    may raise :class:`OutboundRefused` to skip reading it.

    :raise OutboundRefused: for a refused URL or address, too many redirects, a body
        over ``max_bytes``, a deadline passed, or any network or protocol error.
    """
    deadline = _Deadline(total_timeout)
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise OutboundRefused("only http and https URLs are fetched")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            raise OutboundRefused("bad port") from None
        address = resolve_checked(parts.hostname, port, policy)
        connection_type = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
        connection = connection_type(parts.hostname, port, address, policy, deadline.timeout(timeout))
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request(method, path, body=body, headers=dict(headers or {}))
            sock = connection.sock  # the answer keeps reading from it after the connection lets go
            answer = connection.getresponse()
            try:  # closed however this ends: an answer left open keeps its socket until the collector finds it
                found = {name.lower(): value for name, value in answer.getheaders()}
                if answer.status in _REDIRECTS and found.get("location") and method == "GET":
                    url = urljoin(url, found["location"])
                    continue
                response = Response(url, answer.status, found, b"")
                accept_body(response)
                return Response(url, answer.status, found, _read_capped(answer, sock, max_bytes, deadline, timeout))
            finally:
                answer.close()
        except TimeoutError:
            raise OutboundRefused("took longer than the time allowed") from None
        except (OSError, http.client.HTTPException) as error:
            raise OutboundRefused(f"{type(error).__name__}: {error}") from None
        finally:
            connection.close()
    raise OutboundRefused(f"more than {MAX_REDIRECTS} redirects")


def _read_capped(answer: http.client.HTTPResponse, sock: socket.socket, limit: int,
                 deadline: _Deadline, timeout: float) -> bytes:
    length = answer.getheader("Content-Length")
    if length and length.isdigit() and int(length) > limit:
        raise OutboundRefused(f"larger than {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    while True:
        sock.settimeout(deadline.timeout(timeout))
        chunk = answer.read1(READ_CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise OutboundRefused(f"larger than {limit} bytes")
        chunks.append(chunk)


class _PinnedHTTP(http.client.HTTPConnection):
    """HTTP to the checked address (the Host header still names the host)."""

    def __init__(self, host: str, port: int, address: str, policy: OutboundPolicy, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address
        self._connect = policy.connect

    def connect(self) -> None:
        self.sock = self._connect(self._address, self.port, self.timeout)


class _PinnedHTTPS(_PinnedHTTP):
    """HTTPS to the checked address, with SNI and certificate checks for the host name."""

    def __init__(self, host: str, port: int, address: str, policy: OutboundPolicy, timeout: float) -> None:
        super().__init__(host, port, address, policy, timeout)
        self._context = ssl.create_default_context()

    def connect(self) -> None:
        super().connect()
        self.sock = self._context.wrap_socket(self.sock, server_hostname=self.host)
