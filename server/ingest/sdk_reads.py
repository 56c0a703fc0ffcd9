"""Public, key-authenticated reads for the SDK: variant decisions and study tasks.
CORS is open like ingest; nothing here reads or sets cookies."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from server.errors import BadRequest, NotFound
from server.ingest.routes import CORS_HEADERS, authenticate_key
from server.storage.experiments import assign_variant, running_experiments
from server.storage.studies import sdk_tasks, sdk_think_aloud, study_by_slug

bp = Blueprint("sdk_reads", __name__)
MAX_DISTINCT_ID = 200


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    response.headers.update({**CORS_HEADERS, "Access-Control-Allow-Methods": "GET, OPTIONS"})
    return response


@bp.get("/decide")
def decide_variants():
    """``{experiment: variant}`` for every running experiment of the key's project."""
    project_id = authenticate_key()
    distinct_id = request.args.get("distinct_id", "")
    if not distinct_id or len(distinct_id) > MAX_DISTINCT_ID:
        raise BadRequest(f"distinct_id must be 1-{MAX_DISTINCT_ID} characters.")
    return jsonify({e.name: assign_variant(e.name, e.variants, distinct_id) for e in running_experiments(project_id)})


@bp.get("/studies/<slug>/tasks")
def list_study_tasks(slug: str):
    """The tasks a participant's widget walks through, in order, and what it asks before
    them for a think-aloud recording (``think_aloud``: ``{consent, camera}`` or null)."""
    project_id = authenticate_key()
    study = study_by_slug(slug, project_id)
    if study is None:
        raise NotFound(f"No study {slug!r} in this project.")
    return jsonify({"study": study.slug, "name": study.name, "tasks": sdk_tasks(study),
                    "think_aloud": sdk_think_aloud(study)})
