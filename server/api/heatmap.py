"""Heatmaps of a page: the PNG overlay, the sessions behind a spot, and the events
that rebuild the page as its visitors first saw it."""
from __future__ import annotations

import math

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from server.web.params import parse_int, parse_variant
from server.assets.cache import asset_map
from server.errors import BadRequest, NotFound
from server.heatmap.draw import MAX_HEIGHT, MAX_WIDTH, render_heatmap, render_scroll_depth
from server.heatmap.frame import first_frame
from server.heatmap.selection import is_pattern, page_matcher, parse_viewports
from server.heatmap.sources import (KINDS, TraceCache, heatmap_sessions, points_on_page, scroll_depths,
                                    typical_viewport)
from server.storage.heatmap import viewport_widths_on_page
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
        raise BadRequest("url must be the absolute http(s) URL of a page, or a pattern of pages with *.")
    kind = request.args.get("kind", "click")
    if kind not in KINDS:
        raise BadRequest(f"kind must be one of {', '.join(KINDS)}.")
    return url, kind, parse_variant(request.args.get("variant"))


def _viewports():
    """``?viewport=mobile|tablet|desktop|<width px>``.

    :raise BadRequest: for anything else."""
    try:
        return parse_viewports(request.args.get("viewport"))
    except ValueError as error:
        raise BadRequest(str(error)) from None


def _sessions():
    url, kind, variant = _query()
    return url, kind, heatmap_sessions(url, variant, viewports=_viewports())


def _points():
    url, kind, sessions = _sessions()
    points = points_on_page(current_runtime(), _trace_cache(), sessions, url, kind)
    return sessions, points


@bp.get("/heatmap.png")
def heatmap_png():
    """``?url=&kind=click|rage|dead|scroll[&variant=exp:v][&viewport=][&width=&height=]``
    (page pixels). ``url`` may be a pattern of pages (``https://shop.test/product/*``);
    ``viewport`` keeps the visitors of one class (mobile, tablet, desktop) or width."""
    if request.args.get("kind") == "scroll":
        return _scroll_png()
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


def _scroll_png():
    url, _, sessions = _sessions()
    depths = scroll_depths(current_runtime(), _trace_cache(), sessions, url)
    width, height = typical_viewport(sessions)
    width = parse_int("width", request.args.get("width"), default=width, low=1, high=MAX_WIDTH)
    height = parse_int("height", request.args.get("height"), default=int(max(depths, default=height)) + PAGE_MARGIN_PX,
                       low=1, high=MAX_HEIGHT)
    response = Response(render_scroll_depth(depths, width, height), mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=60"
    response.headers["X-Replaydesk-Points"] = str(len(depths))
    response.headers["X-Replaydesk-Sessions"] = str(len(depths))
    return response


@bp.get("/heatmap/scroll")
def scroll_depth():
    """``?url=[&variant=][&viewport=]``: how far down each visit saw the page (page pixels),
    deepest first, for "N % of visitors saw this far"."""
    url, _, sessions = _sessions()
    depths = sorted(scroll_depths(current_runtime(), _trace_cache(), sessions, url), reverse=True)
    return jsonify({"depths": depths, "sessions": len(depths)})


@bp.get("/heatmap/viewports")
def viewport_widths():
    """``?url=[&variant=]``: the viewport widths of the page's visitors, most common first."""
    url, _, variant = _query()
    return jsonify({"widths": [{"width": width, "sessions": n} for width, n in viewport_widths_on_page(url, variant)]})


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
    url, _, sessions = _sessions()
    runtime = current_runtime()
    on_page = page_matcher(url)
    for session in sessions[:5]:  # the newest visit at this viewport: the backdrop at that width
        frame = first_frame(read_all_events(runtime.blobs, runtime.dictionaries, session.id), url,
                            on_page if is_pattern(url) else None)
        if frame:  # with its cached copies: the backdrop looks as it did, whatever the site is now
            return jsonify({"session_id": session.id, **frame, "assets": asset_map(session.id)})
    raise NotFound("No recorded visit of this page.")
