"""Experiments: define, list, update, and the variant comparison report."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from server.auth.identity import require_project_access
from server.web.filters import project_id_param, project_or_default
from server.errors import BadRequest, NotFound
from server.reports.experiments import experiment_report
from server.runtime import current_runtime
from server.storage import experiments

bp = Blueprint("experiments", __name__, url_prefix="/experiments")


@bp.get("")
def list_experiments():
    project_id = project_id_param(request.args.get("project"))
    defined: dict = {}
    for row in experiments.list_experiments(project_id):
        defined.setdefault(row.name, row)
    rows = [experiments.experiment_dict(defined[name]) if name in defined else {"name": name, "defined": False}
            for name in experiments.experiment_names(project_id)]
    return jsonify({"experiments": rows})


@bp.post("")
def add_experiment():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("Send a JSON object {name, variants: [{name, weight}], goal?, description?, project?}.")
    project_id = project_or_default(project_id_param(str(body.get("project") or "")))
    require_project_access(project_id, "member")
    experiment = experiments.create_experiment(project_id, body, now_ms=current_runtime().now_ms())
    return jsonify(experiments.experiment_dict(experiment)), 201


@bp.patch("/<name>")
def change_experiment(name: str):
    # a missing experiment is a 404, whatever the body
    project_id = experiments.get_experiment(name, project_id_param(request.args.get("project"))).project_id
    require_project_access(project_id, "member")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("Send a JSON object.")
    return jsonify(experiments.experiment_dict(experiments.update_experiment(name, project_id, body)))


@bp.get("/<name>/report")
def show_report(name: str):
    report = experiment_report(name, project_id_param(request.args.get("project")))
    if report is None:
        raise NotFound(f"No experiment {name!r}: none defined and no session carries it.")
    return jsonify(report)
