"""Share links of sessions: make one (a member of the project), list a project's live
ones, revoke one. What a link opens is served by ``server/share``."""
from __future__ import annotations

from typing import Optional

from flask import Blueprint, jsonify, request, url_for

from server.auth.identity import require_project_access
from server.errors import BadRequest
from server.runtime import current_runtime
from server.storage import shares
from server.storage.sessions import get_session
from server.web.public_url import public_base_url

bp = Blueprint("shares", __name__)

DEFAULT_EXPIRES_IN_S = 30 * 24 * 3600
MAX_EXPIRES_IN_S = 365 * 24 * 3600


def share_json(link) -> dict:
    public_url = public_base_url()
    return {"token": link.token, "url": public_url + url_for("share.show_share", token=link.token),
            "session_id": link.session_id, "from_ms": link.from_ms, "to_ms": link.to_ms,
            "created_by": link.created_by, "created_at": link.created_at, "expires_at": link.expires_at}


def _moment(body: dict, name: str, duration_ms: int) -> Optional[int]:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= duration_ms:
        raise BadRequest(f"{name} must be milliseconds into the session, from 0 to {duration_ms}.")
    return value


def _expires_in(body: dict) -> int:
    value = body.get("expires_in", DEFAULT_EXPIRES_IN_S)
    if not isinstance(value, int) or isinstance(value, bool) or not 60 <= value <= MAX_EXPIRES_IN_S:
        raise BadRequest(f"expires_in must be seconds, from 60 to {MAX_EXPIRES_IN_S} (a year).")
    return value


@bp.post("/sessions/<session_id>/shares")
def create_share(session_id: str):
    """Body ``{from_ms?, to_ms?, expires_in?}`` (seconds; default 30 days) → 201
    ``{token, url, expires_at, ...}``: ``url`` opens a read-only player of the session
    (or that range) without signing in."""
    session = get_session(session_id)
    reviewer = require_project_access(session.project_id, "member")
    body = request.get_json(silent=True) if request.get_data() else {}
    if not isinstance(body, dict):
        raise BadRequest("Send a JSON object {from_ms?, to_ms?, expires_in?}.")
    from_ms, to_ms = _moment(body, "from_ms", session.duration_ms), _moment(body, "to_ms", session.duration_ms)
    if from_ms is not None and to_ms is not None and to_ms <= from_ms:
        raise BadRequest("to_ms must be after from_ms.")
    now_ms = current_runtime().now_ms()
    link = shares.create_share(session_id, from_ms=from_ms, to_ms=to_ms, expires_at=now_ms + _expires_in(body) * 1000,
                               created_by=reviewer.name, now_ms=now_ms)
    return jsonify(share_json(link)), 201


@bp.get("/projects/<int:project_id>/shares")
def list_shares(project_id: int):
    """The project's links that still open, newest first."""
    require_project_access(project_id, "viewer")
    return jsonify({"shares": [share_json(link) for link in shares.live_shares(project_id,
                                                                               now_ms=current_runtime().now_ms())]})


@bp.delete("/shares/<token>")
def revoke_share(token: str):
    """The link stops opening at once (410)."""
    require_project_access(get_session(shares.share_by_token(token).session_id).project_id, "member")
    shares.revoke_share(token, now_ms=current_runtime().now_ms())
    return "", 204
