"""Findings: usability problems backed by notes across sessions. CRUD, and an
export as Markdown or CSV with deep links to each evidence moment."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from server.auth.identity import require_reviewer
from server.errors import BadRequest
from server.extensions import db
from server.review import fields
from server.review.export import findings_csv, findings_markdown
from server.review.store import finding_json, get_finding, list_findings, load_annotations, project_of, set_evidence
from server.runtime import current_runtime
from server.storage.models import Finding

bp = Blueprint("findings", __name__, url_prefix="/findings")

EXPORT_TYPES = {
    "md": ("text/markdown; charset=utf-8", "replaydesk-findings.md"),
    "csv": ("text/csv; charset=utf-8", "replaydesk-findings.csv"),
}


def _public_url() -> str:
    return current_runtime().settings.public_url


def _body() -> dict:
    return fields.require_object(request.get_json(silent=True))


def _listed() -> list[Finding]:
    status = request.args.get("status") or None
    if status is not None:
        fields.parse_status(status)
    return list_findings(db.session, status=status, text=request.args.get("q") or None,
                         tag=request.args.get("tag") or None)


@bp.get("")
def index_findings():
    """``?status=``, ``?q=`` (title/description), ``?tag=``."""
    return jsonify({"findings": [finding_json(db.session, f, _public_url()) for f in _listed()]})


@bp.post("")
def create_finding():
    """Body ``{title, description?, severity?, status?, tags?, variant?, evidence?: [annotation ids]}``."""
    reviewer = require_reviewer()
    body = _body()
    values = {
        "title": fields.parse_text("title", body.get("title"), limit=fields.MAX_TITLE, required=True),
        "description": fields.parse_text("description", body.get("description"), limit=fields.MAX_DESCRIPTION,
                                         required=False),
        "severity": fields.parse_severity(body.get("severity")),
        "status": fields.parse_status(body.get("status")),
        "tags": fields.parse_tags(body.get("tags")),
        "variant": fields.parse_variant(body.get("variant")),
    }
    evidence = load_annotations(db.session, fields.parse_evidence(body.get("evidence")))
    now = current_runtime().now_ms()
    finding = Finding(**values, author=reviewer.name, project_id=project_of(db.session, evidence),
                      created_at=now, updated_at=now)
    with current_runtime().write_lock:
        db.session.add(finding)
        db.session.flush()
        set_evidence(db.session, finding, evidence)
        db.session.commit()
    return jsonify(finding_json(db.session, finding, _public_url())), 201


@bp.get("/<int:finding_id>")
def show_finding(finding_id: int):
    return jsonify(finding_json(db.session, get_finding(db.session, finding_id), _public_url()))


@bp.patch("/<int:finding_id>")
def edit_finding(finding_id: int):
    """Change any field; ``evidence`` replaces the set of notes. Validated before anything changes."""
    require_reviewer()
    finding = get_finding(db.session, finding_id)
    body = _body()
    parsers = {
        "title": lambda v: fields.parse_text("title", v, limit=fields.MAX_TITLE, required=True),
        "description": lambda v: fields.parse_text("description", v, limit=fields.MAX_DESCRIPTION, required=False),
        "severity": fields.parse_severity,
        "status": fields.parse_status,
        "tags": fields.parse_tags,
        "variant": fields.parse_variant,
    }
    for name in ("severity", "status"):
        if name in body and body[name] is None:
            raise BadRequest(f"{name} may not be null.")
    changes = {name: parse(body[name]) for name, parse in parsers.items() if name in body}
    evidence = load_annotations(db.session, fields.parse_evidence(body["evidence"])) if "evidence" in body else None
    with current_runtime().write_lock:
        for name, value in changes.items():
            setattr(finding, name, value)
        if evidence is not None:
            set_evidence(db.session, finding, evidence)
            finding.project_id = project_of(db.session, evidence)
        finding.updated_at = current_runtime().now_ms()
        db.session.commit()
    return jsonify(finding_json(db.session, finding, _public_url()))


@bp.delete("/<int:finding_id>")
def delete_finding(finding_id: int):
    """The finding goes; its notes stay, unassigned."""
    require_reviewer()
    finding = get_finding(db.session, finding_id)
    with current_runtime().write_lock:
        set_evidence(db.session, finding, [])
        db.session.delete(finding)
        db.session.commit()
    return jsonify({"ok": True, "deleted": finding_id})


@bp.get("/export")
def export_findings():
    """``?format=md|csv`` (default md), with the same filters as the list."""
    kind = request.args.get("format", "md")
    if kind not in EXPORT_TYPES:
        raise BadRequest("format must be md or csv.")
    findings = [finding_json(db.session, f, _public_url()) for f in _listed()]
    if kind == "md":
        text = findings_markdown(findings, generated_at=current_runtime().now_ms())
    else:
        text = findings_csv(findings)
    mimetype, filename = EXPORT_TYPES[kind]
    response = Response(text, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
