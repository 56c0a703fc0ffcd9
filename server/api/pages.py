"""GET /api/v1/pages: per-URL visits, sessions, signals per visit and dead-end rate,
over the sessions the usual filters select."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from analysis import summarize_pages
from server.storage.pages import navigations, signal_places
from server.web.filters import session_filters
from server.web.serialize import page_visits

bp = Blueprint("pages_stats", __name__, url_prefix="/pages")


def _sessions_with_pages_and_signals(filters):
    """One dict per session, in the shape ``summarize_pages`` reads."""
    sessions = {sid: {"session_id": sid, "pages": page_visits(pages, ended_at), "signals": []}
                for sid, (ended_at, pages) in navigations(filters).items()}
    for session_id, kind, url in signal_places(filters):
        sessions.setdefault(session_id, {"session_id": session_id, "pages": [], "signals": []})
        sessions[session_id]["signals"].append({"kind": kind, "url": url})
    return sessions.values()


@bp.get("")
def list_pages():
    stats = summarize_pages(_sessions_with_pages_and_signals(session_filters(request.args)))
    return jsonify({"pages": [page.to_dict() for page in stats]})
