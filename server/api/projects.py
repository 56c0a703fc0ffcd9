"""Projects: list, and per-project settings (detector thresholds, goal URLs)."""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from analysis import DetectorConfig
from server.errors import BadRequest, NotFound
from server.extensions import db
from server.jobs.analyze import detector_config
from server.storage.models import Project
from server.storage.projects import project_dict

bp = Blueprint("projects", __name__, url_prefix="/projects")


def get_project_or_404(project_id: int) -> Project:
    """:raise NotFound: when no project has this id."""
    project = db.session.get(Project, project_id)
    if project is None:
        raise NotFound(f"No project {project_id}.")
    return project


def _with_detectors(project: Project) -> dict:
    return {**project_dict(project), "detectors": detector_config(project).to_dict()}


@bp.get("")
def list_projects():
    rows = db.session.execute(select(Project).order_by(Project.id)).scalars().all()
    return jsonify({"projects": [_with_detectors(row) for row in rows]})


@bp.get("/<int:project_id>")
def show_project(project_id: int):
    return jsonify(_with_detectors(get_project_or_404(project_id)))


@bp.get("/detector-settings")
def describe_detector_settings():
    """Every threshold with its default, unit and reason."""
    return jsonify({"settings": DetectorConfig.describe()})


@bp.patch("/<int:project_id>")
def update_project(project_id: int):
    """Change ``detectors`` overrides and/or ``goal_urls``; sessions are re-analysed
    in the background because their stored version no longer matches."""
    project = get_project_or_404(project_id)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not set(body) <= {"detectors", "goal_urls"}:
        raise BadRequest("Send a JSON object with 'detectors' and/or 'goal_urls'.")
    settings = dict(project.settings or {})
    if "goal_urls" in body:
        goals = body["goal_urls"]
        if not isinstance(goals, list) or not all(isinstance(g, str) and g.strip() for g in goals):
            raise BadRequest("goal_urls must be a list of URL patterns.")
        settings["goal_urls"] = goals
    if "detectors" in body:
        if not isinstance(body["detectors"], dict):
            raise BadRequest("detectors must be an object of setting: value.")
        settings["detectors"] = body["detectors"]
    project.settings = settings
    try:
        detector_config(project)
    except (ValueError, TypeError) as error:
        db.session.rollback()
        raise BadRequest(str(error)) from None
    db.session.commit()
    return jsonify(_with_detectors(project))
