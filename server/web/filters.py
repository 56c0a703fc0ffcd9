"""The session filters shared by the session list and the per-page stats."""
from __future__ import annotations

from analysis.batch_summary import MAX_NAME
from server.auth.identity import current_reviewer
from server.errors import BadRequest
from server.runtime import current_runtime
from server.storage import queries
from server.storage.projects import default_project, project_by_name
from server.web.params import parse_bool, parse_duration_ms, parse_id, parse_time, parse_variant


def project_id_param(value: str | None) -> int | None:
    """A project's id from ``?project=`` (its id or its name).

    :raise BadRequest: for a name no project has.
    """
    if not value:
        return None
    project_id = parse_id("project", value)
    if project_id is not None:
        return project_id
    project = project_by_name(value)
    if project is None:
        raise BadRequest(f"Unknown project {value!r}.")
    return project.id


def project_or_default(project_id: int | None) -> int:
    """``project_id``, or the oldest project the asker can see when it is None.

    :raise BadRequest: when there is none.
    """
    if project_id is not None:
        return project_id
    project = default_project()
    if project is None:
        raise BadRequest("No project yet: create one first.")
    return project.id


def session_filters(args) -> queries.SessionFilters:
    """The filters of a query string (the review API's and the session list page's).

    :raise BadRequest: naming the parameter whose value is not understood.
    """
    runtime = current_runtime()
    reviewer = current_reviewer()
    live = parse_bool("live", args.get("live"))
    live_since = runtime.live_since_ms() if live else None
    return queries.SessionFilters(
        project_id=project_id_param(args.get("project")),
        since=parse_time("since", args.get("since")),
        until=parse_time("until", args.get("until")),
        url=args.get("url") or None,
        signals=tuple(kind for kind in args.getlist("signal") if kind),
        variant=parse_variant(args.get("variant")),
        study=args.get("study") or None,
        participant=args.get("participant") or None,
        distinct_id=args.get("distinct_id") or None,
        min_duration_ms=parse_duration_ms("min_duration", args.get("min_duration")),
        text=args.get("q") or None,
        live_since=live_since,
        console_errors=bool(parse_bool("console_errors", args.get("console_errors"))),
        failed_requests=bool(parse_bool("failed_requests", args.get("failed_requests"))),
        slow_request_ms=parse_duration_ms("slow_requests", args.get("slow_requests")),
        event_tags=event_tags(args.getlist("event")),
        watched=parse_bool("watched", args.get("watched")),  # by the asker: opened in the player, or not
        watcher=reviewer.user_id if reviewer else None,
    )


def event_tags(values: list[str]) -> tuple[str, ...]:
    """The product's own event tags of ``?event=`` (cut as ingest cuts them).

    :raise BadRequest: for a ``$`` tag: those are the SDK's, never kept per session.
    """
    tags = tuple(dict.fromkeys(value[:MAX_NAME] for value in values if value))
    sdk_tags = [tag for tag in tags if tag.startswith("$")]
    if sdk_tags:
        raise BadRequest(f"event takes the product's own event tags; {sdk_tags[0]!r} is one of the SDK's "
                         "(filter on signal, console_errors or url instead).")
    return tags
