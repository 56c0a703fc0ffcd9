"""Heat points: clicks per page in page coordinates, read through analysis' typed events."""
from __future__ import annotations

import pytest

from analysis.event_builders import (
    click_event,
    document,
    element,
    meta_event,
    pageview_event,
    scroll_event,
    snapshot_event,
)
from server.heatmap.points import Point, trace_pages


def _snapshot(ts: int, top: float = 0) -> dict:
    event = snapshot_event(ts, document(element(5, "button")))
    event["data"]["initialOffset"] = {"left": 0, "top": top}
    return event


def test_clicks_are_shifted_by_the_document_scroll():
    trace = trace_pages([
        meta_event(0, "http://x/a"), _snapshot(1, top=100),
        click_event(2, 5, 10, 20),  # scrolled 100 px when the snapshot was taken
        scroll_event(3, 500), click_event(4, 5, 10, 20),
        scroll_event(5, 50, node_id=5), click_event(6, 5, 10, 20),  # an element scrolled: the document did not
    ])
    assert trace.clicks == {"http://x/a": [Point(10.0, 120.0, 2), Point(10.0, 520.0, 4), Point(10.0, 520.0, 6)]}


def test_keyboard_clicks_at_the_origin_are_left_out():
    trace = trace_pages([meta_event(0, "http://x/a"), _snapshot(1), click_event(2, 5, 0, 0)])
    assert trace.clicks == {}


@pytest.mark.parametrize(("entered", "key"), [
    ("http://x/thanks?", "http://x/thanks"),  # an empty query is the same page
    ("http://x/thanks#receipt", "http://x/thanks"),  # so is a fragment
    ("http://x/thanks/", "http://x/thanks/"),  # a trailing slash may be another document: kept
    ("http://x/search?q=a", "http://x/search?q=a"),  # a real query shows other content
])
def test_clicks_are_filed_under_the_page_key(entered, key):
    trace = trace_pages([meta_event(0, "http://x/"), _snapshot(1), pageview_event(2, entered), click_event(3, 5, 10, 20)])
    assert list(trace.clicks) == [key]


def test_malformed_events_are_skipped_not_fatal():
    trace = trace_pages([
        meta_event(0, "http://x/a"), {"type": 3, "timestamp": "soon"}, {"type": 2, "timestamp": 1, "data": "?"},
        "not an event", click_event(2, 5, 10, 20),
    ])
    assert trace.clicks == {"http://x/a": [Point(10.0, 20.0, 2)]}
