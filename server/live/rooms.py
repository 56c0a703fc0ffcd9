"""Room names and the fan-out of new events, notes, commands, chat lines and freshly
flagged signals to a session's room (its observers: the participant's page is never in it).

Every emit goes through the SocketIO object, so with ``REPLAYDESK_REDIS_URL`` the
Redis message queue carries it to observers connected to any process.
"""
from __future__ import annotations

from typing import Optional

import orjson
import socketio as python_socketio

from server.extensions import socketio
from server.storage.codec import dump_json

NAMESPACE = "/live"


def live_client_manager(redis_url: Optional[str]):
    """Rooms in this process, or shared through Redis pub/sub across processes.

    Passed explicitly on every ``init_app``: Flask-SocketIO keeps options between
    calls, so a manager left from an earlier app would otherwise leak into the next.
    """
    return python_socketio.RedisManager(redis_url) if redis_url else python_socketio.Manager()


def room_of(session_id: str) -> str:
    """The session's observers."""
    return f"session:{session_id}"


def participant_room_of(session_id: str) -> str:
    """The participant's page(s) of the session (think-aloud signalling only)."""
    return f"participant:{session_id}"


def publish_events(session_id: str, events: tuple[dict, ...]) -> None:
    """Send freshly stored events to everyone in the session's room. Socket.IO walks a
    message recursively (two Python frames a level): events nested deeper than orjson
    writes (a deep DOM) go as one JSON text, ``events_json``, that the room parses."""
    if not events:
        return
    try:
        orjson.dumps(events)
        message = {"session_id": session_id, "events": list(events)}
    except orjson.JSONEncodeError:
        message = {"session_id": session_id, "events_json": dump_json(list(events)).decode()}
    socketio.emit("events", message, namespace=NAMESPACE, to=room_of(session_id))


def publish_note(session_id: str, note: dict) -> None:
    socketio.emit("note", note, namespace=NAMESPACE, to=room_of(session_id))


def publish_command(session_id: str, command: dict) -> None:
    """Let every observer see what the moderator sent the participant."""
    socketio.emit("command", {"session_id": session_id, "command": command}, namespace=NAMESPACE, to=room_of(session_id))


def publish_chat(session_id: str, message: dict) -> None:
    """A line of the observers' private chat."""
    socketio.emit("chat", message, namespace=NAMESPACE, to=room_of(session_id))


def publish_signals(session_id: str, signals: list[dict]) -> None:
    """Signals the live analysis just found (``server/live/flagging.py``)."""
    if signals:
        socketio.emit("signals", {"session_id": session_id, "signals": signals}, namespace=NAMESPACE,
                      to=room_of(session_id))
