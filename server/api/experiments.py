"""Experiments: define, list, update, and the variant comparison report."""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from sqlalchemy import select

from server.web.filters import project_id_param
from server.errors import BadRequest, NotFound
from server.extensions import db
from server.reports.experiments import experiment_names, experiment_report
from server.runtime import current_runtime
from server.storage.experiments import ExperimentError, create_experiment, experiment_dict, update_experiment
from server.storage.models import Experiment
from server.storage.projects import default_project

bp = Blueprint("experiments", __name__, url_prefix="/experiments")


def _defined(name: str, project_id: int | None) -> Experiment | None:
    query = select(Experiment).where(Experiment.name == name)
    if project_id is not None:
        query = query.where(Experiment.project_id == project_id)
    return db.session.execute(query.limit(1)).scalar()


def _default_project_id() -> int:
    project = default_project(db.session)
    if project is None:
        raise BadRequest("No project yet: create one first.")
    return project.id


@bp.get("")
def list_experiments():
    project_id = project_id_param(request.args.get("project"))
    rows = []
    for name in experiment_names(db.session, project_id):
        defined = _defined(name, project_id)
        rows.append(experiment_dict(defined) if defined else {"name": name, "defined": False})
    return jsonify({"experiments": rows})


@bp.post("")
def add_experiment():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("Send a JSON object {name, variants: [{name, weight}], goal?, description?, project?}.")
    project_id = project_id_param(str(body.get("project") or "")) or _default_project_id()
    try:
        experiment = create_experiment(db.session, project_id, body, now_ms=current_runtime().now_ms())
    except ExperimentError as error:
        db.session.rollback()
        raise BadRequest(str(error)) from None
    db.session.commit()
    return jsonify(experiment_dict(experiment)), 201


@bp.patch("/<name>")
def change_experiment(name: str):
    experiment = _defined(name, project_id_param(request.args.get("project")))
    if experiment is None:
        raise NotFound(f"No experiment {name!r} is defined.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("Send a JSON object.")
    try:
        update_experiment(experiment, body)
    except ExperimentError as error:
        db.session.rollback()
        raise BadRequest(str(error)) from None
    db.session.commit()
    return jsonify(experiment_dict(experiment))


@bp.get("/<name>/report")
def show_report(name: str):
    report = experiment_report(db.session, name, project_id_param(request.args.get("project")))
    if report is None:
        raise NotFound(f"No experiment {name!r}: none defined and no session carries it.")
    return jsonify(report)
