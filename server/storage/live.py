"""Live rooms in the database: watch marks (ingest answers ``live: true`` while a
session is watched) and the moderator's commands waiting for the participant's SDK."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from server.storage.models import LiveCommand, Session
from server.storage.unit_of_work import reading, unit_of_work

# Observers' pages heartbeat every 10 s; a room counts as watched this long after.
WATCH_TTL_MS = 30_000


def mark_watched(session_id: str, *, now_ms: int) -> None:
    """Someone watches the session for the next WATCH_TTL_MS.

    :commits: the session's watched_until.
    """
    with unit_of_work() as db:
        db.execute(update(Session).where(Session.id == session_id).values(watched_until=now_ms + WATCH_TTL_MS))


def queue_command(session_id: str, payload: dict[str, Any], *, now_ms: int) -> None:
    """A command for the participant's SDK, handed over in its next ingest answer.

    :commits: the command.
    """
    with unit_of_work() as db:
        db.add(LiveCommand(session_id=session_id, payload=payload, created_at=now_ms))


def sent_commands(session_id: str) -> list[LiveCommand]:
    """The session's commands in the order they were sent (delivered or not)."""
    return list(reading().execute(select(LiveCommand).where(LiveCommand.session_id == session_id)
                                  .order_by(LiveCommand.created_at, LiveCommand.id)).scalars())
