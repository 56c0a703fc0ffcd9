"""Sessions: list with filters and cursors, detail, the event stream, the engineer's context, delete."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from analysis.context import build_context, is_context_event
from analysis.events import parse_events
from server.auth.identity import require_project_access
from server.jobs.analyze import analyze_session
from server.runtime import current_runtime
from server.storage import queries
from server.storage.codec import dump_json
from server.storage.events import read_events_where
from server.storage.removal import delete_session
from server.storage.sessions import get_session
from server.web.event_pages import events_page
from server.web.filters import session_filters
from server.web.pagination import decode_cursor, encode_cursor
from server.web.params import parse_int
from server.web.serialize import analysis_state, session_detail, session_summary

bp = Blueprint("sessions", __name__, url_prefix="/sessions")

MAX_PAGE = 200


@bp.get("")
def list_sessions():
    sort = request.args.get("sort", "-started_at")
    limit = parse_int("limit", request.args.get("limit"), default=50, low=1, high=MAX_PAGE)
    rows, next_key = queries.list_sessions(
        session_filters(request.args), sort=sort, limit=limit, after=decode_cursor(request.args.get("cursor"))
    )
    ids = [row.id for row in rows]
    counts = queries.signal_counts(ids)
    variants = queries.variants_of(ids)
    live_after = current_runtime().live_since_ms()
    return jsonify({
        "sessions": [session_summary(row, counts.get(row.id, {}), variants.get(row.id, {}), live_after) for row in rows],
        "next_cursor": encode_cursor(next_key),
    })


@bp.get("/<session_id>")
def show_session(session_id: str):
    return jsonify(session_detail(get_session(session_id), current_runtime().live_since_ms()))


@bp.get("/<session_id>/events")
def list_events(session_id: str):
    """The stored stream, exactly as sent, ordered by timestamp then arrival.

    ``?limit=N`` pages it; ``?after=<cursor>`` resumes. The ``X-Replaydesk-Cursor``
    header holds the cursor after the last event returned (poll it on a live
    session); a ``Link: rel="next"`` header is present while more events are stored.
    A batch that arrives late (after newer ones, with older timestamps) is delivered
    to a cursor after what it was reading, never skipped; a cursor that compaction
    made unusable answers 410 (read again without ``after``).
    """
    get_session(session_id)
    return events_page(session_id)


@bp.get("/<session_id>/context")
def show_context(session_id: str):
    """The engineer's context: console entries, network requests and custom events, in time order.

    Each list holds at most ``analysis.context.MAX_ENTRIES`` (the earliest) and says in
    ``truncated`` whether there were more; requests are marked ``failed`` and ``slow``.
    """
    get_session(session_id)
    runtime = current_runtime()
    raw = read_events_where(runtime.blobs, runtime.dictionaries, session_id, is_context_event)
    return Response(dump_json(build_context(parse_events(raw)).to_dict()), mimetype="application/json")


@bp.get("/<session_id>/signals")
def list_signals(session_id: str):
    found = get_session(session_id)
    return jsonify({"signals": [signal.to_dict() for signal in found.signals],
                    "analysis": analysis_state(found)})


@bp.post("/<session_id>/analyze")
def analyze_now(session_id: str):
    """Run the analysis synchronously and return the fresh signals."""
    require_project_access(get_session(session_id).project_id, "member")
    result = analyze_session(current_runtime(), session_id)
    found = get_session(session_id)
    return jsonify({"signals": [signal.to_dict() for signal in found.signals], "score": result.score,
                    "counts": result.counts, "analysis": analysis_state(found)})


@bp.delete("/<session_id>")
def remove_session(session_id: str):
    require_project_access(get_session(session_id).project_id, "admin")
    delete_session(current_runtime().blobs, session_id)
    return jsonify({"ok": True, "deleted": session_id})
