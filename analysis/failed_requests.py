"""A click and the failed request that followed it: the request becomes evidence in the
click's signal (``details.request``), so a reviewer sees *why* nothing happened.

SPEC's signal definitions do not change; this adds detail only. A click signal is one
whose ``ts`` is a click (rage, dead and error clicks: their first click). The request
it gets is the first failed one (status 400 or more, or no response with an error) that started
within :data:`CLICK_REQUEST_WINDOW_MS` of the click, the click's own millisecond included.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterable
from dataclasses import replace

from analysis.context import TimedRequest
from analysis.signals import Signal

CLICK_REQUEST_WINDOW_MS = 1000
"""A request starting this soon after a click was almost surely sent by its handler
(handlers send at once; a second later the person has moved on)."""


def attach_failed_requests(signals: Iterable[Signal], click_times: Collection[int], requests: Iterable[TimedRequest],
                           window_ms: int = CLICK_REQUEST_WINDOW_MS) -> list[Signal]:
    """``signals`` with ``details.request`` on each click signal a failed request followed.

    >>> from analysis.context import timed_requests
    >>> from analysis.event_builders import network_event, network_request
    >>> from analysis.events import parse_events
    >>> requests = list(timed_requests(parse_events([network_event(1600,
    ...     network_request("http://x/ok", 200, 1010, 20), network_request("http://x/cart", 503, 1300, 200, method="POST"))])))
    >>> signals = [Signal("dead_click", 1000, 1000, "http://x/"), Signal("quick_back", 1200, 4000, "http://x/"),
    ...            Signal("dead_click", 2500, 2500, "http://x/")]
    >>> [s.details for s in attach_failed_requests(signals, {1000, 2500}, requests)]
    [{'request': {'url': 'http://x/cart', 'method': 'POST', 'status': 503, 'error': None, 'start_ms': 1300, \
'duration_ms': 200}}, {}, {}]

    See also: :func:`analysis.context.timed_requests`.
    """
    failed = sorted((timed for timed in requests if timed.request.is_failed), key=lambda timed: timed.ts)
    starts = [timed.ts for timed in failed]
    linked = []
    for signal in signals:
        if signal.ts in click_times:
            first = bisect_left(starts, signal.ts)
            if first < len(starts) and starts[first] <= signal.ts + window_ms:
                signal = replace(signal, details={**signal.details, "request": request_detail(failed[first])})
        linked.append(signal)
    return linked


def request_detail(timed: TimedRequest) -> dict[str, object]:
    """What a signal says of a request: ``{url, method, status, error, start_ms, duration_ms}``."""
    request = timed.request
    return {"url": request.url, "method": request.method, "status": request.status, "error": request.error,
            "start_ms": timed.ts, "duration_ms": request.duration_ms}
