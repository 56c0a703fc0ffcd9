"""Studies: create with tasks, add participants (invite links), report."""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from server.web.filters import project_id_param
from server.errors import BadRequest, NotFound
from server.extensions import db
from server.reports.studies import study_report
from server.runtime import current_runtime
from server.storage.models import Study
from server.storage.projects import default_project
from server.storage.studies import StudyError, add_participant, build_task, create_study, study_dict

bp = Blueprint("studies", __name__, url_prefix="/studies")


def get_study_or_404(study_id: int) -> Study:
    """:raise NotFound: when no study has this id."""
    study = db.session.get(Study, study_id)
    if study is None:
        raise NotFound(f"No study {study_id}.")
    return study


def _json_object() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("Send a JSON object.")
    return body


@bp.get("")
def list_studies():
    rows = db.session.execute(select(Study).order_by(Study.id.desc())).scalars().all()
    return jsonify({"studies": [study_dict(row) for row in rows]})


@bp.post("")
def add_study():
    body = _json_object()
    project_id = project_id_param(str(body.get("project") or "")) or getattr(default_project(db.session), "id", None)
    if project_id is None:
        raise BadRequest("No project yet: create one first.")
    try:
        study = create_study(db.session, project_id, body, now_ms=current_runtime().now_ms())
    except StudyError as error:
        db.session.rollback()
        raise BadRequest(str(error)) from None
    db.session.commit()
    return jsonify(study_dict(study)), 201


@bp.get("/<int:study_id>")
def show_study(study_id: int):
    return jsonify(study_dict(get_study_or_404(study_id)))


@bp.delete("/<int:study_id>")
def remove_study(study_id: int):
    db.session.delete(get_study_or_404(study_id))
    db.session.commit()
    return jsonify({"ok": True})


@bp.post("/<int:study_id>/tasks")
def add_task(study_id: int):
    study = get_study_or_404(study_id)
    try:
        task = build_task(_json_object(), len(study.tasks), taken={t.task_key for t in study.tasks})
    except StudyError as error:
        raise BadRequest(str(error)) from None
    study.tasks.append(task)
    db.session.commit()
    return jsonify(study_dict(study)), 201


@bp.post("/<int:study_id>/participants")
def add_participant_route(study_id: int):
    study = get_study_or_404(study_id)
    body = request.get_json(silent=True) or {}
    try:
        add_participant(db.session, study, body.get("label", "") if isinstance(body, dict) else "",
                        now_ms=current_runtime().now_ms())
    except StudyError as error:
        db.session.rollback()
        raise BadRequest(str(error)) from None
    db.session.commit()
    db.session.refresh(study)
    return jsonify(study_dict(study)["participants"][-1]), 201


@bp.get("/<int:study_id>/report")
def show_report(study_id: int):
    return jsonify(study_report(db.session, get_study_or_404(study_id), current_runtime().settings.public_url))
