"""The live room page: observers watch a running session, share notes, talk in a
private chat, see signals as they are flagged, and the moderator sends the participant
study tasks. The page is a shell; review_ui's ``live.js`` joins the /live Socket.IO
room and does the rest.
"""
from __future__ import annotations

from flask import make_response, render_template, request, url_for

from server.pages import listing
from server.assets.cache import asset_map
from server.web.serialize import annotation_dict
from server.auth.identity import current_reviewer
from server.web.security import CONTENT_SECURITY_POLICY
from server.runtime import current_runtime
from server.storage.live import sent_commands
from server.storage.sessions import get_session
from server.storage.studies import sdk_tasks, study_by_slug

SAME_ORIGIN_CONNECT = "connect-src 'self'"


def live_room_policy(host: str, secure: bool) -> str:
    """The pages' policy, with this host's WebSocket origin named in connect-src:
    browsers that predate CSP 3 do not count ws(s) as 'self'."""
    assert SAME_ORIGIN_CONNECT in CONTENT_SECURITY_POLICY, "the base policy changed shape"
    socket_origin = f"{'wss' if secure else 'ws'}://{host}"
    return CONTENT_SECURITY_POLICY.replace(SAME_ORIGIN_CONNECT, f"{SAME_ORIGIN_CONNECT} {socket_origin}")


def study_tasks(slug: str | None) -> list[dict]:
    """The tasks of the session's study, shaped as the SDK's task command wants them."""
    return sdk_tasks(study_by_slug(slug)) if slug else []


def think_aloud(slug: str | None) -> bool:
    """Whether the session's study records the participant's voice (observers hear it)."""
    study = study_by_slug(slug) if slug else None
    return bool(study and study.think_aloud)


def sent(session_id: str) -> list[dict]:
    """What the moderator sent the participant so far, and when the SDK took it."""
    return [{"command": row.payload, "sent_at": row.created_at, "delivered_at": row.delivered_at}
            for row in sent_commands(session_id)]


def show_live_room(session_id: str):
    session = get_session(session_id)
    runtime = current_runtime()
    data = {
        "session": {"id": session.id, "started_at": session.started_at, "ended_at": session.ended_at,
                    "entry_url": session.entry_url, "study": session.study, "participant": session.participant},
        "notes": [annotation_dict(a, session.started_at) for a in session.annotations],
        "tasks": study_tasks(session.study),
        "thinkAloud": think_aloud(session.study),
        "signals": [signal.to_dict() for signal in session.signals],  # stored so far; the room adds new ones
        "sent": sent(session.id),
        "eventsUrl": url_for("api.sessions.list_events", session_id=session.id),
        "assets": asset_map(session.id),
        "assetsUrl": url_for("api.assets.session_assets", session_id=session.id),
        "replayUrl": url_for("pages.show_session", session_id=session.id),
        "observer": current_reviewer().name,
        "canWrite": current_reviewer().may(session.project_id, "member"),
        # The badge says Live only while batches arrive within the live window (live/presence.js).
        "liveWindowMs": int(runtime.settings.live_window_seconds * 1000),
        "sinceLastBatchMs": max(0, runtime.now_ms() - session.last_received_at),
    }
    live = session.last_received_at >= runtime.live_since_ms()
    response = make_response(render_template("live/room.html", session=session, data=data, live=live,
                                             live_window=listing.format_duration(data["liveWindowMs"]), entry="live.js"))
    response.headers["Content-Security-Policy"] = live_room_policy(request.host, request.is_secure)
    return response


ROUTES = (
    ("/sessions/<session_id>/live", show_live_room),
)
