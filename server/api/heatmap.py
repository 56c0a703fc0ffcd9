"""Heatmaps of a page: the PNG overlay, the sessions behind a spot, and the events
that rebuild the page as its visitors first saw it."""
from __future__ import annotations

import math

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from server.web.params import parse_int, parse_variant
from server.assets.cache import asset_map
from server.errors import BadRequest, NotFound
from server.heatmap.draw import MAX_HEIGHT, MAX_WIDTH, render_heatmap
from server.heatmap.frame import first_frame
from server.heatmap.sources import KINDS, TraceCache, heatmap_sessions, points_on_page, typical_viewport
from server.runtime import current_runtime
from server.storage.events import read_all_events

bp = Blueprint("heatmap", __name__)

DEFAULT_RADIUS_PX = 30  # about a fingertip; the blob radius of the PNG
PAGE_MARGIN_PX = 200  # below the lowest click, so the overlay covers the page's end


def _trace_cache() -> TraceCache:
    return current_app.extensions.setdefault("replaydesk_heatmap_traces", TraceCache())


def _query():
    url = request.args.get("url", "")
    if not url.startswith(("http://", "https://")):
        raise BadRequest("url must be the absolute http(s) URL of a page.")
    kind = request.args.get("kind", "click")
    if kind not in KINDS:
        raise BadRequest(f"kind must be one of {', '.join(KINDS)}.")
    return url, kind, parse_variant(request.args.get("variant"))


def _points():
    url, kind, variant = _query()
    sessions = heatmap_sessions(url, variant)
    points = points_on_page(current_runtime(), _trace_cache(), sessions, url, kind)
    return sessions, points


@bp.get("/heatmap.png")
def heatmap_png():
    """``?url=&kind=click|rage|dead[&variant=exp:v][&width=&height=]`` (page pixels)."""
    sessions, points = _points()
    width, height = typical_viewport(sessions)
    lowest = max((p.y for _, p in points), default=0)
    width = parse_int("width", request.args.get("width"), default=width, low=1, high=MAX_WIDTH)
    height = parse_int("height", request.args.get("height"), default=max(height, int(lowest) + PAGE_MARGIN_PX),
                       low=1, high=MAX_HEIGHT)
    png = render_heatmap(((p.x, p.y) for _, p in points), width, height)
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=60"
    response.headers["X-Replaydesk-Points"] = str(len(points))
    response.headers["X-Replaydesk-Sessions"] = str(len({s.id for s, _ in points}))
    return response


@bp.get("/heatmap/sessions")
def sessions_at_spot():
    """``?url=&kind=&x=&y=[&radius=][&variant=]``: sessions with points within ``radius``
    page pixels of (x, y), most points first, each with the moment of its first one."""
    x = parse_int("x", request.args.get("x"), low=0, high=MAX_WIDTH)
    y = parse_int("y", request.args.get("y"), low=0, high=MAX_HEIGHT)
    if x is None or y is None:
        raise BadRequest("x and y are required (page pixels).")
    radius = parse_int("radius", request.args.get("radius"), default=DEFAULT_RADIUS_PX, low=1, high=2000)
    sessions, points = _points()
    near: dict[str, dict] = {}
    for session, point in points:
        if math.hypot(point.x - x, point.y - y) > radius:
            continue
        entry = near.setdefault(session.id, {"session_id": session.id, "started_at": session.started_at,
                                             "entry_url": session.entry_url, "duration_ms": session.duration_ms,
                                             "count": 0, "first_ts": point.ts})
        entry["count"] += 1
        entry["first_ts"] = min(entry["first_ts"], point.ts)
    found = sorted(near.values(), key=lambda e: (-e["count"], -e["started_at"]))
    for entry in found:
        entry["offset_ms"] = max(0, entry["first_ts"] - entry["started_at"])
        entry["link"] = url_for("pages.show_session", session_id=entry["session_id"], t=entry["offset_ms"])
    return jsonify({"sessions": found, "points": sum(e["count"] for e in found), "of_sessions": len(sessions)})


@bp.get("/heatmap/frame")
def page_frame():
    """The newest visit's first frame: ``{session_id, events, offset_ms, width, height, assets}``."""
    url, _, variant = _query()
    runtime = current_runtime()
    for session in heatmap_sessions(url, variant, limit=5):
        frame = first_frame(read_all_events(runtime.blobs, runtime.dictionaries, session.id), url)
        if frame:  # with its cached copies: the backdrop looks as it did, whatever the site is now
            return jsonify({"session_id": session.id, **frame, "assets": asset_map(session.id)})
    raise NotFound("No recorded visit of this page.")
