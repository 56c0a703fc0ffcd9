"""The engineer's context of a session: console output, network requests and custom
events, each in time order, as the player's panels show them (SPEC "Engineer's context").

The same reading gives the three numbers the session list filters on
(:func:`count_context`): console errors, failed requests (status 400 or more, or no
response) and the slowest request. Ingest counts them per batch, analysis over the
whole stream; both with these functions, so the two always agree.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from analysis.events import ConsoleEntry, CustomEvent, Event, NetworkEvent, NetworkRequest
from analysis.plugin_events import CONSOLE_PLUGIN, NETWORK_PLUGIN
from analysis.rrweb import EventType

SLOW_REQUEST_MS = 1000
"""A request taking this long or longer is marked slow: past a second, people notice a
wait (and stop feeling in control of the page)."""
MAX_ENTRIES = 5000
"""Entries kept per list (the earliest); past this a list is marked truncated. A long
session with chatty logging stays readable and its answer a few megabytes at most."""
CONTEXT_LISTS = ("console", "network", "events")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class TimedRequest:
    """A request placed on the session's timeline: ``ts`` is its start, or the time of
    the event that reported it when the SDK did not know the start."""

    ts: int
    request: NetworkRequest

    def is_slow(self, slow_ms: int = SLOW_REQUEST_MS) -> bool:
        return self.request.duration_ms is not None and self.request.duration_ms >= slow_ms


@dataclass(frozen=True, slots=True)
class SessionContext:
    """What :func:`build_context` found; :meth:`to_dict` is the review API's answer."""

    console: tuple[ConsoleEntry, ...]
    network: tuple[TimedRequest, ...]
    events: tuple[CustomEvent, ...]
    truncated: Mapping[str, bool]
    slow_ms: int = SLOW_REQUEST_MS

    def to_dict(self) -> dict[str, object]:
        """``{console, network, events, slow_ms, truncated}``, JSON-ready."""
        return {
            "console": [{"ts": entry.ts, "level": entry.level, "message": entry.message, "args": list(entry.args),
                         "trace": list(entry.trace)} for entry in self.console],
            "network": [request_dict(timed, self.slow_ms) for timed in self.network],
            "events": [{"ts": event.ts, "tag": event.tag, "payload": event.payload} for event in self.events],
            "slow_ms": self.slow_ms,
            "truncated": dict(self.truncated),
        }


@dataclass(frozen=True, slots=True)
class ContextCounts:
    """Console errors, failed requests and the slowest request's duration (None: no
    request with a known duration)."""

    console_errors: int = 0
    failed_requests: int = 0
    slowest_request_ms: int | None = None


def is_context_event(raw: Mapping[str, object]) -> bool:
    """Whether a raw event is one :func:`build_context` reads (custom, console or
    network): checked on the dict, so a reader can drop the rest before parsing.

    >>> from analysis.event_builders import click_event, console_event, custom_event
    >>> [is_context_event(e) for e in (click_event(1, 4, 0, 0), console_event(2, "log", "hi"), custom_event(3, "buy", {}))]
    [False, True, True]
    """
    kind = raw.get("type")
    if kind == EventType.CUSTOM:
        return True
    data = raw.get("data")
    return kind == EventType.PLUGIN and isinstance(data, Mapping) and data.get("plugin") in (CONSOLE_PLUGIN, NETWORK_PLUGIN)


def timed_requests(events: Iterable[Event]) -> Iterator[TimedRequest]:
    """Every request the network events report, in the order they were reported.

    >>> from analysis.event_builders import network_event, network_request
    >>> from analysis.events import parse_events
    >>> raw = [network_event(900, network_request("http://x/a", 200, 850), network_request("http://x/b", 500, None))]
    >>> [(t.ts, t.request.url) for t in timed_requests(parse_events(raw))]
    [(850, 'http://x/a'), (900, 'http://x/b')]
    """
    for event in events:
        if isinstance(event, NetworkEvent):
            for request in event.requests:
                yield TimedRequest(event.ts if request.start_ms is None else request.start_ms, request)


