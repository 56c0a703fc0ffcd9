"""GET /api/v1/pages: per-URL visits, sessions, signals per visit and dead-end rate,
over the sessions the usual filters select."""
from __future__ import annotations

from itertools import groupby

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from analysis import summarize_pages
from server.web.filters import session_filters
from server.web.serialize import page_visits
from server.extensions import db
from server.storage import queries
from server.storage.models import Session, SessionPage, Signal

bp = Blueprint("pages_stats", __name__, url_prefix="/pages")


def _sessions_with_pages_and_signals(ids_query):
    """One dict per session, in the shape ``summarize_pages`` reads."""
    pages = db.session.execute(
        select(SessionPage).where(SessionPage.session_id.in_(ids_query)).order_by(SessionPage.session_id, SessionPage.ts)
    ).scalars()
    ends = dict(db.session.execute(select(Session.id, Session.ended_at).where(Session.id.in_(ids_query))).all())
    sessions = {sid: {"session_id": sid, "pages": page_visits(list(rows), ends[sid]), "signals": []}
                for sid, rows in groupby(pages, key=lambda page: page.session_id)}
    for session_id, kind, url in db.session.execute(
        select(Signal.session_id, Signal.kind, Signal.url).where(Signal.session_id.in_(ids_query))
    ):
        sessions.setdefault(session_id, {"session_id": session_id, "pages": [], "signals": []})
        sessions[session_id]["signals"].append({"kind": kind, "url": url})
    return sessions.values()


@bp.get("")
def list_pages():
    ids_query = queries.session_ids(session_filters(request.args))
    stats = summarize_pages(_sessions_with_pages_and_signals(ids_query))
    return jsonify({"pages": [page.to_dict() for page in stats]})
