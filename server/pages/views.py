"""Review UI pages. Every page needs a signed-in reviewer; others go to the login.

Routes are thin: they load what the page shows and render a template; the browser
modules in review_ui/src take it from there through the review API.
"""
from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from server.assets.cache import asset_map
from server.auth.identity import current_reviewer
from server.errors import ApiError
from server.extensions import csrf
from server.pages import experiments, issues, listing, live, projects, studies, webhooks
from server.pages.assets import template_helpers
from server.review.export import format_offset
from server.review.fields import STATUSES
from server.review.findings import finding_json
from server.runtime import current_runtime
from server.storage import notes as stored_notes
from server.storage import queries
from server.storage.errors import InvalidInput
from server.storage.findings import get_finding, list_findings
from server.storage.projects import default_project
from server.storage.saved_views import list_views
from server.storage.sessions import get_session, sessions_by_id
from server.storage.watches import mark_watched
from server.web.filters import session_filters
from server.web.pagination import decode_cursor, encode_cursor
from server.web.params import MOMENT_FORMS, parse_moment
from server.web.public_url import public_base_url
from server.web.serialize import session_detail

bp = Blueprint("pages", __name__)

PAGE_SIZE = 50
# Events in the player's first request: enough for the first full snapshot and a few
# seconds of play, small enough to arrive at once even for a 2-hour session.
FIRST_EVENTS = 200
# (label, endpoint): items whose endpoint is not registered yet (studies and
# experiments arrive with issue 6) are left out of the navigation.
NAV = (("Sessions", "pages.list_sessions"), ("Issues", "pages.show_issues"), ("Notes", "pages.list_notes"),
       ("Findings", "pages.findings_board"), ("Pages", "pages.list_pages"), ("Studies", "pages.list_studies"),
       ("Experiments", "pages.list_experiments"))
NAV_SECTIONS = {"pages.show_session": "pages.list_sessions", "pages.show_finding": "pages.findings_board",
                "pages.show_heatmap": "pages.list_pages", "pages.show_experiment": "pages.list_experiments",
                "pages.show_study": "pages.list_studies", "pages.show_live_room": "pages.list_sessions",
                "pages.show_install": "pages.list_project_pages", "pages.show_people": "pages.list_project_pages",
                "pages.show_settings": "pages.list_project_pages"}

# Experiments, studies, live rooms and webhooks keep their views in modules of their own.
for rule, view in (*experiments.ROUTES, *studies.ROUTES, *live.ROUTES, *webhooks.ROUTES, *projects.ROUTES,
                   *issues.ROUTES):
    bp.add_url_rule(rule, view_func=view)


@bp.before_request
def require_login():
    reviewer = current_reviewer()
    if reviewer is None:
        return redirect(url_for("auth.show_login", next=request.full_path.rstrip("?")))
    if not reviewer.has_password:  # signed in by a link: the password step comes first
        return redirect(url_for("auth.show_password"))
    if request.method == "POST":
        csrf.protect()
    return None


@bp.app_context_processor
def page_context() -> dict:
    section = NAV_SECTIONS.get(request.endpoint or "", request.endpoint)
    nav = [{"label": label, "url": url_for(endpoint), "active": endpoint == section}
           for label, endpoint in NAV if endpoint in current_app.view_functions]
    return {"reviewer": current_reviewer(), "nav_items": nav, "entry": None, **template_helpers()}


@bp.app_template_filter("offset")
def offset_filter(ms: int) -> str:
    return format_offset(ms)


@bp.app_template_filter("duration")
def duration_filter(ms: int) -> str:
    return listing.format_duration(ms)


@bp.app_template_filter("short_url")
def short_url_filter(url: str) -> str:
    return listing.short_url(url)


