"""POST /api/v1/media: a chunk of a participant's think-aloud recording, sent by the
study widget with the session (project key, CORS open, like ingest).

Bounded like ingest: a chunk is at most 1 MiB on the wire, a session's recordings at
most MAX_SESSION_MEDIA_BYTES, and the key's ingest rate limit counts every upload.
Idempotent like ingest: ``(session_id, recording, seq)`` is stored once; a retry is
answered ``duplicate: true``. The chunk's bytes are in the blob store before the 200.
Query: ``session_id``, ``recording`` (the widget's id for one MediaRecorder run),
``seq`` (0, 1, … in recording order), ``kind`` (audio | video), ``started_at`` (epoch
ms of the recording's start, on the page's clock, as event timestamps); body: the raw
bytes, Content-Type the recorder's type (``audio/webm;codecs=opus``).
"""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from server.errors import PayloadTooLarge
from server.ingest.decode import read_body
from server.ingest.routes import CORS_HEADERS, MAX_CLOCK_AHEAD_MS, authenticate_key, limit_rate
from server.runtime import current_runtime
from server.storage.batch import ID_PATTERN
from server.storage.media import media_bytes, parse_media_upload, store_media_chunk

bp = Blueprint("media_upload", __name__)

MAX_SESSION_MEDIA_BYTES = 200 << 20
"""About 14 hours of the widget's 32 kbit/s voice, or an hour of camera: a session
past it is refused (413) rather than filling the store."""


@bp.after_request
def allow_any_origin(response: Response) -> Response:
    """Products on any origin post here; no cookies are read."""
    response.headers.update(CORS_HEADERS)
    return response


@bp.route("/media", methods=["OPTIONS"])
def preflight_media():
    return Response(status=204)


@bp.post("/media")
def upload_media():
    """Store one chunk and acknowledge it: ``{ok, duplicate, stored_bytes}``. 400 for a
    malformed upload, 401 unknown key, 404 when the session has no batch yet (send it
    again later), 409 another project's session, 413 too large, 429 rate limited."""
    runtime = current_runtime()
    project_id = authenticate_key()
    limit_rate(str(project_id))
    body = read_body(request.stream, request.content_length)
    upload = parse_media_upload(request.args, request.headers.get("Content-Type", ""), body,
                                session_id_pattern=ID_PATTERN, latest_ms=runtime.now_ms() + MAX_CLOCK_AHEAD_MS)
    stored = media_bytes(upload.session_id)
    if stored + len(upload.data) > MAX_SESSION_MEDIA_BYTES:
        raise PayloadTooLarge(f"This session's recordings reached the {MAX_SESSION_MEDIA_BYTES}-byte limit.")
    duplicate = store_media_chunk(runtime.blobs, project_id, upload, now_ms=runtime.now_ms())
    return jsonify({"ok": True, "duplicate": duplicate, "stored_bytes": stored + (0 if duplicate else len(upload.data))})
