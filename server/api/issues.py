"""Issues: a project's signals grouped by kind, page and element across sessions
(count, sessions, first and last seen, trend, samples), and a finding made from one."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from server.auth.identity import require_project_access
from server.errors import BadRequest, NotFound
from server.reports.issues import DEFAULT_DAYS, MAX_DAYS, find_issue, project_issues
from server.review.findings import finding_json
from server.review.issue_findings import finding_from_issue
from server.runtime import current_runtime
from server.web.filters import project_id_param, project_or_default
from server.web.params import parse_int
from server.web.public_url import public_base_url

bp = Blueprint("issues", __name__, url_prefix="/issues")


def _days() -> int:
    return parse_int("days", request.args.get("days"), default=DEFAULT_DAYS, low=1, high=MAX_DAYS)


@bp.get("")
def index_issues():
    """``?project=``, ``?days=`` (30; the trend compares the last 7 days with the 7 before),
    ``?kind=`` (repeatable)."""
    project_id = project_or_default(project_id_param(request.args.get("project")))
    require_project_access(project_id, "viewer")
    kinds = [kind for kind in request.args.getlist("kind") if kind]
    issues = project_issues(project_id, now_ms=current_runtime().now_ms(), days=_days(), kinds=kinds)
    return jsonify({"project": project_id, "issues": [issue.to_dict() for issue in issues]})


@bp.post("/findings")
def create_finding_from_issue():
    """Body ``{key, project?, days?, title?, description?, severity?}``: a note at each of
    the issue's sample moments, and a finding with them as evidence."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("key"), str):
        raise BadRequest("Send a JSON object {key: the issue's key, title?, severity?}.")
    project_id = project_or_default(project_id_param(str(body["project"]) if body.get("project") else None))
    reviewer = require_project_access(project_id, "member")
    days = parse_int("days", str(body.get("days", DEFAULT_DAYS)), low=1, high=MAX_DAYS)
    runtime = current_runtime()
    issue = find_issue(project_id, body["key"], now_ms=runtime.now_ms(), days=days)
    if issue is None:
        raise NotFound(f"No issue {body['key']!r} in the last {days} days.")
    finding = finding_from_issue(issue, body, author=reviewer.name, runtime=runtime)
    return jsonify(finding_json(finding, public_base_url())), 201
