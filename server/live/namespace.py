"""``LiveNamespace``: the /live Socket.IO namespace: observers behind the reviewer
login, and a think-aloud participant's page (its project key and session id) for the
one thing it does here, offering its voice to the observers over WebRTC.

Observers connect from the review UI's own origin with their cookie. A connection from
another origin is a participant's page: cookies are ignored, ``auth {key, session_id}``
must name a known key whose project the session belongs to (or will: it may not have
sent its first batch yet), and it may only take part in that session's signalling.

Client → server: ``join {session_id}`` (answers with the session's state, whether it
is live by the server's live window, and the room's chat so far; the backlog comes
from GET /api/v1/sessions/<id>/events, the stream from ``events`` messages),
``heartbeat {session_id}`` (answers whether the session is live), ``note {session_id,
text, ts?, tags?, severity?}``, ``chat {session_id, text}`` (observers only, never
the participant), ``command {session_id, command}``, ``leave {session_id}``.
Server → client: ``events {session_id, events}``, ``note {annotation}``, ``chat
{id, session_id, author, text, at}``, ``signals {session_id, signals}`` (flagged
while the session runs), ``command {session_id, command}``.

WebRTC signalling (several observers, one participant; the server only relays):
observer ``listen {session_id}`` → the participant gets ``rtc_listener {observer}``;
participant ``rtc_ready {}`` → the observers get ``rtc_participant {session_id}`` (and
ask again with ``listen``); either side's ``rtc_signal {session_id, to, data}`` (an
offer, answer or ICE candidate) reaches ``to`` as ``rtc_signal {session_id, from, data}``.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, session as socket_session
from flask_socketio import Namespace, emit, join_room, leave_room

from server.web.serialize import annotation_dict
from server.auth.identity import current_reviewer
from server.extensions import socketio
from server.live.rooms import NAMESPACE, participant_room_of, publish_chat, publish_command, publish_note, room_of
from server.runtime import current_runtime
from server.review.notes import add_note
from server.storage.errors import DomainError, NotFoundError
from server.storage.live import add_chat_message, chat_dict, chat_messages, mark_watched, queue_command
from server.storage.batch import ID_PATTERN
from server.storage.sessions import get_session, session_owner

MAX_COMMAND_BYTES = 4096
MAX_SIGNAL_BYTES = 16_384  # an SDP offer with its candidates is a few KB
ROLE = "rd_live_role"  # this connection's role: "observer", or the session id a participant's page records


def _error(message: str) -> dict:
    return {"ok": False, "error": message}


def liveness(session) -> dict:
    """Whether the session is live, by the server's clock and live window (the same
    rule as the session list's Live badge), and how long ago its last batch came."""
    runtime = current_runtime()
    return {"live": session.last_received_at >= runtime.live_since_ms(),
            "since_last_batch_ms": max(0, runtime.now_ms() - session.last_received_at),
            "live_window_ms": int(runtime.settings.live_window_seconds * 1000)}


def is_same_origin() -> bool:
    """Whether the connection comes from the review UI's own origin (or from no page)."""
    origin = request.headers.get("Origin")
    return not origin or urlsplit(origin).netloc == request.host


def participant_session(auth) -> str | None:
    """The session a participant's page may signal for: ``auth {key, session_id}`` with a
    known key, the session that key's project's (or not stored yet); else None."""
    if not isinstance(auth, dict):
        return None
    key, session_id = auth.get("key"), auth.get("session_id")
    if not isinstance(key, str) or not isinstance(session_id, str) or not ID_PATTERN.fullmatch(session_id) or len(key) > 64:
        return None
    project_id = current_runtime().project_keys.project_id(key)
    owner = session_owner(session_id)
    return session_id if project_id is not None and owner in (None, project_id) else None


class LiveNamespace(Namespace):
    def on_connect(self, auth=None):
        if is_same_origin() and current_reviewer() is not None:
            socket_session[ROLE] = "observer"
            return
        participant = participant_session(auth)
        if participant is None:
            raise ConnectionRefusedError("sign in to watch live sessions")
        socket_session[ROLE] = participant
        join_room(participant_room_of(participant))

    def _is_observer(self) -> bool:
        return socket_session.get(ROLE) == "observer"

    def _session(self, data, role: str = "viewer"):
        """The stored session ``data`` names, if the reviewer holds ``role`` in its
        project; else None (an answer, not an error, on a socket). Another project's
        session is "no such session", as if it did not exist."""
        session_id = data.get("session_id") if isinstance(data, dict) else None
        reviewer = current_reviewer() if self._is_observer() else None  # each event: confined to their projects
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


    # ---- WebRTC signalling: the participant's voice to every listening observer ----

    def on_listen(self, data):
        """An observer wants the participant's voice: the participant's page offers it."""
        session = self._session(data)
        if session is None:
            return _error("no such session")
        emit("rtc_listener", {"session_id": session.id, "observer": request.sid},
             to=participant_room_of(session.id), namespace=NAMESPACE)
        return {"ok": True}

    def on_rtc_ready(self, data=None):
        """The participant's page records and can be heard: listening observers ask again."""
        participant = socket_session.get(ROLE)
        if participant in (None, "observer"):
            return _error("only a participant's page is ready to be heard")
        emit("rtc_participant", {"session_id": participant}, to=room_of(participant), namespace=NAMESPACE)
        return {"ok": True}

    def on_rtc_signal(self, data):
        """An offer, answer or ICE candidate for one peer of the same session."""
        if not isinstance(data, dict) or not isinstance(data.get("to"), str) or len(str(data.get("data"))) > MAX_SIGNAL_BYTES:
            return _error("send {session_id, to, data} (data under 16 KB)")
        participant = socket_session.get(ROLE)
        if participant == "observer":
            session = self._session(data)
            if session is None:
                return _error("no such session")
            session_id = session.id
        elif participant is not None and data.get("session_id") == participant:
            session_id = participant
        else:
            return _error("no such session")
        emit("rtc_signal", {"session_id": session_id, "from": request.sid, "data": data.get("data")},
             to=data["to"], namespace=NAMESPACE)
        return {"ok": True}

# Registered once, at import: Flask-SocketIO binds it on every init_app.
socketio.on_namespace(LiveNamespace(NAMESPACE))
