"""Ingest: authenticate the key → rate-limit → decode → parse → store → acknowledge."""
from __future__ import annotations

from typing import Optional

import orjson
from flask import Blueprint, Response, jsonify, request

from server.errors import RateLimited, UnknownKey
from server.ingest.decode import inflate, load_json, read_body
from server.live.flagging import flag_signals_soon
from server.live.rooms import publish_events
from server.runtime import current_runtime
from server.storage.batch import parse_batch
from server.storage.ingest import store_batch

bp = Blueprint("ingest", __name__)

# Events stamped further ahead of the server's clock than this are refused (400): a
# device clock that wrong would misplace the recording among the others.
MAX_CLOCK_AHEAD_MS = 24 * 3600 * 1000
MAX_KEY_LENGTH = 64  # project keys are at most this long (the column's width)

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Content-Encoding, X-Replaydesk-Key",
    "Access-Control-Expose-Headers": "Retry-After",
    "Access-Control-Max-Age": "86400",
}


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    """Products on any origin post here; no cookies are read, so this is safe."""
    response.headers.update(CORS_HEADERS)
    return response


def _project_of_key() -> Optional[int]:
    key = request.headers.get("X-Replaydesk-Key") or request.args.get("key")
    if not key or len(key) > MAX_KEY_LENGTH or "\x00" in key:  # no project has such a key
        return None
    return current_runtime().project_keys.project_id(key)


def authenticate_key() -> int:
    """The project id of the header/query key. Requests with an unknown key count
    against the caller's address, so guessing keys is rate limited too.

    :raise UnknownKey: when the key matches no project.
    :raise RateLimited: when the caller's address is over the limit.
    """
    project_id = _project_of_key()
    if project_id is None:
        limit_rate(_address_subject())
        raise UnknownKey()
    return project_id


def _address_subject() -> str:
    return f"address:{request.remote_addr}"


def limit_rate(subject: str) -> None:
    """Count one request for ``subject`` (a project id, or ``address:<ip>``).

    :raise RateLimited: over the ingest limit, with Retry-After.
    """
    retry_after = current_runtime().rate_limiter.retry_after(subject)
    if retry_after is not None:
        raise RateLimited(headers={"Retry-After": str(retry_after)})


@bp.route("/ingest", methods=["OPTIONS"])
@bp.route("/ingest/ping", methods=["OPTIONS"])
def preflight_ingest():
    return Response(status=204)


@bp.post("/ingest/ping")
def ping_ingest():
    """Reads a body within the ingest limits and stores nothing: lets an SDK check
    reachability, and is the no-op baseline of bench/ingest.py. Rate limited as ingest:
    per project with a known key, else per address."""
    project_id = _project_of_key()
    limit_rate(_address_subject() if project_id is None else str(project_id))
    read_body(request.stream, request.content_length)
    return jsonify({"ok": True})


@bp.post("/ingest")
def ingest_batch():
    """Store one batch and acknowledge it (SPEC "Ingest protocol"). A malformed batch
    (``IngestError``) answers 400 and another project's session (``ConflictError``) 409,
    through the one error handler."""
    runtime = current_runtime()
    project_id = authenticate_key()
    limit_rate(str(project_id))
    body = read_body(request.stream, request.content_length)
    encoding = request.headers.get("Content-Encoding") or request.args.get("compression", "")
    now = runtime.now_ms()
    batch = parse_batch(load_json(inflate(body, encoding)), latest_ms=now + MAX_CLOCK_AHEAD_MS)
    result = store_batch(project_id, batch, now_ms=now,
                         analysis_due_at=now + int(runtime.settings.analysis_quiet_seconds * 1000),
                         dictionary=runtime.dictionaries.latest(project_id))
    if result.live:
        publish_events(batch.session_id, result.events)
        flag_signals_soon(batch.session_id)
    return _acknowledge(result)


def _acknowledge(result) -> Response:
    """The 200 answer, serialised with orjson: Flask's JSON provider cost more than
    the rest of the answer on a route that handles every batch of every visitor."""
    body = {"ok": True, "accepted": result.accepted, "duplicate": result.duplicate, "live": result.live,
            "commands": list(result.commands)}
    return Response(orjson.dumps(body), mimetype="application/json")
