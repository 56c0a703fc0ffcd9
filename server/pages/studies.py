"""Study pages: the list with a form to create one, and a study's page (tasks,
participants with invite links, its sessions with live ones first, and the report).

Writes (create, add a task or a participant) go through the review API from the browser.
"""
from __future__ import annotations

from flask import render_template, url_for

from server.auth.identity import current_reviewer
from server.pages import listing
from server.reports import study_export
from server.reports.studies import study_report
from server.runtime import current_runtime
from server.storage import studies
from server.storage.projects import list_projects
from server.web.public_url import public_base_url

RECENT_SESSIONS = 20


def study_rows() -> list[dict]:
    sessions = studies.sessions_per_study()
    return [{**studies.study_dict(study), "sessions": sessions.get(study.slug, 0)} for study in studies.list_studies()]


def study_sessions(slug: str, live_after: int) -> list[dict]:
    """The study's latest sessions, live ones first, with the links the page offers."""
    rows = studies.latest_study_sessions(slug, RECENT_SESSIONS)
    shaped = [{"id": row.id, "participant": row.participant, "started_at": row.started_at,
               "duration_ms": row.duration_ms, "live": row.last_received_at >= live_after,
               "replay": url_for("pages.show_session", session_id=row.id),
               "live_room": url_for("pages.show_live_room", session_id=row.id)} for row in rows]
    return sorted(shaped, key=lambda s: not s["live"])  # stable: newest first within each group


def local_link(link: str) -> str:
    """A report link (public URL) as a path on this server, so it works behind any host name."""
    return listing.short_url(link)


def shaped_report(study) -> dict:
    """The study report with page-friendly numbers and local links."""
    runtime = current_runtime()
    report = study_report(study, public_base_url(), live_since_ms=runtime.live_since_ms())
    for task in report["tasks"]:
        completion, time, seq = task["completion"], task["time_on_task"], task["seq"]
        task["completion_text"] = study_export.format_percent(completion["rate"])
        task["completion_interval"] = study_export.format_rate_interval(completion["ci"])
        task["outcome_text"] = study_export.outcome_counts(task)
        task["time_text"] = study_export.format_seconds(time["geometric_mean_ms"])
        task["time_interval"] = study_export.format_time_interval(time["ci_ms"])
        task["seq_text"] = study_export.format_score(seq["mean"])
        for attempt in task["attempts"]:
            attempt["link"] = local_link(attempt["link"])
            for signal in attempt["signals"]:
                signal["link"] = local_link(signal["link"])
    for row in report["participants"]:
        row["name"] = study_export.participant_name(row)
        row["sus_text"] = study_export.format_score(row["sus"]["score"])
        for cell in row["tasks"].values():
            cell["link"] = local_link(cell["link"])
            cell["time_text"] = study_export.format_seconds(cell["time_ms"])
        for quote in row["quotes"]:
            quote["link"] = local_link(quote["link"])
    report["sus_text"] = study_export.format_sus(report["sus"])
    return report


def list_studies():
    projects = [(project.id, project.name) for project in list_projects()]
    return render_template("studies/list.html", studies=study_rows(), projects=projects, entry="studies.js")


def show_study(study_id: int):
    study = studies.get_study(study_id)
    shaped = studies.study_dict(study)
    labels = {p["code"]: p["label"] for p in shaped["participants"]}
    return render_template(
        "studies/detail.html", study=shaped, report=shaped_report(study), labels=labels,
        can_clip=current_reviewer().may(study.project_id, "member"),  # clips are a member's to make
        sessions=study_sessions(study.slug, current_runtime().live_since_ms()),
        kind_label=listing.kind_label, entry="study.js", data={"study": {"id": study.id, "slug": study.slug}},
    )


ROUTES = (
    ("/studies", list_studies),
    ("/studies/<int:study_id>", show_study),
)
