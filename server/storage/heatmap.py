"""What a heatmap of one page draws from: the sessions that visited the page, and the
signals with a spot on it. "The page" follows :func:`analysis.visits.page_key`; a URL
with ``*`` is a pattern of pages (``https://shop.test/product/*``)."""
from __future__ import annotations

from typing import Optional, Sequence

from sqlalchemy import ColumnElement, func, or_, select

from analysis.visits import page_key
from server.storage.models import Session, SessionPage, SessionVariant, Signal
from server.storage.scope import confined
from server.storage.text_match import matches_glob, starts_with
from server.storage.unit_of_work import reading


def _on_page(column, url: str) -> ColumnElement[bool]:
    """SQL for ``page_key(column) == page_key(url)``: the page's URL itself, with an empty
    query, and either of them with a fragment (kept in the rows of older versions); a
    pattern's pages (the callers match page keys exactly again)."""
    if "*" in url:
        return matches_glob(column, url.split("#", 1)[0])
    key = page_key(url)
    return or_(column.in_((key, key + "?")), starts_with(column, key + "#"), starts_with(column, key + "?#"))


def _visited(url: str, variant: Optional[tuple[str, str]], widths: tuple[int, Optional[int]]):
    query = confined(select(Session), Session.project_id).where(
        Session.id.in_(select(SessionPage.session_id).where(_on_page(SessionPage.url, url))))
    low, high = widths
    if low or high is not None:
        query = query.where(Session.viewport_w >= low)
        if high is not None:
            query = query.where(Session.viewport_w < high)
    if variant:
        query = query.where(Session.id.in_(select(SessionVariant.session_id).where(
            SessionVariant.experiment == variant[0], SessionVariant.variant == variant[1])))
    return query


def sessions_on_page(url: str, variant: Optional[tuple[str, str]] = None, *, limit: int,
                     widths: tuple[int, Optional[int]] = (0, None)) -> list:
    """The newest sessions (at most ``limit``) that visited ``url``'s page, optionally only
    those assigned ``(experiment, variant)`` and those whose viewport width is in
    ``widths`` (low inclusive, high exclusive or None); Session rows, newest first."""
    query = _visited(url, variant, widths)
    return list(reading().execute(query.order_by(Session.started_at.desc()).limit(limit)).scalars())


def viewport_widths_on_page(url: str, variant: Optional[tuple[str, str]] = None) -> list[tuple[int, int]]:
    """``(viewport width, sessions)`` of the page's visitors, most common first."""
    visited = _visited(url, variant, (0, None)).with_only_columns(Session.viewport_w).subquery()
    rows = reading().execute(select(visited.c.viewport_w, func.count()).where(visited.c.viewport_w.is_not(None))
                             .group_by(visited.c.viewport_w).order_by(func.count().desc(), visited.c.viewport_w)).all()
    return [(width, count) for width, count in rows]


def signals_on_page(kind: str, session_ids: Sequence[str], url: str) -> list:
    """Signals of ``kind`` in these sessions that happened on ``url``'s page at a known spot
    (``x`` and ``y`` set); Signal rows."""
    if not session_ids:
        return []
    return list(reading().execute(select(Signal).where(
        Signal.kind == kind, Signal.session_id.in_(session_ids), _on_page(Signal.url, url),
        Signal.x.is_not(None), Signal.y.is_not(None),
    )).scalars())
