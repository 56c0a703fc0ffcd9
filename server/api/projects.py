"""Projects: list, per-project settings (detector thresholds, goal URLs), and their
people (admins of the project manage them)."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from analysis import DetectorConfig
from server.auth.identity import require_project_access
from server.errors import BadRequest, NotFound
from server.jobs.analyze import detector_config
from server.runtime import current_runtime
from server.storage import projects
from server.storage.accounts import create_login_link, create_user, user_by_email
from server.storage.memberships import PROJECT_ROLES, member_dict, project_members, remove_member, set_role
from server.storage.sessions import latest_received
from server.web.public_url import public_base_url

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
    require_project_access(project_id, "admin")
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


@bp.get("/<int:project_id>/members")
def list_members(project_id: int):
    projects.get_project(project_id)
    require_project_access(project_id, "admin")
    return jsonify({"members": [member_dict(user, role) for user, role in project_members(project_id)]})


@bp.put("/<int:project_id>/members")
def put_member(project_id: int):
    """Body ``{email, role: viewer|member|admin}``: add the reviewer, or change their role."""
    projects.get_project(project_id)
    require_project_access(project_id, "admin")
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("email"), str):
        raise BadRequest("Send a JSON object {email, role}.")
    user = user_by_email(body["email"])
    if user is None:
        raise NotFound(f"No reviewer {body['email']!r}; create one with replaydesk user create EMAIL.")
    set_role(user.id, project_id, str(body.get("role", "")), now_ms=current_runtime().now_ms())
    return jsonify({"members": [member_dict(u, role) for u, role in project_members(project_id)]})


@bp.delete("/<int:project_id>/members/<int:user_id>")
def delete_member(project_id: int, user_id: int):
    projects.get_project(project_id)
    require_project_access(project_id, "admin")
    if not remove_member(user_id, project_id):
        raise NotFound(f"User {user_id} is not in project {project_id}.")
    return jsonify({"ok": True})


@bp.get("/<int:project_id>/received")
def show_received(project_id: int):
    """The latest batch the project received: ``{last_received_at, session_id, entry_url,
    now}`` (nulls before the first). The install page polls it to see the snippet work."""
    projects.get_project(project_id)
    latest = latest_received(project_id)
    return jsonify({"last_received_at": latest.last_received_at if latest else None,
                    "session_id": latest.id if latest else None, "entry_url": latest.entry_url if latest else None,
                    "now": current_runtime().now_ms()})


@bp.post("/<int:project_id>/invites")
def invite_member(project_id: int):
    """Body ``{email, role: viewer|member|admin}``: a new reviewer gets an account, the
    role and a one-time sign-in link (``link``, shown once). Someone who already has an
    account gets the role only: a link would sign the inviter in as them."""
    projects.get_project(project_id)
    require_project_access(project_id, "admin")
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("email"), str) or not isinstance(body.get("role", ""), str):
        raise BadRequest("Send a JSON object {email, role}.")
    now = current_runtime().now_ms()
    role = body.get("role") or "member"
    if role not in PROJECT_ROLES:  # before anyone is created
        raise BadRequest(f"role must be one of {', '.join(PROJECT_ROLES)}.")
    user = user_by_email(body["email"])
    link = None
    if user is None:
        user = create_user(body["email"], role="member", now_ms=now)
        set_role(user.id, project_id, role, now_ms=now)
        link = f"{public_base_url()}/auth/link/{create_login_link(user.id, now_ms=now)}"
    else:
        set_role(user.id, project_id, role, now_ms=now)
    return jsonify({"member": member_dict(user, role), "created": link is not None, "link": link}), 201
