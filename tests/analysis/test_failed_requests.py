"""attach_failed_requests: click signals followed by a failed request carry it; the rest are unchanged."""

from __future__ import annotations

import pytest

from analysis import analyze
from analysis.context import timed_requests
from analysis.event_builders import (click_event, element, error_event, mutation_event, network_event, network_request,
                                     page_load, text)
from analysis.events import parse_events
from analysis.failed_requests import CLICK_REQUEST_WINDOW_MS, attach_failed_requests
from analysis.signals import Signal

CLICK = 10_000


def requests_of(*entries: dict) -> list:
    return list(timed_requests(parse_events([network_event(CLICK + 5000, *entries)])))


CASES = [
    # (requests after a click at CLICK, url of the request the signal gets or None)
    ([network_request("/same-ms", 500, CLICK)], "/same-ms"),  # the click's own millisecond counts
    ([network_request("/edge", 404, CLICK + CLICK_REQUEST_WINDOW_MS)], "/edge"),
    ([network_request("/late", 404, CLICK + CLICK_REQUEST_WINDOW_MS + 1)], None),
    ([network_request("/before", 500, CLICK - 1)], None),  # started before the click: not its doing
    ([network_request("/ok", 200, CLICK + 10), network_request("/redirect", 302, CLICK + 20)], None),
    # the first failed one, whatever order they were reported in
    ([network_request("/second", 500, CLICK + 300), network_request("/first", None, CLICK + 200, error="aborted")],
     "/first"),
    ([network_request("/ok", 200, CLICK + 1), network_request("/failed", 503, CLICK + 900)], "/failed"),
]


@pytest.mark.parametrize(("entries", "attached"), CASES)
def test_which_request_a_click_signal_gets(entries, attached):
    signal = Signal("dead_click", CLICK, CLICK, "http://x/", details={"wait_ms": 2500})
    [linked] = attach_failed_requests([signal], {CLICK}, requests_of(*entries))
    request = linked.details.get("request")
    assert (request["url"] if request else None) == attached
    assert linked.details["wait_ms"] == 2500  # what the detector said stays


def test_the_request_detail_shape():
    [linked] = attach_failed_requests([Signal("rage_click", CLICK, CLICK + 900, "http://x/")], {CLICK},
                                      requests_of(network_request("/api?token=***", None, CLICK + 40, 12, method="post",
                                                                  error="network error")))
    assert linked.details["request"] == {"url": "/api?token=***", "method": "POST", "status": None,
                                         "error": "network error", "start_ms": CLICK + 40, "duration_ms": 12}


def test_signals_that_are_not_clicks_are_left_alone():
    signal = Signal("quick_back", CLICK, CLICK + 3000, "http://x/")
    assert attach_failed_requests([signal], {CLICK + 1}, requests_of(network_request("/f", 500, CLICK + 5))) == [signal]


def _page_with_pay_button() -> list[dict]:
    return page_load(1000, "http://shop.test/cart", element(10, "button", {"id": "pay"}, text(11, "Pay")))


def test_analyze_puts_the_request_in_rage_dead_and_error_clicks():
    raw = _page_with_pay_button()
    raw += [click_event(2000 + n * 200, 10, 40, 40) for n in range(3)]  # rage, starting at 2000
    raw += [network_event(2900, network_request("http://shop.test/api/pay", 502, 2100, 300, method="POST"))]
    raw += [click_event(6000, 10, 40, 40), error_event(6100, "TypeError: x")]  # an error click, and dead
    raw += [network_event(6600, network_request("http://shop.test/api/log", 500, 6050, 20))]
    raw += [mutation_event(9000, texts=[{"id": 11, "value": "Paid?"}])]  # the session goes on
    signals = analyze(raw).signals
    requests = {signal.kind: signal.details.get("request", {}).get("url") for signal in signals}
    assert requests["rage_click"] == "http://shop.test/api/pay"
    assert requests["error_click"] == requests["dead_click"] == "http://shop.test/api/log"
    assert "request" not in next(signal for signal in signals if signal.kind == "dead_end").details


def test_analyze_without_failures_changes_nothing():
    raw = _page_with_pay_button() + [click_event(2000, 10, 40, 40), network_event(2500, network_request("/ok", 200, 2010))]
    raw += [mutation_event(6000, texts=[{"id": 11, "value": "x"}])]
    signals = analyze(raw).signals
    assert "dead_click" in {signal.kind for signal in signals}
    assert all("request" not in signal.details for signal in signals)
