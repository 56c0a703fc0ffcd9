"""Which sessions a heatmap draws from, their traces (cached per session version), and
the points of one kind on one page."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Optional

from analysis.visits import page_key
from server.heatmap.points import PageTrace, Point, trace_pages
from server.heatmap.selection import ANY_VIEWPORT, Viewports, page_matcher
from server.storage.events import read_all_events
from server.storage.heatmap import sessions_on_page, signals_on_page

KINDS = {"click": None, "rage": "rage_click", "dead": "dead_click", "scroll": None}  # heatmap kind → signal kind
MAX_SESSIONS = 300  # the newest sessions on the page; enough to show where people click
TRACE_CACHE_SIZE = 512


class TraceCache:
    """Traces keyed by (session id, event count): a grown session is traced again."""

    def __init__(self, size: int = TRACE_CACHE_SIZE) -> None:
        self.size = size
        self.items: OrderedDict[tuple[str, int], PageTrace] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, runtime, session) -> PageTrace:
        """The trace of a stored session (a Session row)."""
        key = (session.id, session.event_count)
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        trace = trace_pages(read_all_events(runtime.blobs, runtime.dictionaries, session.id))
        with self.lock:
            self.items[key] = trace
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return trace


def heatmap_sessions(url: str, variant: Optional[tuple[str, str]] = None, limit: int = MAX_SESSIONS,
                     viewports: Viewports = ANY_VIEWPORT) -> list:
    """The newest sessions that visited ``url``'s page (or a page its pattern matches),
    optionally of one variant and one range of viewport widths (Session rows)."""
    return sessions_on_page(url, variant, limit=limit, widths=(viewports.low, viewports.high))


def points_on_page(runtime, cache: TraceCache, sessions: list, url: str, kind: str) -> list[tuple[object, Point]]:
    """``(session, point)`` pairs: clicks (from events) or rage/dead clicks (from signals),
    in page coordinates."""
    signal_kind = KINDS[kind]
    if not signal_kind:
        on_page = page_matcher(url)
        return [(session, point) for session in sessions
                for key, points in cache.get(runtime, session).clicks.items() if on_page(key) for point in points]
    signals_by_session: dict[str, list] = {}
    for signal in signals_on_page(signal_kind, [s.id for s in sessions], url):
        signals_by_session.setdefault(signal.session_id, []).append(signal)
    found = []
    on_page = page_matcher(url)
    for session in sessions:
        here = [s for s in signals_by_session.get(session.id, []) if on_page(page_key(s.url or ""))]
        if here:
            trace = cache.get(runtime, session)
            found += [(session, trace.to_page(s.x, s.y, s.ts)) for s in here]
    return found


def scroll_depths(runtime, cache: TraceCache, sessions: list, url: str) -> list[float]:
    """How far down each session saw the page (its pages, for a pattern): one depth per session."""
    on_page = page_matcher(url)
    depths = []
    for session in sessions:
        seen = [depth for key, depth in cache.get(runtime, session).deepest.items() if on_page(key)]
        if seen:
            depths.append(max(seen))
    return depths


def typical_viewport(sessions: list) -> tuple[int, int]:
    """The most common recorded viewport: the page is drawn at that width."""
    sizes: dict[tuple[int, int], int] = {}
    for session in sessions:
        if session.viewport_w and session.viewport_h:
            size = (session.viewport_w, session.viewport_h)
            sizes[size] = sizes.get(size, 0) + 1
    return max(sizes, key=sizes.get) if sizes else (1280, 800)