def build_context(events: Sequence[Event], *, slow_ms: int = SLOW_REQUEST_MS, limit: int = MAX_ENTRIES) -> SessionContext:
    """The console entries, requests and custom events of a session's typed events,
    each list in time order and cut to its ``limit`` earliest entries.

    >>> from analysis.event_builders import console_event, custom_event, network_event, network_request
    >>> from analysis.events import parse_events
    >>> context = build_context(parse_events([
    ...     custom_event(1000, "checkout_started", {"items": 2}),
    ...     network_event(2600, network_request("http://x/cart", 200, 1200, 1400), network_request("http://x/pay", 502, 2500)),
    ...     console_event(2700, "error", "Payment failed:", "502"),
    ... ]))
    >>> [(e["ts"], e["url"], e["failed"], e["slow"]) for e in context.to_dict()["network"]]
    [(1200, 'http://x/cart', False, True), (2500, 'http://x/pay', True, False)]
    >>> context.console[0].message, context.events[0].tag, context.truncated["console"]
    ('Payment failed: 502', 'checkout_started', False)

    See also: :func:`is_context_event`, :func:`count_context`.
    """
    console, console_cut = _earliest((e for e in events if isinstance(e, ConsoleEntry)), _ts, limit)
    network, network_cut = _earliest(timed_requests(events), _ts, limit)
    custom, custom_cut = _earliest((e for e in events if isinstance(e, CustomEvent)), _ts, limit)
    return SessionContext(console, network, custom, dict(zip(CONTEXT_LISTS, (console_cut, network_cut, custom_cut))),
                          slow_ms)


def count_context(events: Iterable[Event]) -> ContextCounts:
    """Console errors, failed requests and the slowest request among ``events``.

    >>> from analysis.event_builders import console_event, network_event, network_request
    >>> from analysis.events import parse_events
    >>> count_context(parse_events([
    ...     console_event(10, "error", "x"), console_event(11, "warn", "y"),
    ...     network_event(900, network_request("http://x/a", 404, 100, 30), network_request("http://x/b", None, 200, None, error="network error"),
    ...                   network_request("http://x/c", 200, 300, 700)),
    ... ]))
    ContextCounts(console_errors=1, failed_requests=2, slowest_request_ms=700)
    """
    console_errors = failed = 0
    slowest: int | None = None
    for event in events:
        if isinstance(event, ConsoleEntry):
            console_errors += event.level == "error"
        elif isinstance(event, NetworkEvent):
            for request in event.requests:
                failed += request.is_failed
                if request.duration_ms is not None and (slowest is None or request.duration_ms > slowest):
                    slowest = request.duration_ms
    return ContextCounts(console_errors, failed, slowest)


def request_dict(timed: TimedRequest, slow_ms: int = SLOW_REQUEST_MS) -> dict[str, object]:
    """A request as the API shows it: its fields, ``failed`` and ``slow``, and the
    allow-listed headers and bodies it has. ``start_ms`` is ``ts`` (see :class:`TimedRequest`)."""
    request = timed.request
    shown: dict[str, object] = {
        "ts": timed.ts, "url": request.url, "method": request.method, "status": request.status,
        "error": request.error, "initiator": request.initiator, "start_ms": timed.ts,
        "duration_ms": request.duration_ms, "transfer_bytes": request.transfer_bytes,
        "failed": request.is_failed, "slow": timed.is_slow(slow_ms),
    }
    for name in ("request_headers", "response_headers", "request_body", "response_body"):
        value = getattr(request, name)
        if value is not None:
            shown[name] = dict(value) if isinstance(value, Mapping) else value
    return shown


def _ts(item: ConsoleEntry | TimedRequest | CustomEvent) -> int:
    return item.ts


def _earliest(items: Iterable[T], key: Callable[[T], int], limit: int) -> tuple[tuple[T, ...], bool]:
    """The ``limit`` earliest items, stably sorted (holding no more than ``limit``), and
    whether there were more."""
    seen = 0

    def counted() -> Iterator[T]:
        nonlocal seen
        for item in items:
            seen += 1
            yield item

    kept = heapq.nsmallest(limit, counted(), key=key)
    return tuple(kept), seen > limit
