"""The Issues page: a project's signals grouped by kind, page and element across
sessions, with sample moments to watch; "Make a finding" goes through the review API
(review_ui/src/entries/issues.js)."""
from __future__ import annotations

from flask import render_template, request, url_for

from server.auth.identity import current_reviewer
from server.pages import listing
from server.reports.issues import DEFAULT_DAYS, MAX_DAYS, project_issues
from server.runtime import current_runtime
from server.storage.projects import list_projects
from server.storage.sessions import start_times
from server.web.filters import project_id_param, project_or_default
from server.web.params import parse_int

DAY_CHOICES = (7, 30, 90)


def show_issues():
    projects = list_projects()
    project_id = project_or_default(project_id_param(request.args.get("project"))) if projects else None
    days = parse_int("days", request.args.get("days"), default=DEFAULT_DAYS, low=1, high=MAX_DAYS)
    kind = request.args.get("kind") or ""
    issues = project_issues(project_id, now_ms=current_runtime().now_ms(), days=days,
                            kinds=[kind] if kind else []) if project_id is not None else []
    starts = start_times({sample.session_id for issue in issues for sample in issue.samples})
    rows = [{"issue": issue, "samples": [
        {"href": url_for("pages.show_session", session_id=s.session_id, t=max(0, s.ts - starts[s.session_id])),
         "offset": max(0, s.ts - starts[s.session_id])} for s in issue.samples if s.session_id in starts]}
        for issue in issues]
    return render_template("issues/list.html", rows=rows, projects=projects, project_id=project_id, days=days,
                           day_choices=sorted({*DAY_CHOICES, days}), kind=kind, kinds=listing.signal_kinds(), kind_label=listing.kind_label,
                           can_write=project_id is not None and current_reviewer().may(project_id, "member"),
                           data={"project": project_id, "days": days}, entry="issues.js")


ROUTES = (
    ("/issues", show_issues),
)
