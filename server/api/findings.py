"""Findings: usability problems backed by notes across sessions. CRUD, and an
export as Markdown or CSV with deep links to each evidence moment."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from server.auth.identity import require_project_access
from server.errors import BadRequest
from server.review import findings as review
from server.review.export import findings_csv, findings_markdown
from server.runtime import current_runtime
from server.storage import findings as stored
from server.web.filters import project_id_param, project_or_default
from server.web.public_url import public_base_url

bp = Blueprint("findings", __name__, url_prefix="/findings")

EXPORT_TYPES = {
    "md": ("text/markdown; charset=utf-8", "replaydesk-findings.md"),
    "csv": ("text/csv; charset=utf-8", "replaydesk-findings.csv"),
}


def _public_url() -> str:
    return public_base_url()


def _listed() -> list:
    return review.list_findings(status=request.args.get("status") or None, text=request.args.get("q") or None,
                                tag=request.args.get("tag") or None)


@bp.get("")
def index_findings():
    """``?status=``, ``?q=`` (title/description), ``?tag=``."""
    return jsonify({"findings": [review.finding_json(f, _public_url()) for f in _listed()]})


@bp.post("")
def create_finding():
    """Body ``{title, description?, severity?, status?, tags?, variant?, evidence?: [annotation ids],
    project?}``: it belongs to its evidence's project, else to ``project`` (default: the oldest)."""
    body = request.get_json(silent=True)
    has_evidence, project_id = review.evidence_project(body)
    if not has_evidence:
        project_id = project_or_default(project_id_param(str(body.get("project") or "")))
    reviewer = require_project_access(project_id, "member")
    finding = review.create_finding(body, author=reviewer.name, now_ms=current_runtime().now_ms(),
                                    project_id=project_id)
    return jsonify(review.finding_json(finding, _public_url())), 201


@bp.get("/<int:finding_id>")
def show_finding(finding_id: int):
    return jsonify(review.finding_json(stored.get_finding(finding_id), _public_url()))


@bp.patch("/<int:finding_id>")
def edit_finding(finding_id: int):
    """Change any field; ``evidence`` replaces the set of notes. Validated before anything changes."""
    require_project_access(stored.get_finding(finding_id).project_id, "member")
    has_evidence, project_id = review.evidence_project(request.get_json(silent=True))
    if has_evidence:  # the finding moves to its new evidence's project
        require_project_access(project_id, "member")
    finding = review.edit_finding(finding_id, request.get_json(silent=True), now_ms=current_runtime().now_ms())
    return jsonify(review.finding_json(finding, _public_url()))


@bp.delete("/<int:finding_id>")
def delete_finding(finding_id: int):
    """The finding goes; its notes stay, unassigned."""
    require_project_access(stored.get_finding(finding_id).project_id, "member")
    stored.delete_finding(finding_id)
    return jsonify({"ok": True, "deleted": finding_id})


@bp.get("/export")
def export_findings():
    """``?format=md|csv`` (default md), with the same filters as the list."""
    kind = request.args.get("format", "md")
    if kind not in EXPORT_TYPES:
        raise BadRequest("format must be md or csv.")
    findings = [review.finding_json(f, _public_url()) for f in _listed()]
    if kind == "md":
        text = findings_markdown(findings, generated_at=current_runtime().now_ms())
    else:
        text = findings_csv(findings)
    mimetype, filename = EXPORT_TYPES[kind]
    response = Response(text, content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
