"""Project pages: the list, each project's install page (snippet, key, a check that
turns green when the first batch arrives), its people (invite, role, remove) and its
settings (detector thresholds, goals, ignored elements). Writes go through the review
API from the browser (review_ui/src/entries/install.js, people.js, project-settings.js)."""
from __future__ import annotations

from flask import render_template

from analysis import DetectorConfig
from server.auth.identity import current_reviewer, require_project_access
from server.jobs.analyze import detector_config
from server.runtime import current_runtime
from server.snippet import snippet_or_hint
from server.storage.memberships import PROJECT_ROLES, member_dict, project_members
from server.storage.projects import get_project, list_projects
from server.storage.sessions import latest_received
from server.web.public_url import mismatch_warning, public_base_url


def list_project_pages():
    reviewer = current_reviewer()
    rows = [{"id": p.id, "name": p.name, "key": p.key, "admin": reviewer.may(p.id, "admin")} for p in list_projects()]
    return render_template("projects/list.html", projects=rows)


def show_install(project_id: int):
    project = get_project(project_id)
    runtime = current_runtime()
    latest = latest_received(project_id)
    base = public_base_url()
    data = {
        "projectId": project.id,
        "publicUrl": base,
        "publicUrlConfigured": runtime.settings.public_url_configured,
        "openedAt": runtime.now_ms(),
        "lastReceivedAt": latest.last_received_at if latest else None,
        "receivedUrl": f"/api/v1/projects/{project.id}/received",
    }
    return render_template("projects/install.html", project=project, snippet=snippet_or_hint(base, project.key),
                           public_url=base, warning=mismatch_warning(), data=data, entry="install.js",
                           allowed_origins=(project.settings or {}).get("allowed_origins") or [],
                           admin=current_reviewer().may(project.id, "admin"))


def show_people(project_id: int):
    project = get_project(project_id)
    require_project_access(project_id, "admin")
    members = [member_dict(user, role) for user, role in project_members(project_id)]
    return render_template("projects/people.html", project=project, members=members, roles=PROJECT_ROLES,
                           me=current_reviewer().user_id, data={"projectId": project.id}, entry="people.js")


def show_settings(project_id: int):
    project = get_project(project_id)
    require_project_access(project_id, "admin")
    current = detector_config(project).to_dict()
    overridden = set((project.settings or {}).get("detectors") or {})
    if (project.settings or {}).get("goal_urls"):
        overridden.add("goal_url_patterns")
    settings = [{**spec, "value": current[spec["name"]], "changed": spec["name"] in overridden}
                for spec in DetectorConfig.describe()]
    return render_template("projects/settings.html", project=project, settings=settings,
                           data={"projectId": project.id, "settings": settings}, entry="project-settings.js")


ROUTES = (
    ("/projects", list_project_pages),
    ("/projects/<int:project_id>/install", show_install),
    ("/projects/<int:project_id>/people", show_people),
    ("/projects/<int:project_id>/settings", show_settings),
)
