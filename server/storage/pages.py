"""Navigations: the pages sessions entered (Meta events and ``$pageview``s, noted by
ingest), and the signals found on them."""
from __future__ import annotations

from itertools import groupby
from typing import Iterable

from sqlalchemy import func, select

from server.storage import queries
from server.storage.models import Session, SessionPage, Signal
from server.storage.unit_of_work import reading


def url_at(session_id: str, ts: int) -> str:
    """The URL a session was on at ``ts`` (its last navigation at or before it), or ""."""
    url = reading().execute(
        select(SessionPage.url).where(SessionPage.session_id == session_id, SessionPage.ts <= ts)
        .order_by(SessionPage.ts.desc()).limit(1)
    ).scalar()
    return url or ""


def exit_urls(session_ids: Iterable[str]) -> dict[str, str]:
    """The URL of each session's last navigation."""
    ids = list(session_ids)
    if not ids:
        return {}
    last = (select(SessionPage.session_id, func.max(SessionPage.ts).label("ts"))
            .where(SessionPage.session_id.in_(ids)).group_by(SessionPage.session_id).subquery())
    return dict(reading().execute(select(SessionPage.session_id, SessionPage.url).join(
        last, (SessionPage.session_id == last.c.session_id) & (SessionPage.ts == last.c.ts))).all())


def navigations(filters: queries.SessionFilters) -> dict[str, tuple[int, list]]:
    """``{session_id: (ended_at, navigations)}`` for the sessions the filters select that
    have any; navigations are SessionPage rows in time order."""
    rows = reading().execute(
        select(SessionPage, Session.ended_at).join(Session, Session.id == SessionPage.session_id)
        .where(SessionPage.session_id.in_(queries.session_ids(filters))).order_by(SessionPage.session_id, SessionPage.ts)
    ).all()
    found = {}
    for sid, group in groupby(rows, key=lambda row: row[0].session_id):
        group = list(group)
        found[sid] = (group[0][1], [page for page, _ in group])
    return found


def signal_places(filters: queries.SessionFilters) -> list[tuple[str, str, str]]:
    """``(session_id, kind, url)`` of every signal of the sessions the filters select."""
    query = select(Signal.session_id, Signal.kind, Signal.url).where(Signal.session_id.in_(queries.session_ids(filters)))
    return [tuple(row) for row in reading().execute(query)]
