"""Live rooms in the database: watch marks (ingest answers ``live: true`` while a
session is watched), the moderator's commands waiting for the participant's SDK, and
the observers' private chat."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from server.storage.errors import InvalidInput
from server.storage.models import LiveChatMessage, LiveCommand, Session
from server.storage.unit_of_work import reading, unit_of_work

# Observers' pages heartbeat every 10 s; a room counts as watched this long after.
WATCH_TTL_MS = 30_000
MAX_CHAT_TEXT = 2000  # a chat line, not an essay: longer ones are refused
CHAT_HISTORY = 200  # what a late joiner gets of the room's chat (the latest lines)


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


def add_chat_message(session_id: str, author: str, text: object, *, now_ms: int) -> LiveChatMessage:
    """A line of the observers' chat.

    :raise InvalidInput: for text that is not 1-2000 characters.
    :commits: the line.
    """
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_CHAT_TEXT:
        raise InvalidInput(f"A chat line is 1-{MAX_CHAT_TEXT} characters of text.")
    with unit_of_work() as db:
        message = LiveChatMessage(session_id=session_id, author=author[:200], text=text.strip(), created_at=now_ms)
        db.add(message)
        return message


def chat_messages(session_id: str) -> list[LiveChatMessage]:
    """The room's latest chat lines, oldest first."""
    latest = reading().execute(select(LiveChatMessage).where(LiveChatMessage.session_id == session_id)
                               .order_by(LiveChatMessage.id.desc()).limit(CHAT_HISTORY)).scalars()
    return list(reversed(list(latest)))


def chat_dict(message: LiveChatMessage) -> dict:
    return {"id": message.id, "session_id": message.session_id, "author": message.author, "text": message.text,
            "at": message.created_at}
