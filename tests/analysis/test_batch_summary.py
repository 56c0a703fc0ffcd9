"""summarize_batch: the context counters ingest keeps, read from only the events it needs."""

from __future__ import annotations

import analysis.batch_summary as batch_summary
from analysis.event_builders import (click_event, console_event, custom_event, meta_event, move_event, mutation_event,
                                     network_event, network_request, scroll_event)
from analysis.batch_summary import summarize_batch


def test_counts_console_errors_failed_requests_and_the_slowest():
    summary = summarize_batch([
        console_event(1, "error", "a"), console_event(2, "warn", "b"), console_event(3, "error", "c"),
        network_event(9, network_request("/a", 200, 4, 90), network_request("/b", 404, 5, 1200),
                      network_request("/c", None, 6, None, error="aborted")),
        {"type": 6, "timestamp": 10, "data": {"plugin": "rrweb/network@1", "payload": "junk"}},  # unreadable: skipped
    ])
    assert (summary.console_errors, summary.failed_requests, summary.slowest_request_ms) == (2, 2, 1200)


def test_a_batch_without_requests_has_no_slowest():
    summary = summarize_batch([meta_event(1, "http://x/"), console_event(2, "error", "a")])
    assert (summary.console_errors, summary.failed_requests, summary.slowest_request_ms) == (1, 0, None)


def test_only_the_events_it_reads_are_parsed(monkeypatch):
    parsed = []

    def recording_parse(raw):
        parsed.append(raw["type"])
        return original(raw)

    original = batch_summary.parse_event
    monkeypatch.setattr(batch_summary, "parse_event", recording_parse)
    summarize_batch([meta_event(1, "http://x/"), mutation_event(2, texts=[{"id": 4, "value": "x"}]),
                     move_event(3, [(1, 1, 0)]), scroll_event(4, 100), click_event(5, 4, 1, 1),
                     console_event(6, "log", "x"), network_event(7), custom_event(8, "buy", {}),
                     {"type": 6, "timestamp": 9, "data": {"plugin": "rrweb/sequential-id@1", "payload": {"id": 1}}}])
    assert parsed == [4, 3, 6, 6, 5]  # Meta, the click, console, network, custom; no mutation, move or scroll
