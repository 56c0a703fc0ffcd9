"""``LiveNamespace``: the /live Socket.IO namespace behind the reviewer login.

Client → server: ``join {session_id}`` (answers with the session's state, whether it
is live by the server's live window, and the room's chat so far; the backlog comes
from GET /api/v1/sessions/<id>/events, the stream from ``events`` messages),
``heartbeat {session_id}`` (answers whether the session is live), ``note {session_id,
text, ts?, tags?, severity?}``, ``chat {session_id, text}`` (observers only, never
the participant), ``command {session_id, command}``, ``leave {session_id}``.
Server → client: ``events {session_id, events}``, ``note {annotation}``, ``chat
{id, session_id, author, text, at}``, ``signals {session_id, signals}`` (flagged
while the session runs), ``command {session_id, command}``.
"""
from __future__ import annotations

from flask_socketio import Namespace, join_room, leave_room

from server.web.serialize import annotation_dict
from server.auth.identity import current_reviewer
from server.extensions import socketio
from server.live.rooms import NAMESPACE, publish_chat, publish_command, publish_note, room_of
from server.runtime import current_runtime
from server.review.notes import add_note
from server.storage.errors import DomainError, NotFoundError
from server.storage.live import add_chat_message, chat_dict, chat_messages, mark_watched, queue_command
from server.storage.sessions import get_session

MAX_COMMAND_BYTES = 4096


def _error(message: str) -> dict:
    return {"ok": False, "error": message}


def liveness(session) -> dict:
    """Whether the session is live, by the server's clock and live window (the same
    rule as the session list's Live badge), and how long ago its last batch came."""
    runtime = current_runtime()
    return {"live": session.last_received_at >= runtime.live_since_ms(),
            "since_last_batch_ms": max(0, runtime.now_ms() - session.last_received_at),
            "live_window_ms": int(runtime.settings.live_window_seconds * 1000)}


class LiveNamespace(Namespace):
    def on_connect(self, auth=None):
        if current_reviewer() is None:
            raise ConnectionRefusedError("sign in to watch live sessions")

    def _session(self, data, role: str = "viewer"):
        """The stored session ``data`` names, if the reviewer holds ``role`` in its
        project; else None (an answer, not an error, on a socket). Another project's
        session is "no such session", as if it did not exist."""
        session_id = data.get("session_id") if isinstance(data, dict) else None
        reviewer = current_reviewer()  # each event: a fresh context, confined to their projects
        try:
            session = get_session(session_id) if isinstance(session_id, str) and reviewer else None
        except NotFoundError:
            return None
        return session if session is not None and reviewer.may(session.project_id, role) else None

    def on_join(self, data):
        session = self._session(data)
        if session is None:
            return _error("no such session")
        join_room(room_of(session.id))
        mark_watched(session.id, now_ms=current_runtime().now_ms())
        return {"ok": True, "session_id": session.id, "started_at": session.started_at, "ended_at": session.ended_at,
                **liveness(session), "chat": [chat_dict(m) for m in chat_messages(session.id)]}

    def on_heartbeat(self, data):
        session = self._session(data)
        if session is None:
            return _error("no such session")
        mark_watched(session.id, now_ms=current_runtime().now_ms())
        return {"ok": True, **liveness(session)}

    def on_chat(self, data):
        session = self._session(data, "member")  # stored, so a write: viewers read the chat
        if session is None:
            return _error("no such session, or your role there only reads")
        try:
            message = add_chat_message(session.id, current_reviewer().name, data.get("text"),
                                       now_ms=current_runtime().now_ms())
        except DomainError as error:
            return _error(error.message)
        shaped = chat_dict(message)
        publish_chat(session.id, shaped)
        return {"ok": True, "message": shaped}

    def on_leave(self, data):
        session = self._session(data)
        if session is not None:
            leave_room(room_of(session.id))
        return {"ok": True}

    def on_note(self, data):
        session = self._session(data, "member")
        if session is None:
            return _error("no such session, or your role there only reads")
        body = {k: data[k] for k in ("text", "tags", "severity") if k in data}
        body["ts"] = data.get("ts", session.ended_at)  # default: the latest moment observers saw
        try:
            note = add_note(session, body, author=current_reviewer().name, runtime=current_runtime())
        except DomainError as error:
            return _error(error.message)
        shaped = annotation_dict(note, session.started_at)
        publish_note(session.id, shaped)
        return {"ok": True, "annotation": shaped}

    def on_command(self, data):
        session = self._session(data, "member")
        command = data.get("command") if isinstance(data, dict) else None
        if session is None or not isinstance(command, dict) or len(str(command)) > MAX_COMMAND_BYTES:
            return _error("send {session_id, command: {...}} (command under 4 KB)")
        queue_command(session.id, command, now_ms=current_runtime().now_ms())
        publish_command(session.id, command)
        return {"ok": True}


# Registered once, at import: Flask-SocketIO binds it on every init_app.
socketio.on_namespace(LiveNamespace(NAMESPACE))
