"""Studies: create with tasks, add participants (invite links), report."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from server.auth.identity import require_project_access
from server.web.filters import project_id_param, project_or_default
from server.errors import BadRequest
from server.reports.study_export import study_csv, study_markdown
from server.reports.studies import study_report
from server.runtime import current_runtime
from server.storage import studies
from server.web.public_url import public_base_url

bp = Blueprint("studies", __name__, url_prefix="/studies")


def _json_object() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("Send a JSON object.")
    return body


@bp.get("")
def list_studies():
    return jsonify({"studies": [studies.study_dict(row) for row in studies.list_studies()]})


@bp.post("")
def add_study():
    body = _json_object()
    project_id = project_or_default(project_id_param(str(body.get("project") or "")))
    require_project_access(project_id, "member")
    study = studies.create_study(project_id, body, now_ms=current_runtime().now_ms())
    return jsonify(studies.study_dict(study)), 201


@bp.get("/<int:study_id>")
def show_study(study_id: int):
    return jsonify(studies.study_dict(studies.get_study(study_id)))


@bp.delete("/<int:study_id>")
def remove_study(study_id: int):
    require_project_access(studies.get_study(study_id).project_id, "admin")
    studies.delete_study(study_id)
    return jsonify({"ok": True})


@bp.post("/<int:study_id>/tasks")
def add_task(study_id: int):
    # a missing study is a 404, whatever the body
    require_project_access(studies.get_study(study_id).project_id, "member")
    return jsonify(studies.study_dict(studies.add_task(study_id, _json_object()))), 201


@bp.post("/<int:study_id>/participants")
def add_participant_route(study_id: int):
    require_project_access(studies.get_study(study_id).project_id, "member")
    body = request.get_json(silent=True) or {}
    label = body.get("label", "") if isinstance(body, dict) else ""
    participant = studies.add_participant(study_id, label, now_ms=current_runtime().now_ms())
    return jsonify(studies.participant_dict(participant.study, participant)), 201


EXPORT_TYPES = {"md": "text/markdown; charset=utf-8", "csv": "text/csv; charset=utf-8"}


def _exported_report(study_id: int, kind: str) -> Response:
    """The report as a Markdown or CSV file to download."""
    if kind not in EXPORT_TYPES:
        raise BadRequest("format must be json, md or csv.")
    runtime = current_runtime()
    study = studies.get_study(study_id)
    report = study_report(study, public_base_url(), live_since_ms=runtime.live_since_ms())
    text = study_markdown(report, generated_at=runtime.now_ms()) if kind == "md" else study_csv(report)
    response = Response(text, content_type=EXPORT_TYPES[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="{study.slug}-report.{kind}"'
    return response


@bp.get("/<int:study_id>/report")
def show_report(study_id: int):
    """The report as JSON, or ``?format=md|csv`` as a file to download."""
    if request.args.get("format", "json") != "json":
        return _exported_report(study_id, request.args["format"])
    runtime = current_runtime()
    return jsonify(study_report(studies.get_study(study_id), public_base_url(),
                                live_since_ms=runtime.live_since_ms()))
