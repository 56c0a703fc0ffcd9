"""What a heatmap of one page draws from: the sessions that visited the page, and the
signals with a spot on it. "The page" follows :func:`analysis.visits.page_key`."""
from __future__ import annotations

from typing import Optional, Sequence

from sqlalchemy import ColumnElement, or_, select

from analysis.visits import page_key
from server.storage.models import Session, SessionPage, SessionVariant, Signal
from server.storage.scope import confined
from server.storage.text_match import starts_with
from server.storage.unit_of_work import reading


def _on_page(column, url: str) -> ColumnElement[bool]:
    """SQL for ``page_key(column) == page_key(url)``: the page's URL itself, with an empty
    query, and either of them with a fragment (kept in the rows of older versions)."""
    key = page_key(url)
    return or_(column.in_((key, key + "?")), starts_with(column, key + "#"), starts_with(column, key + "?#"))


def sessions_on_page(url: str, variant: Optional[tuple[str, str]] = None, *, limit: int) -> list:
    """The newest sessions (at most ``limit``) that visited ``url``'s page, optionally only
    those assigned ``(experiment, variant)``; Session rows, newest first."""
    query = confined(select(Session), Session.project_id).where(
        Session.id.in_(select(SessionPage.session_id).where(_on_page(SessionPage.url, url))))
    if variant:
        query = query.where(Session.id.in_(select(SessionVariant.session_id).where(
            SessionVariant.experiment == variant[0], SessionVariant.variant == variant[1])))
    return list(reading().execute(query.order_by(Session.started_at.desc()).limit(limit)).scalars())


def signals_on_page(kind: str, session_ids: Sequence[str], url: str) -> list:
    """Signals of ``kind`` in these sessions that happened on ``url``'s page at a known spot
    (``x`` and ``y`` set); Signal rows."""
    if not session_ids:
        return []
    return list(reading().execute(select(Signal).where(
        Signal.kind == kind, Signal.session_id.in_(session_ids), _on_page(Signal.url, url),
        Signal.x.is_not(None), Signal.y.is_not(None),
    )).scalars())
