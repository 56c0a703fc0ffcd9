"""``/share/<token>``: the read-only player, and the two things it reads. A token opens
its session's replay (its events up to the end of its range, and the stylesheets,
fonts and images cached for that session) and nothing else: not the review API, not notes, not
signals, not other sessions. A revoked or expired link answers 410, an unknown one 404.

``?clip=1`` opens the same replay as the clip renderer needs it (``server/clips``): the
stage filling the window and a caption band, stepped frame by frame by its script.
"""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from server.assets.cache import asset_map
from server.errors import NotFound
from server.runtime import current_runtime
from server.storage import shares
from server.storage.assets import session_files
from server.storage.scope import confine_reads
from server.storage.sessions import get_session
from server.web.asset_bytes import asset_response
from server.web.event_pages import events_page

bp = Blueprint("share", __name__, url_prefix="/share")

FIRST_EVENTS = 200


def _open(token: str):
    """The live link; from here on this request reads only its session's project."""
    link = shares.open_share(token, now_ms=current_runtime().now_ms())
    confine_reads([get_session(link.session_id).project_id])
    return link


def _assets(token: str, session_id: str) -> dict[str, str]:
    """The session's cached assets, at this link's paths."""
    return {url: url_for("share.show_asset", token=token, asset_hash=path.rsplit("/", 1)[1])
            for url, path in asset_map(session_id).items()}


@bp.get("/<token>")
def show_share(token: str):
    link = _open(token)
    session = get_session(link.session_id)
    end_ms = session.duration_ms if link.to_ms is None else link.to_ms
    data = {
        "session": {"started_at": session.started_at, "duration_ms": end_ms},
        "from_ms": link.from_ms or 0, "to_ms": end_ms,
        "assets": _assets(token, session.id),
        "eventsUrl": url_for("share.list_events", token=token),
        "firstLimit": FIRST_EVENTS,
    }
    if request.args.get("clip") == "1":
        return render_template("sessions/clip.html", data=data)
    return render_template("sessions/shared.html", data=data, started_at=session.started_at, link=link,
                           end_ms=end_ms, entry="shared.js")


@bp.get("/<token>/events")
def list_events(token: str):
    link = _open(token)
    session = get_session(link.session_id)
    until = None if link.to_ms is None else session.started_at + link.to_ms
    return events_page(session.id, until_ts=until)


@bp.get("/<token>/assets/<asset_hash>")
def show_asset(token: str, asset_hash: str):
    link = _open(token)
    if asset_hash not in session_files(link.session_id):
        raise NotFound("No such asset.")
    return asset_response(asset_hash)
