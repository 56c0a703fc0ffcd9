"""Which sessions a reviewer has watched: the player marks a session each time its
reviewer opens it, and the session list tells watched from unwatched, per reviewer."""
from __future__ import annotations

from typing import Sequence

from sqlalchemy import exists, select

from server.storage.dialect import insert_for_dialect
from server.storage.models import Session, SessionWatch
from server.storage.unit_of_work import reading, unit_of_work


def mark_watched(user_id: int, session_id: str, *, now_ms: int) -> None:
    """Record that ``user_id`` opened the session now (again: the time moves on).

    :commits: the mark; two openings at once leave one row.
    """
    with unit_of_work() as db:
        upsert = insert_for_dialect(db.get_bind().dialect.name, SessionWatch.__table__).values(
            user_id=user_id, session_id=session_id, watched_at=now_ms)
        db.execute(upsert.on_conflict_do_update(index_elements=["user_id", "session_id"],
                                                set_={"watched_at": now_ms}))


def watched_at(user_id: int, session_ids: Sequence[str]) -> dict[str, int]:
    """``{session_id: when the reviewer last opened it}`` among ``session_ids``."""
    if not session_ids:
        return {}
    rows = reading().execute(select(SessionWatch.session_id, SessionWatch.watched_at).where(
        SessionWatch.user_id == user_id, SessionWatch.session_id.in_(session_ids))).all()
    return dict(rows)


def is_watched_by(user_id: int):
    """A condition on Session: the reviewer has opened it."""
    return exists().where(SessionWatch.session_id == Session.id, SessionWatch.user_id == user_id)
