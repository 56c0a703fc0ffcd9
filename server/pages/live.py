"""The live room page: observers watch a running session, share notes, and the
moderator sends the participant study tasks. The page is a shell; review_ui's
``live.js`` joins the /live Socket.IO room and does the rest.
"""
from __future__ import annotations

from flask import abort, make_response, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from server.web.serialize import annotation_dict
from server.auth.identity import current_reviewer
from server.extensions import db
from server.pages.security import CONTENT_SECURITY_POLICY
from server.runtime import current_runtime
from server.storage.models import LiveCommand, Session, Study

SAME_ORIGIN_CONNECT = "connect-src 'self'"


def live_room_policy(host: str, secure: bool) -> str:
    """The pages' policy, with this host's WebSocket origin named in connect-src:
    browsers that predate CSP 3 do not count ws(s) as 'self'."""
    assert SAME_ORIGIN_CONNECT in CONTENT_SECURITY_POLICY, "the base policy changed shape"
    socket_origin = f"{'wss' if secure else 'ws'}://{host}"
    return CONTENT_SECURITY_POLICY.replace(SAME_ORIGIN_CONNECT, f"{SAME_ORIGIN_CONNECT} {socket_origin}")


def study_tasks(db: OrmSession, slug: str | None) -> list[dict]:
    """The tasks of the session's study, shaped as the SDK's task command wants them."""
    if not slug:
        return []
    study = db.execute(select(Study).where(Study.slug == slug)).scalar()
    if study is None:
        return []
    return [{"task_id": t.task_key, "title": t.title, "text": t.instructions} for t in study.tasks]


def sent_commands(db: OrmSession, session_id: str) -> list[dict]:
    rows = db.execute(select(LiveCommand).where(LiveCommand.session_id == session_id)
                      .order_by(LiveCommand.created_at, LiveCommand.id)).scalars()
    return [{"command": row.payload, "sent_at": row.created_at, "delivered_at": row.delivered_at} for row in rows]


def show_live_room(session_id: str):
    session = db.session.get(Session, session_id)
    if session is None:
        abort(404, f"No session {session_id!r}.")
    runtime = current_runtime()
    data = {
        "session": {"id": session.id, "started_at": session.started_at, "ended_at": session.ended_at,
                    "entry_url": session.entry_url, "study": session.study, "participant": session.participant},
        "notes": [annotation_dict(a, session.started_at) for a in session.annotations],
        "tasks": study_tasks(db.session, session.study),
        "sent": sent_commands(db.session, session.id),
        "eventsUrl": url_for("api.sessions.list_events", session_id=session.id),
        "replayUrl": url_for("pages.show_session", session_id=session.id),
        "observer": current_reviewer().name,
    }
    live = session.last_received_at >= runtime.live_since_ms()
    response = make_response(render_template("live/room.html", session=session, data=data, live=live, entry="live.js"))
    response.headers["Content-Security-Policy"] = live_room_policy(request.host, request.is_secure)
    return response


ROUTES = (
    ("/sessions/<session_id>/live", show_live_room),
)
