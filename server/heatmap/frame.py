"""The events that rebuild a page as a visitor first saw it: from the full snapshot
before the visit up to a moment after it began. Pure."""
from __future__ import annotations

from typing import Optional

from server.heatmap.points import CUSTOM, FULL_SNAPSHOT, META, page_key

SETTLE_MS = 1500  # late styles and images arrive in the first second or so
MAX_FRAME_EVENTS = 5000


def _entry_url(event: dict) -> Optional[str]:
    data = event.get("data") if isinstance(event.get("data"), dict) else {}
    if event.get("type") == META:
        return data.get("href")
    if event.get("type") == CUSTOM and data.get("tag") == "$pageview":
        return (data.get("payload") or {}).get("url")
    return None


def first_frame(events: list[dict], url: str) -> Optional[dict]:
    """``{"events", "offset_ms", "width", "height"}`` for the first visit of ``url``, or None.

    >>> events = [{"type": 4, "timestamp": 10, "data": {"href": "http://x/", "width": 800, "height": 600}},
    ...           {"type": 2, "timestamp": 11, "data": {"node": {"id": 1}}},
    ...           {"type": 5, "timestamp": 20, "data": {"tag": "$pageview", "payload": {"url": "http://x/b"}}},
    ...           {"type": 3, "timestamp": 5000, "data": {"source": 0}}]
    >>> frame = first_frame(events, "http://x/b#top")
    >>> len(frame["events"]), frame["offset_ms"], frame["width"]
    (3, 1510, 800)
    """
    key = page_key(url)
    last_meta = None
    for index, event in enumerate(events):
        if event.get("type") == META:
            last_meta = index
        entry = _entry_url(event)
        if entry is None or page_key(entry) != key or last_meta is None:
            continue
        start = last_meta
        settle_until = event["timestamp"] + SETTLE_MS
        end = index + 1
        while end < len(events) and end - start < MAX_FRAME_EVENTS and (
                events[end]["timestamp"] <= settle_until or not _has_snapshot(events, start, end)):
            end += 1
        meta = events[start].get("data") or {}
        return {"events": events[start:end], "offset_ms": settle_until - events[start]["timestamp"],
                "width": meta.get("width"), "height": meta.get("height")}
    return None


def _has_snapshot(events: list[dict], start: int, end: int) -> bool:
    return any(e.get("type") == FULL_SNAPSHOT for e in events[start:end])
