"""The answer to a page of a session's stored events, for the review API and for share
links: ``?limit=N`` pages it, ``?after=<cursor>`` resumes, the ``X-Replaydesk-Cursor``
header holds the cursor after the last event returned and ``Link: rel="next"`` is there
while more are stored."""
from __future__ import annotations

from typing import Optional

from flask import Response, request

from server.runtime import current_runtime
from server.storage.codec import dump_json
from server.storage.events import FollowCursor, follow_events, list_sources
from server.web.params import parse_int

MAX_EVENTS_PAGE = 50_000


def events_page(session_id: str, *, until_ts: Optional[int] = None) -> Response:
    """One page of the session's events (the caller checked it may be read); with
    ``until_ts``, events after that epoch ms are left out (a share link's range)."""
    limit = parse_int("limit", request.args.get("limit"), low=1, high=MAX_EVENTS_PAGE)
    after = FollowCursor.parse(request.args["after"]) if request.args.get("after") else None
    runtime = current_runtime()
    page, cursor = follow_events(list_sources(runtime.blobs, runtime.dictionaries, session_id), after, limit)
    events = page.events if until_ts is None else [e for e in page.events if _timestamp(e) <= until_ts]
    response = Response(dump_json(events), mimetype="application/json")
    response.headers["X-Replaydesk-Cursor"] = str(cursor)
    if page.has_more:
        query = f"after={cursor}" + (f"&limit={limit}" if limit else "")
        response.headers["Link"] = f'<{request.base_url}?{query}>; rel="next"'
    return response


def _timestamp(event: object) -> int:
    stamp = event.get("timestamp") if isinstance(event, dict) else None
    return stamp if isinstance(stamp, int) else 0
