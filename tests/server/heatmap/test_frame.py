"""The first frame of a page: the stored events from the Meta before its first visit
until the page has settled, found by the one "same page" rule."""
from __future__ import annotations

import pytest

from analysis.event_builders import document, meta_event, mutation_event, pageview_event, snapshot_event
from server.heatmap.frame import MAX_FRAME_EVENTS, SETTLE_MS, first_frame

LOAD = [meta_event(1000, "http://x/", 800, 600), snapshot_event(1001, document())]


@pytest.mark.parametrize("asked", ["http://x/cart", "http://x/cart?", "http://x/cart#top"])
def test_the_visit_is_found_by_its_page(asked):
    events = [*LOAD, pageview_event(2000, "http://x/cart?"), mutation_event(2500, adds=[]),
              mutation_event(2000 + SETTLE_MS + 1, adds=[])]
    frame = first_frame(events, asked)
    assert frame["events"] == events[:4]  # the stored events, unchanged, up to the settle time
    assert (frame["offset_ms"], frame["width"], frame["height"]) == (2000 + SETTLE_MS - 1000, 800, 600)


def test_another_page_has_no_frame():
    assert first_frame([*LOAD, pageview_event(2000, "http://x/cart")], "http://x/cart/") is None


def test_the_frame_reaches_a_full_snapshot_even_after_the_settle_time():
    late_snapshot = snapshot_event(9000, document())
    events = [meta_event(1000, "http://x/"), mutation_event(1100, adds=[]), late_snapshot, mutation_event(9500, adds=[])]
    assert first_frame(events, "http://x/")["events"] == events[:3]


def test_a_frame_is_capped():
    events = [meta_event(1000, "http://x/"), *(mutation_event(1001, adds=[]) for _ in range(MAX_FRAME_EVENTS + 10))]
    assert len(first_frame(events, "http://x/")["events"]) == MAX_FRAME_EVENTS
