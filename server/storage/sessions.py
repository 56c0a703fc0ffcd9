"""Sessions by id: one for a page or route, several for the rows of a list."""
from __future__ import annotations

from typing import Iterable, Optional

from sqlalchemy import select

from server.storage.models import Session
from server.storage.lookup import get_row
from server.storage.scope import confined
from server.storage.unit_of_work import reading


def get_session(session_id: str) -> Session:
    """:raise NotFoundError: when no session has this id."""
    return get_row(reading(), Session, session_id, "session")


def sessions_by_id(session_ids: Iterable[str]) -> dict[str, Session]:
    """The sessions among these ids that exist, by id."""
    ids = set(session_ids)
    if not ids:
        return {}
    query = confined(select(Session).where(Session.id.in_(ids)), Session.project_id)
    return {row.id: row for row in reading().execute(query).scalars()}


def start_times(session_ids: Iterable[str]) -> dict[str, int]:
    """``{session_id: started_at}`` of the sessions among these ids that exist."""
    ids = set(session_ids)
    if not ids:
        return {}
    query = confined(select(Session.id, Session.started_at).where(Session.id.in_(ids)), Session.project_id)
    return dict(reading().execute(query).all())


def latest_received(project_id: int) -> Session | None:
    """The project's session whose latest batch arrived last (None before the first):
    what the install page watches for."""
    return reading().execute(confined(select(Session), Session.project_id).where(Session.project_id == project_id)
                             .order_by(Session.last_received_at.desc()).limit(1)).scalar()


def session_owner(session_id: str) -> Optional[int]:
    """The project a session belongs to, None when it is not stored (yet); unconfined:
    for project-key callers, who see no reviewer's scope."""
    return reading().execute(select(Session.project_id).where(Session.id == session_id)).scalar()
