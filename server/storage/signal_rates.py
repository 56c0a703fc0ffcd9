"""How often a signal kind happened on a page in a time window, and how many visits the
page had then: the figures ``analysis.spikes`` judges."""
from __future__ import annotations

from sqlalchemy import func, select

from server.storage.models import Session, SessionPage, Signal
from server.storage.unit_of_work import reading


def signals_and_visits(project_id: int, kind: str, url: str, *, since_ms: int, until_ms: int) -> tuple[int, int]:
    """``(signals of kind on url, visits of url)`` in the project, in ``[since_ms, until_ms)``."""
    db = reading()
    signals = db.execute(
        select(func.count()).select_from(Signal).join(Session, Session.id == Signal.session_id)
        .where(Session.project_id == project_id, Signal.kind == kind, Signal.url == url,
               Signal.ts >= since_ms, Signal.ts < until_ms)).scalar_one()
    visits = db.execute(
        select(func.count()).select_from(SessionPage).join(Session, Session.id == SessionPage.session_id)
        .where(Session.project_id == project_id, SessionPage.url == url,
               SessionPage.ts >= since_ms, SessionPage.ts < until_ms)).scalar_one()
    return signals, visits
