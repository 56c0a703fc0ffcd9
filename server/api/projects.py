"""Projects: list, and per-project settings (detector thresholds, goal URLs)."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from analysis import DetectorConfig
from server.errors import BadRequest
from server.jobs.analyze import detector_config
from server.storage import projects

bp = Blueprint("projects", __name__, url_prefix="/projects")


def _with_detectors(project) -> dict:
    return {**projects.project_dict(project), "detectors": detector_config(project).to_dict()}


@bp.get("")
def list_projects():
    return jsonify({"projects": [_with_detectors(row) for row in projects.list_projects()]})


@bp.get("/<int:project_id>")
def show_project(project_id: int):
    return jsonify(_with_detectors(projects.get_project(project_id)))


@bp.get("/detector-settings")
def describe_detector_settings():
    """Every threshold with its default, unit and reason."""
    return jsonify({"settings": DetectorConfig.describe()})


@bp.patch("/<int:project_id>")
def update_project(project_id: int):
    """Change ``detectors`` overrides and/or ``goal_urls``; sessions are re-analysed
    in the background because their stored version no longer matches."""
    projects.get_project(project_id)  # a missing project is a 404, whatever the body
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not set(body) <= {"detectors", "goal_urls"}:
        raise BadRequest("Send a JSON object with 'detectors' and/or 'goal_urls'.")
    if "goal_urls" in body:
        goals = body["goal_urls"]
        if not isinstance(goals, list) or not all(isinstance(g, str) and g.strip() for g in goals):
            raise BadRequest("goal_urls must be a list of URL patterns.")
    if "detectors" in body and not isinstance(body["detectors"], dict):
        raise BadRequest("detectors must be an object of setting: value.")
    project = projects.change_project_settings(project_id, body, check=detector_config)
    return jsonify(_with_detectors(project))
