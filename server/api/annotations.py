"""Timestamped notes on sessions: list and add per session, edit and delete by id,
and a cross-session list (the notes inbox groups notes into findings from it)."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from server.auth.identity import require_project_access
from server.review.notes import add_note, edit_note
from server.runtime import current_runtime
from server.storage.notes import delete_note, get_note, list_notes
from server.storage.sessions import get_session, start_times
from server.web.params import parse_bool, parse_int
from server.web.serialize import annotation_dict

bp = Blueprint("annotations", __name__)

MAX_LIST = 500


@bp.get("/sessions/<session_id>/annotations")
def list_session_annotations(session_id: str):
    found = get_session(session_id)
    return jsonify({"annotations": [annotation_dict(a, found.started_at) for a in found.annotations]})


@bp.post("/sessions/<session_id>/annotations")
def add_annotation(session_id: str):
    """Body ``{ts, text, tags?, severity?, finding_id?}``; the author is the reviewer."""
    found = get_session(session_id)
    reviewer = require_project_access(found.project_id, "member")
    note = add_note(found, request.get_json(silent=True), author=reviewer.name, runtime=current_runtime())
    return jsonify(annotation_dict(note, found.started_at)), 201


@bp.get("/annotations")
def list_all_annotations():
    """Notes across sessions, newest first: ``?unassigned=1``, ``?finding=<id>``,
    ``?q=<text>``, ``?limit``, ``?before=<id>`` to page."""
    rows = list_notes(
        unassigned=bool(parse_bool("unassigned", request.args.get("unassigned"))),
        finding_id=parse_int("finding", request.args.get("finding"), low=1),
        text=request.args.get("q") or None,
        limit=parse_int("limit", request.args.get("limit"), default=100, low=1, high=MAX_LIST),
        before_id=parse_int("before", request.args.get("before"), low=1),
    )
    starts = start_times(row.session_id for row in rows)
    return jsonify({"annotations": [annotation_dict(row, starts.get(row.session_id)) for row in rows]})


@bp.get("/annotations/<int:annotation_id>")
def show_annotation(annotation_id: int):
    note = get_note(annotation_id)
    return jsonify(annotation_dict(note, get_session(note.session_id).started_at))


@bp.patch("/annotations/<int:annotation_id>")
def edit_annotation(annotation_id: int):
    """Change any of ``ts, text, tags, severity, finding_id``; validated before anything changes."""
    require_project_access(get_session(get_note(annotation_id).session_id).project_id, "member")
    note = edit_note(annotation_id, request.get_json(silent=True), runtime=current_runtime())
    return jsonify(annotation_dict(note, get_session(note.session_id).started_at))


@bp.delete("/annotations/<int:annotation_id>")
def delete_annotation(annotation_id: int):
    require_project_access(get_session(get_note(annotation_id).session_id).project_id, "member")
    delete_note(annotation_id)
    return jsonify({"ok": True, "deleted": annotation_id})
