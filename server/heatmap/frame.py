"""The events that rebuild a page as a visitor first saw it: from the full snapshot
before the visit up to a moment after it began. Pure."""
from __future__ import annotations

from typing import Callable, Optional

from analysis.events import Event, FullSnapshot, Meta, parse_events
from analysis.visits import page_key, same_page
from server.heatmap.points import entered_url

SETTLE_MS = 1500  # late styles and images arrive in the first second or so
MAX_FRAME_EVENTS = 5000


def first_frame(events: list[dict], url: str, on_page: Optional[Callable[[str], bool]] = None) -> Optional[dict]:
    """``{"events", "offset_ms", "width", "height"}`` for the first visit of ``url``, or
    None; with ``on_page`` (a predicate on page keys), of the first page it accepts.

    The events are the stored ones, unchanged: the player replays them.

    >>> events = [{"type": 4, "timestamp": 10, "data": {"href": "http://x/", "width": 800, "height": 600}},
    ...           {"type": 2, "timestamp": 11, "data": {"node": {"id": 1}}},
    ...           {"type": 5, "timestamp": 20, "data": {"tag": "$pageview", "payload": {"url": "http://x/b?"}}},
    ...           {"type": 3, "timestamp": 5000, "data": {"source": 0}}]
    >>> frame = first_frame(events, "http://x/b#top")
    >>> len(frame["events"]), frame["offset_ms"], frame["width"]
    (3, 1510, 800)
    >>> first_frame(events, "http://x/*", lambda key: key.startswith("http://x/b"))["offset_ms"]
    1510
    """
    typed = parse_events(events)
    last_meta: Optional[int] = None
    for index, event in enumerate(typed):
        if isinstance(event, Meta):
            last_meta = index
        entered = entered_url(event)
        if entered is None or last_meta is None:
            continue
        if not (on_page(page_key(entered)) if on_page is not None else same_page(entered, url)):
            continue
        meta = typed[last_meta]
        settle_until = event.ts + SETTLE_MS
        end = _frame_end(typed, last_meta, index + 1, settle_until)
        return {"events": events[last_meta:end], "offset_ms": settle_until - meta.ts,
                "width": meta.width, "height": meta.height}
    return None


def _frame_end(typed: list[Event], start: int, end: int, settle_until: int) -> int:
    """Past ``end``, up to ``settle_until`` and at least through a full snapshot (capped)."""
    has_snapshot = any(isinstance(e, FullSnapshot) for e in typed[start:end])
    while end < len(typed) and end - start < MAX_FRAME_EVENTS and (
            (typed[end].ts or 0) <= settle_until or not has_snapshot):
        has_snapshot = has_snapshot or isinstance(typed[end], FullSnapshot)
        end += 1
    return end
