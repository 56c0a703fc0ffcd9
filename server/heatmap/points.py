"""Where on a page things happened, in page coordinates (viewport position plus the
document's scroll at that moment), from a session's events. Pure functions.

rrweb records clicks at viewport coordinates; the heatmap is drawn over the whole
page, so each click is shifted by the document scroll tracked from Scroll events of
the document node (the full snapshot's root). Keyboard-triggered clicks arrive at
(0, 0) and are left out.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Iterable, Optional
from urllib.parse import urldefrag

FULL_SNAPSHOT, INCREMENTAL, META, CUSTOM = 2, 3, 4, 5
MOUSE_INTERACTION, SCROLL, CLICK = 2, 3, 2


def page_key(url: str) -> str:
    """URLs name the same page when they differ only in the fragment."""
    return urldefrag(url or "")[0]


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    ts: int


@dataclass
class PageTrace:
    """Clicks per page and the document's scroll over time, for one session."""

    clicks: dict[str, list[Point]] = field(default_factory=dict)
    scroll_ts: list[int] = field(default_factory=list)
    scroll_xy: list[tuple[float, float]] = field(default_factory=list)

    def scroll_at(self, ts: int) -> tuple[float, float]:
        index = bisect.bisect_right(self.scroll_ts, ts) - 1
        return self.scroll_xy[index] if index >= 0 else (0.0, 0.0)

    def to_page(self, x: float, y: float, ts: int) -> Point:
        sx, sy = self.scroll_at(ts)
        return Point(x + sx, y + sy, ts)


def _number(value) -> Optional[float]:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def trace_pages(events: Iterable[dict]) -> PageTrace:
    """Fold the stream once: the current page, the document node, its scroll, the clicks.

    >>> trace = trace_pages([
    ...     {"type": 4, "timestamp": 0, "data": {"href": "http://x/a#top"}},
    ...     {"type": 2, "timestamp": 1, "data": {"node": {"id": 1}, "initialOffset": {"left": 0, "top": 0}}},
    ...     {"type": 3, "timestamp": 2, "data": {"source": 3, "id": 1, "x": 0, "y": 500}},
    ...     {"type": 3, "timestamp": 3, "data": {"source": 2, "type": 2, "id": 9, "x": 10, "y": 20}},
    ...     {"type": 3, "timestamp": 4, "data": {"source": 2, "type": 2, "id": 9, "x": 0, "y": 0}},
    ... ])
    >>> trace.clicks, trace.scroll_at(2)
    ({'http://x/a': [Point(x=10.0, y=520.0, ts=3)]}, (0.0, 500.0))
    """
    trace = PageTrace()
    url, document_id = "", None

    def set_scroll(ts: int, x: float, y: float) -> None:
        trace.scroll_ts.append(ts)
        trace.scroll_xy.append((x, y))

    for event in events:
        data = event.get("data") if isinstance(event.get("data"), dict) else {}
        kind, ts = event.get("type"), event.get("timestamp", 0)
        if kind == META and isinstance(data.get("href"), str):
            url = page_key(data["href"])
        elif kind == CUSTOM and data.get("tag") == "$pageview" and isinstance((data.get("payload") or {}).get("url"), str):
            url = page_key(data["payload"]["url"])
        elif kind == FULL_SNAPSHOT:
            document_id = (data.get("node") or {}).get("id")
            offset = data.get("initialOffset") or {}
            set_scroll(ts, _number(offset.get("left")) or 0.0, _number(offset.get("top")) or 0.0)
        elif kind == INCREMENTAL and data.get("source") == SCROLL and data.get("id") == document_id:
            set_scroll(ts, _number(data.get("x")) or 0.0, _number(data.get("y")) or 0.0)
        elif kind == INCREMENTAL and data.get("source") == MOUSE_INTERACTION and data.get("type") == CLICK:
            x, y = _number(data.get("x")), _number(data.get("y"))
            if x is not None and y is not None and (x, y) != (0.0, 0.0):
                trace.clicks.setdefault(url, []).append(trace.to_page(x, y, ts))
    return trace