@bp.get("/sessions")
@bp.get("/")  # registered first: url_for() builds the short URL
def list_sessions():
    args = listing.with_inclusive_until(request.args)
    sort = args.get("sort") if args.get("sort") in queries.SORTS else "-started_at"
    reviewer = current_reviewer()
    error, rows, next_cursor, total = None, [], None, None
    try:
        filters = session_filters(args)
        found, next_key = queries.list_sessions(filters, sort=sort, limit=PAGE_SIZE,
                                                after=decode_cursor(args.get("cursor")))
        rows = listing.session_rows(found, current_runtime().live_since_ms(), reviewer.user_id)
        next_cursor = encode_cursor(next_key)
        total = len(rows) if next_key is None and not args.get("cursor") else queries.count_sessions(filters)
    except (ApiError, InvalidInput) as problem:  # a bad filter value: say which, keep the form
        error = problem.message
    return render_template(
        "sessions/list.html", rows=rows, next_cursor=next_cursor, error=error, sort=sort, args=request.args,
        total=total, kinds=listing.signal_kinds(), kind_label=listing.kind_label, variants=queries.variant_choices(),
        studies=queries.study_choices(), durations=listing.DURATION_CHOICES, sorts=listing.SORT_CHOICES,
        watched_choices=listing.WATCHED_CHOICES, saved_views=list_views(reviewer.user_id),
        columns=listing.optional_columns(rows), is_filtered=listing.is_filtered(request.args),
        view_query=listing.view_query(request.args), install_url=first_install_url(rows, request.args),
    )


@bp.get("/sessions/<session_id>")
def show_session(session_id: str):
    found = get_session(session_id)
    runtime = current_runtime()
    mark_watched(current_reviewer().user_id, session_id, now_ms=runtime.now_ms())
    detail = session_detail(found, runtime.live_since_ms())
    data = {
        "session": detail,
        "assets": asset_map(session_id),
        "assetsPending": found.assets_due_at is not None,  # the player waits a moment for what is being cached
        "eventsUrl": url_for("api.sessions.list_events", session_id=session_id),
        "firstLimit": FIRST_EVENTS,
        "signalKinds": listing.signal_kinds(),
        **requested_moment(request.args.get("t")),
    }
    first_page = f"{data['eventsUrl']}?limit={FIRST_EVENTS}"
    return render_template("sessions/player.html", session=found, detail=detail, data=data, first_page=first_page,
                           kind_label=listing.kind_label, entry="player.js")


def first_install_url(rows: list, args) -> str | None:
    """Where a first run's empty list sends the reviewer: their first project's install page."""
    if rows or listing.is_filtered(args):
        return None
    project = default_project()
    return url_for("pages.show_install", project_id=project.id) if project else None


def requested_moment(value: str | None) -> dict:
    """``?t=`` in any moment form (17000, 17s, 0:17, 1:02:03) as ``startMs``; one the
    player cannot read opens the session from the start and says why (``startError``)."""
    if not value:
        return {"startMs": None}
    try:
        return {"startMs": parse_moment(value)}
    except ValueError:
        return {"startMs": None, "startError": f"t={value} is not a moment: write {MOMENT_FORMS}."}


@bp.get("/notes")
def list_notes():
    show = request.args.get("show", "unassigned")
    notes = stored_notes.list_notes(unassigned=show == "unassigned", text=request.args.get("q") or None, limit=300)
    sessions = sessions_by_id(note.session_id for note in notes)
    findings = {f.id: f for f in list_findings()}
    return render_template("notes/list.html", notes=notes, sessions=sessions, findings=findings, show=show,
                           q=request.args.get("q", ""), variants=queries.variant_choices(), entry="notes.js")


@bp.get("/findings")
def findings_board():
    public_url = public_base_url()
    findings = [finding_json(f, public_url) for f in list_findings()]
    columns = [(status, [f for f in findings if f["status"] == status]) for status in STATUSES]
    return render_template("findings/board.html", columns=columns, total=len(findings), entry="findings.js")


@bp.get("/findings/<int:finding_id>")
def show_finding(finding_id: int):
    finding = finding_json(get_finding(finding_id), public_base_url())
    for clip in finding["clips"]:
        clip["local_link"] = url_for("pages.show_session", session_id=clip["session_id"], t=max(0, clip["offset_ms"]))
    return render_template("findings/detail.html", finding=finding, statuses=STATUSES, entry="finding.js",
                           variants=queries.variant_choices(), data={"finding": finding})


@bp.get("/pages")
def list_pages():
    return render_template("pages/list.html", entry="pages.js", kinds=listing.signal_kinds(), kind_label=listing.kind_label)


@bp.get("/pages/heatmap")
def show_heatmap():
    url = request.args.get("url", "")
    if not url:
        return redirect(url_for("pages.list_pages"))
    kind = request.args.get("kind", "click")
    data = {"url": url, "kind": kind, "variant": request.args.get("variant", ""),
            "viewport": request.args.get("viewport", ""), "variants": queries.variant_choices()}
    return render_template("pages/heatmap.html", url=url, data=data, entry="heatmap.js")

