"""Where on a page things happened, in page coordinates (viewport position plus the
document's scroll at that moment), from a session's events. Pure functions.

rrweb records clicks at viewport coordinates; the heatmap is drawn over the whole
page, so each click is shifted by the document scroll tracked from Scroll events of
the document node (the full snapshot's root). Keyboard-triggered clicks arrive at
(0, 0) and are left out. Events are read through :mod:`analysis.events`, and pages
are told apart by :func:`analysis.visits.page_key`, as analysis does.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Optional

from analysis.events import (
    CustomEvent,
    Event,
    FullSnapshot,
    Meta,
    MouseInteraction,
    MouseInteractionEvent,
    Scroll,
    parse_events,
)
from analysis.visits import page_key


def entered_url(event: Event) -> Optional[str]:
    """The URL a navigation enters (a Meta's ``href``, a ``$pageview``'s ``url``), else None.

    >>> entered_url(Meta(1, "http://x/a", 800, 600)), entered_url(CustomEvent(2, "$pageview", {"url": "http://x/b"}))
    ('http://x/a', 'http://x/b')
    >>> entered_url(CustomEvent(3, "$error", {"url": "http://x/c"})) is None
    True
    """
    if isinstance(event, Meta):
        return event.href
    if isinstance(event, CustomEvent) and event.tag == "$pageview":
        url = event.payload.get("url")
        return url if isinstance(url, str) else None
    return None


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    ts: int


@dataclass
class PageTrace:
    """Clicks per page (by :func:`~analysis.visits.page_key`) and the document's scroll over time."""

    clicks: dict[str, list[Point]] = field(default_factory=dict)
    scroll_ts: list[int] = field(default_factory=list)
    scroll_xy: list[tuple[float, float]] = field(default_factory=list)
    deepest: dict[str, float] = field(default_factory=dict)
    """Per page: the lowest page pixel the viewport showed (scroll plus viewport height)."""

    def scroll_at(self, ts: int) -> tuple[float, float]:
        index = bisect.bisect_right(self.scroll_ts, ts) - 1
        return self.scroll_xy[index] if index >= 0 else (0.0, 0.0)

    def to_page(self, x: float, y: float, ts: int) -> Point:
        sx, sy = self.scroll_at(ts)
        return Point(x + sx, y + sy, ts)

    def set_scroll(self, ts: int, x: float, y: float) -> None:
        self.scroll_ts.append(ts)
        self.scroll_xy.append((x, y))

    def see(self, url: str, bottom: Optional[float]) -> None:
        """The viewport showed ``url`` down to page pixel ``bottom`` (None: unknown height)."""
        if bottom is not None and url:
            self.deepest[url] = max(self.deepest.get(url, 0.0), float(bottom))


def trace_pages(events: Iterable[Mapping[str, object]]) -> PageTrace:
    """Fold the stream once: the current page, the document node, its scroll, the clicks,
    and how far down each page was seen.

    >>> trace = trace_pages([
    ...     {"type": 4, "timestamp": 0, "data": {"href": "http://x/a#top"}},
    ...     {"type": 2, "timestamp": 1, "data": {"node": {"id": 1}, "initialOffset": {"left": 0, "top": 0}}},
    ...     {"type": 3, "timestamp": 2, "data": {"source": 3, "id": 1, "x": 0, "y": 500}},
    ...     {"type": 3, "timestamp": 3, "data": {"source": 2, "type": 2, "id": 9, "x": 10, "y": 20}},
    ...     {"type": 3, "timestamp": 4, "data": {"source": 2, "type": 2, "id": 9, "x": 0, "y": 0}},
    ... ])
    >>> trace.clicks, trace.scroll_at(2), trace.deepest
    ({'http://x/a': [Point(x=10.0, y=520.0, ts=3)]}, (0.0, 500.0), {})

    With the viewport's height (from Meta), each page's deepest point seen:

    >>> trace_pages([{"type": 4, "timestamp": 0, "data": {"href": "http://x/a", "width": 390, "height": 800}},
    ...              {"type": 2, "timestamp": 1, "data": {"node": {"id": 1}, "initialOffset": {"left": 0, "top": 0}}},
    ...              {"type": 3, "timestamp": 2, "data": {"source": 3, "id": 1, "x": 0, "y": 1200}}]).deepest
    {'http://x/a': 2000.0}
    """
    trace = PageTrace()
    url, document_id, height = "", None, 0
    for event in parse_events(list(events)):
        entered = entered_url(event)
        if entered is not None:
            url = page_key(entered)
            height = (event.height or height) if isinstance(event, Meta) else height
            trace.see(url, trace.scroll_at(event.ts)[1] + height if height else None)
        elif isinstance(event, FullSnapshot):
            document_id = event.node.get("id")
            trace.set_scroll(event.ts, *event.initial_offset)
            trace.see(url, event.initial_offset[1] + height if height else None)
        elif isinstance(event, Scroll) and event.node_id == document_id:
            trace.set_scroll(event.ts, event.x, event.y)
            trace.see(url, event.y + height if height else None)
        elif isinstance(event, MouseInteractionEvent) and event.interaction is MouseInteraction.CLICK:
            if event.x is not None and event.y is not None and (event.x, event.y) != (0.0, 0.0):
                trace.clicks.setdefault(url, []).append(trace.to_page(event.x, event.y, event.ts))
    return trace
