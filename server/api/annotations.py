"""Timestamped notes on sessions: list and add per session, edit and delete by id,
and a cross-session list (the notes inbox groups notes into findings from it)."""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from server.web.params import parse_bool, parse_int
from server.web.serialize import annotation_dict
from server.api.sessions import get_session_or_404
from server.auth.identity import require_reviewer
from server.extensions import db
from server.review import fields
from server.review.store import add_note, check_finding_exists, get_annotation, latest_moment, list_annotations
from server.runtime import current_runtime
from server.storage.models import Session

bp = Blueprint("annotations", __name__)

MAX_LIST = 500


def _body() -> dict:
    return fields.require_object(request.get_json(silent=True))


@bp.get("/sessions/<session_id>/annotations")
def list_session_annotations(session_id: str):
    found = get_session_or_404(session_id)
    return jsonify({"annotations": [annotation_dict(a, found.started_at) for a in found.annotations]})


@bp.post("/sessions/<session_id>/annotations")
def add_annotation(session_id: str):
    """Body ``{ts, text, tags?, severity?, finding_id?}``; the author is the reviewer."""
    reviewer = require_reviewer()
    found = get_session_or_404(session_id)
    note = add_note(db.session, found, _body(), author=reviewer.name, now_ms=current_runtime().now_ms(),
                    latest_ms=latest_moment(found, current_runtime()))
    with current_runtime().write_lock:
        db.session.commit()
    return jsonify(annotation_dict(note, found.started_at)), 201


@bp.get("/annotations")
def list_all_annotations():
    """Notes across sessions, newest first: ``?unassigned=1``, ``?finding=<id>``,
    ``?q=<text>``, ``?limit``, ``?before=<id>`` to page."""
    rows = list_annotations(
        db.session,
        unassigned=bool(parse_bool("unassigned", request.args.get("unassigned"))),
        finding_id=parse_int("finding", request.args.get("finding"), low=1),
        text=request.args.get("q") or None,
        limit=parse_int("limit", request.args.get("limit"), default=100, low=1, high=MAX_LIST),
        before_id=parse_int("before", request.args.get("before"), low=1),
    )
    starts = dict(db.session.execute(
        select(Session.id, Session.started_at).where(Session.id.in_({row.session_id for row in rows}))
    ).all())
    return jsonify({"annotations": [annotation_dict(row, starts.get(row.session_id)) for row in rows]})


@bp.get("/annotations/<int:annotation_id>")
def show_annotation(annotation_id: int):
    note = get_annotation(db.session, annotation_id)
    return jsonify(annotation_dict(note, db.session.get(Session, note.session_id).started_at))


@bp.patch("/annotations/<int:annotation_id>")
def edit_annotation(annotation_id: int):
    """Change any of ``ts, text, tags, severity, finding_id``; validated before anything changes."""
    require_reviewer()
    note = get_annotation(db.session, annotation_id)
    session = db.session.get(Session, note.session_id)
    body = _body()
    changes: dict = {}
    if "ts" in body:
        changes["ts"] = fields.resolve_ts(body["ts"], started_at=session.started_at, latest_ms=latest_moment(session, current_runtime()))
    if "text" in body:
        changes["text"] = fields.parse_text("text", body["text"], limit=fields.MAX_TEXT, required=True)
    if "tags" in body:
        changes["tags"] = fields.parse_tags(body["tags"])
    if "severity" in body:
        changes["severity"] = fields.parse_severity(body["severity"])
    if "finding_id" in body:
        changes["finding_id"] = fields.parse_optional_id("finding_id", body["finding_id"])
        check_finding_exists(db.session, changes["finding_id"])
    for name, value in changes.items():
        setattr(note, name, value)
    note.updated_at = current_runtime().now_ms()
    with current_runtime().write_lock:
        db.session.commit()
    return jsonify(annotation_dict(note, session.started_at))


@bp.delete("/annotations/<int:annotation_id>")
def delete_annotation(annotation_id: int):
    require_reviewer()
    note = get_annotation(db.session, annotation_id)
    with current_runtime().write_lock:
        db.session.delete(note)
        db.session.commit()
    return jsonify({"ok": True, "deleted": annotation_id})
