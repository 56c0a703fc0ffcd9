"""A session's think-aloud recordings for the player: the list (each with where it
starts in the session) and each recording's bytes, its chunks in order."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, stream_with_context, url_for

from server.runtime import current_runtime
from server.storage.media import recording_chunks, session_recordings
from server.storage.sessions import get_session

bp = Blueprint("media", __name__, url_prefix="/sessions")


@bp.get("/<session_id>/media")
def list_recordings(session_id: str):
    """``{recordings: [{id, kind, mime, started_at, offset_ms, size, chunks, url}]}``:
    ``offset_ms`` is where the recording starts in the session (negative: before its first event)."""
    session = get_session(session_id)
    return jsonify({"recordings": [
        {"id": r.recording_id, "kind": r.kind, "mime": r.mime, "started_at": r.started_at,
         "offset_ms": r.started_at - session.started_at, "size": r.size, "chunks": r.chunks,
         "url": url_for("api.media.show_recording", session_id=session.id, recording_id=r.recording_id)}
        for r in session_recordings(session.id)]})


@bp.get("/<session_id>/media/<recording_id>")
def show_recording(session_id: str, recording_id: str):
    """The recording as one file (the recorder's type)."""
    session = get_session(session_id)
    found = {r.recording_id: r for r in session_recordings(session.id)}
    chunks = recording_chunks(current_runtime().blobs, session.id, recording_id)
    response = Response(stream_with_context(chunks), mimetype=found[recording_id].mime.split(";")[0])
    response.headers["Content-Length"] = str(found[recording_id].size)
    response.headers["Cache-Control"] = "private, max-age=60"
    return response
