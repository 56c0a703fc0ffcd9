"""build_context and count_context: the engineer's context of a session, in time order, capped."""

from __future__ import annotations

import pytest

from analysis.context import SLOW_REQUEST_MS, build_context, count_context, is_context_event
from analysis.event_builders import (click_event, console_event, custom_event, meta_event, mutation_event, network_event,
                                     network_request, pageview_event)
from analysis.events import parse_events


def test_lists_are_in_time_order_whatever_the_input_order():
    raw = [
        console_event(3000, "error", "late"), custom_event(2000, "b", {}), console_event(1000, "log", "early"),
        # requests are reported when they end, so a later event can hold an earlier start
        network_event(2500, network_request("/slow", 200, 100, 2400)), network_event(900, network_request("/fast", 200, 800)),
        custom_event(1500, "a", {"n": 1}), network_event(3000, network_request("/unknown-start", 500, None)),
    ]
    context = build_context(parse_events(raw))
    assert [entry.ts for entry in context.console] == [1000, 3000]
    assert [(timed.ts, timed.request.url) for timed in context.network] == [(100, "/slow"), (800, "/fast"),
                                                                            (3000, "/unknown-start")]
    assert [event.tag for event in context.events] == ["a", "b"]


def test_ties_keep_the_stream_order():
    raw = [network_event(10, network_request("/1", 200, 5), network_request("/2", 200, 5)), console_event(7, "log", "x"),
           console_event(7, "log", "y")]
    context = build_context(parse_events(raw))
    assert [t.request.url for t in context.network] == ["/1", "/2"] and [e.args for e in context.console] == [("x",), ("y",)]


def test_each_list_keeps_its_earliest_entries_and_says_it_was_cut():
    raw = [console_event(ts, "log", str(ts)) for ts in (50, 10, 40, 20, 30)]
    raw += [network_event(100, network_request("/a", 200, 1), network_request("/b", 200, 2))]
    context = build_context(parse_events(raw), limit=2)
    assert [entry.ts for entry in context.console] == [10, 20]
    assert context.truncated == {"console": True, "network": False, "events": False}
    assert context.to_dict()["truncated"] == {"console": True, "network": False, "events": False}


@pytest.mark.parametrize(("duration", "slow"), [(SLOW_REQUEST_MS - 1, False), (SLOW_REQUEST_MS, True), (None, False)])
def test_slow_from_the_threshold_on(duration, slow):
    shown = build_context(parse_events([network_event(5, network_request("/", 200, 1, duration))])).to_dict()["network"]
    assert shown[0]["slow"] is slow and shown[0]["duration_ms"] == duration


@pytest.mark.parametrize(("status", "error", "failed"), [
    (200, None, False), (302, None, False), (399, None, False), (400, None, True), (500, None, True),
    (None, "network error", True), (None, "aborted", True),
    (None, None, False),  # a status the browser hides (a cross-origin image): not a failure
])
def test_failed_is_status_400_or_more_or_no_response(status, error, failed):
    request = network_request("/", status, 1, **({"error": error} if error else {}))
    shown = build_context(parse_events([network_event(5, request)])).to_dict()["network"][0]
    assert shown["failed"] is failed and shown["status"] == status


def test_a_custom_threshold_is_reported():
    context = build_context(parse_events([network_event(5, network_request("/", 200, 1, 300))]), slow_ms=250)
    assert context.to_dict()["slow_ms"] == 250 and context.to_dict()["network"][0]["slow"] is True


def test_other_events_are_not_context():
    raw = [meta_event(1, "http://x/"), click_event(2, 4, 0, 0), mutation_event(3), {"type": 6, "timestamp": 4, "data": {
        "plugin": "rrweb/sequential-id@1", "payload": {"id": 1}}}, "junk", {"type": 6, "timestamp": 5, "data": [1]}]
    assert [is_context_event(event) for event in raw if isinstance(event, dict)] == [False] * 5
    assert build_context(parse_events(raw)).to_dict() == {
        "console": [], "network": [], "events": [], "slow_ms": SLOW_REQUEST_MS,
        "truncated": {"console": False, "network": False, "events": False}}


def test_sdk_and_product_events_are_both_listed_with_their_payloads():
    context = build_context(parse_events([pageview_event(5, "http://x/", "Home"), custom_event(6, "signup", {"plan": "pro"})]))
    assert context.to_dict()["events"] == [
        {"ts": 5, "tag": "$pageview", "payload": {"url": "http://x/", "referrer": "", "title": "Home"}},
        {"ts": 6, "tag": "signup", "payload": {"plan": "pro"}}]


def test_counts():
    raw = [console_event(1, "error", "a"), console_event(2, "error", "b"), console_event(3, "warn", "c"),
           network_event(10, network_request("/a", 200, 1, 50), network_request("/b", 404, 2, 1500),
                         network_request("/c", None, 3, None, error="timeout"))]
    counts = count_context(parse_events(raw))
    assert (counts.console_errors, counts.failed_requests, counts.slowest_request_ms) == (2, 2, 1500)
    empty = count_context([])
    assert (empty.console_errors, empty.failed_requests, empty.slowest_request_ms) == (0, 0, None)
