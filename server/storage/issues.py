"""The signals the Issues view groups (``analysis/issues.py``): one row per stored
signal of the visible sessions in a time window, newest first, bounded."""
from __future__ import annotations

from typing import Optional, Sequence

from sqlalchemy import select

from analysis.issues import IssueSignal
from server.storage.models import Session, Signal
from server.storage.scope import visible
from server.storage.unit_of_work import reading

MAX_ISSUE_SIGNALS = 100_000
"""Signals read per request: months of a busy project. Past it, the oldest are left out."""


def issue_signals(*, since_ms: int, project_id: Optional[int] = None, kinds: Sequence[str] = ()) -> list[IssueSignal]:
    """Signals at or after ``since_ms`` in visible sessions (of one project, of some kinds)."""
    query = (select(Signal.kind, Signal.url, Signal.target, Signal.session_id, Signal.ts)
             .join(Session, Session.id == Signal.session_id)
             .where(Signal.ts >= since_ms, visible(Session.project_id))
             .order_by(Signal.ts.desc()).limit(MAX_ISSUE_SIGNALS))
    if project_id is not None:
        query = query.where(Session.project_id == project_id)
    if kinds:
        query = query.where(Signal.kind.in_(kinds))
    rows = reading().execute(query).all()
    return [IssueSignal(kind, url, _text(target, "selector"), _text(target, "text"), session_id, ts)
            for kind, url, target, session_id, ts in rows]


def _text(target: object, name: str) -> Optional[str]:
    value = target.get(name) if isinstance(target, dict) else None
    return value if isinstance(value, str) and value else None
