"""``LiveNamespace``: the /live Socket.IO namespace behind the reviewer login.

Client → server: ``join {session_id}`` (answers with the session's state; the
backlog comes from GET /api/v1/sessions/<id>/events, the stream from ``events``
messages), ``heartbeat {session_id}``, ``note {session_id, text, ts?, tags?,
severity?}``, ``command {session_id, command}``, ``leave {session_id}``.
Server → client: ``events {session_id, events}``, ``note {annotation}``,
``command {session_id, command}``.
"""
from __future__ import annotations

from flask_socketio import Namespace, join_room, leave_room

from server.web.serialize import annotation_dict
from server.auth.identity import current_reviewer
from server.errors import ApiError
from server.extensions import db, socketio
from server.live.rooms import NAMESPACE, mark_watched, publish_command, publish_note, room_of
from server.runtime import current_runtime
from server.review.store import add_note, latest_moment
from server.storage.models import LiveCommand, Session

MAX_COMMAND_BYTES = 4096


def _error(message: str) -> dict:
    return {"ok": False, "error": message}


class LiveNamespace(Namespace):
    def on_connect(self, auth=None):
        if current_reviewer() is None:
            raise ConnectionRefusedError("sign in to watch live sessions")

    def _session(self, data) -> Session | None:
        session_id = data.get("session_id") if isinstance(data, dict) else None
        return db.session.get(Session, session_id) if isinstance(session_id, str) else None

    def on_join(self, data):
        session = self._session(data)
        if session is None:
            return _error("no such session")
        join_room(room_of(session.id))
        mark_watched(db.session, session.id, now_ms=current_runtime().now_ms())
        return {"ok": True, "session_id": session.id, "started_at": session.started_at, "ended_at": session.ended_at}

    def on_heartbeat(self, data):
        session = self._session(data)
        if session is None:
            return _error("no such session")
        mark_watched(db.session, session.id, now_ms=current_runtime().now_ms())
        return {"ok": True}

    def on_leave(self, data):
        session = self._session(data)
        if session is not None:
            leave_room(room_of(session.id))
        return {"ok": True}

    def on_note(self, data):
        session = self._session(data)
        if session is None:
            return _error("no such session")
        body = {k: data[k] for k in ("text", "tags", "severity") if k in data}
        body["ts"] = data.get("ts", session.ended_at)  # default: the latest moment observers saw
        try:
            note = add_note(db.session, session, body, author=current_reviewer().name,
                            now_ms=current_runtime().now_ms(), latest_ms=latest_moment(session, current_runtime()))
        except ApiError as error:
            db.session.rollback()
            return _error(error.message)
        with current_runtime().write_lock:
            db.session.commit()
        shaped = annotation_dict(note, session.started_at)
        publish_note(session.id, shaped)
        return {"ok": True, "annotation": shaped}

    def on_command(self, data):
        session = self._session(data)
        command = data.get("command") if isinstance(data, dict) else None
        if session is None or not isinstance(command, dict) or len(str(command)) > MAX_COMMAND_BYTES:
            return _error("send {session_id, command: {...}} (command under 4 KB)")
        db.session.add(LiveCommand(session_id=session.id, payload=command, created_at=current_runtime().now_ms()))
        db.session.commit()
        publish_command(session.id, command)
        return {"ok": True}


# Registered once, at import: Flask-SocketIO binds it on every init_app.
socketio.on_namespace(LiveNamespace(NAMESPACE))
