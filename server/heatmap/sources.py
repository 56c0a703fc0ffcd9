"""Which sessions a heatmap draws from, their traces (cached per session version), and
the points of one kind on one page."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Optional

from sqlalchemy import or_, select
from sqlalchemy.orm import Session as OrmSession

from server.heatmap.points import PageTrace, Point, page_key, trace_pages
from server.storage.events import read_all_events
from server.storage.models import Session, SessionPage, SessionVariant, Signal

KINDS = {"click": None, "rage": "rage_click", "dead": "dead_click"}  # heatmap kind → signal kind
MAX_SESSIONS = 300  # the newest sessions on the page; enough to show where people click
TRACE_CACHE_SIZE = 512


class TraceCache:
    """Traces keyed by (session id, event count): a grown session is traced again."""

    def __init__(self, size: int = TRACE_CACHE_SIZE) -> None:
        self.size = size
        self.items: OrderedDict[tuple[str, int], PageTrace] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, db: OrmSession, runtime, session: Session) -> PageTrace:
        key = (session.id, session.event_count)
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        trace = trace_pages(read_all_events(db, runtime.blobs, runtime.dictionaries, session.id))
        with self.lock:
            self.items[key] = trace
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return trace


def _visited(url: str):
    key = page_key(url)
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return or_(SessionPage.url == key, SessionPage.url.like(f"{escaped}#%", escape="\\"))


def sessions_on_page(db: OrmSession, url: str, variant: Optional[tuple[str, str]] = None,
                     limit: int = MAX_SESSIONS) -> list[Session]:
    """The newest sessions that visited ``url`` (fragment aside), optionally of one variant."""
    query = select(Session).where(Session.id.in_(select(SessionPage.session_id).where(_visited(url))))
    if variant:
        query = query.where(Session.id.in_(select(SessionVariant.session_id).where(
            SessionVariant.experiment == variant[0], SessionVariant.variant == variant[1])))
    return list(db.execute(query.order_by(Session.started_at.desc()).limit(limit)).scalars())


def points_on_page(db: OrmSession, runtime, cache: TraceCache, sessions: list[Session], url: str,
                   kind: str) -> list[tuple[Session, Point]]:
    """Clicks (from events) or rage/dead clicks (from signals), in page coordinates."""
    key = page_key(url)
    found: list[tuple[Session, Point]] = []
    signal_kind = KINDS[kind]
    signals_by_session: dict[str, list[Signal]] = {}
    if signal_kind:
        rows = db.execute(select(Signal).where(Signal.kind == signal_kind,
                                               Signal.session_id.in_([s.id for s in sessions]))).scalars()
        for signal in rows:
            if page_key(signal.url) == key and signal.x is not None and signal.y is not None:
                signals_by_session.setdefault(signal.session_id, []).append(signal)
    for session in sessions:
        if signal_kind and session.id not in signals_by_session:
            continue
        trace = cache.get(db, runtime, session)
        if signal_kind:
            found += [(session, trace.to_page(s.x, s.y, s.ts)) for s in signals_by_session[session.id]]
        else:
            found += [(session, point) for point in trace.clicks.get(key, [])]
    return found


def typical_viewport(sessions: list[Session]) -> tuple[int, int]:
    """The most common recorded viewport: the page is drawn at that width."""
    sizes: dict[tuple[int, int], int] = {}
    for session in sessions:
        if session.viewport_w and session.viewport_h:
            size = (session.viewport_w, session.viewport_h)
            sizes[size] = sizes.get(size, 0) + 1
    return max(sizes, key=sizes.get) if sizes else (1280, 800)
