"""Video clips: of a session's range, or a finding's highlight reel (members ask for
them; viewers read them). A clip is rendered in the background: its state and progress
answer at ``/clips/<id>``, its video at ``/clips/<id>/file`` once done."""
from __future__ import annotations

from typing import Optional

from flask import Blueprint, Response, jsonify, request, url_for

from server.auth.identity import require_project_access
from server.clips.plan import Moment, caption_of, clip_range, format_of, fps_of, reel_segments
from server.errors import BadRequest
from server.runtime import current_runtime
from server.storage import clips, findings
from server.storage.errors import ConflictError
from server.storage.sessions import get_session, sessions_by_id
from server.web.params import moment_param

bp = Blueprint("clips", __name__)

MEDIA_TYPES = {"mp4": "video/mp4", "webm": "video/webm", "gif": "image/gif"}
FINDING_CLIPS_LISTED = 20


def clip_json(clip, **extra) -> dict:
    """A clip as the API shows it; ``url`` is its video's, once rendered."""
    done = clip.state == clips.DONE
    return {
        "id": clip.id, "state": clip.state, "progress": round(clip.progress, 3), "format": clip.format,
        "fps": clip.fps, "duration_ms": clip.duration_ms, "width": clip.width, "height": clip.height,
        "size": clip.size if done else None, "error": clip.error or None, "finding_id": clip.finding_id,
        "segments": [{"session_id": s.session_id, "from_ms": s.from_ms, "to_ms": s.to_ms, "caption": s.caption}
                     for s in clip.segments],
        "created_by": clip.created_by, "created_at": clip.created_at, "finished_at": clip.finished_at,
        "url": current_runtime().settings.public_url + url_for("api.clips.download_clip", clip_id=clip.id)
        if done else None,
        **extra,
    }


def _body(fields: str) -> dict:
    body = request.get_json(silent=True)
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise BadRequest(f"Send a JSON object {{{fields}}}.")
    return body


def _queued(clip, **extra):
    response = jsonify(clip_json(clip, **extra))
    response.status_code = 202
    response.headers["Location"] = url_for("api.clips.show_clip", clip_id=clip.id)
    return response


@bp.post("/sessions/<session_id>/clips")
def create_session_clip(session_id: str):
    """Body ``{from?, to?, format?, caption?, fps?}`` (moments as 17000, "17s" or
    "0:17"; mp4, webm or gif; default the whole session, mp4, 10 fps) → 202 ``{id,
    state, progress, ...}``; at most 2 minutes. Nothing is stored for bad input (400)."""
    session = get_session(session_id)
    reviewer = require_project_access(session.project_id, "member")
    body = _body("from?, to?, format?, caption?, fps?")
    start, end = clip_range(moment_param("from", body.get("from")), moment_param("to", body.get("to")),
                            session.duration_ms)
    fmt, fps, caption = format_of(body.get("format")), fps_of(body.get("fps")), caption_of(body.get("caption"))
    clip = clips.create_clip(session.project_id, [clips.Segment(session.id, start, end, caption)], fmt=fmt, fps=fps,
                             created_by=reviewer.name, now_ms=current_runtime().now_ms())
    return _queued(clip)


@bp.post("/findings/<int:finding_id>/clips")
def create_highlight_reel(finding_id: int):
    """Body ``{format?, fps?}`` → 202: a highlight reel of the finding's evidence, each
    note's moment from 4 s before to 4 s after with its text as caption, one after the
    other (15 notes at most: ``left_out`` says how many more there were)."""
    finding = findings.get_finding(finding_id)
    reviewer = require_project_access(finding.project_id, "member")
    body = _body("format?, fps?")
    fmt, fps = format_of(body.get("format")), fps_of(body.get("fps"))
    notes = list(finding.evidence)
    sessions = sessions_by_id(note.session_id for note in notes)
    moments = [Moment(note.session_id, note.ts - sessions[note.session_id].started_at,
                      sessions[note.session_id].duration_ms, note.text)
               for note in notes if note.session_id in sessions]
    segments, left_out = reel_segments(moments)
    clip = clips.create_clip(finding.project_id, segments, fmt=fmt, fps=fps, created_by=reviewer.name,
                             now_ms=current_runtime().now_ms(), finding_id=finding.id)
    return _queued(clip, left_out=left_out)


@bp.get("/findings/<int:finding_id>/clips")
def list_highlight_reels(finding_id: int):
    """The finding's highlight reels, newest first (the latest 20)."""
    finding = findings.get_finding(finding_id)
    require_project_access(finding.project_id, "viewer")
    return jsonify({"clips": [clip_json(clip) for clip in clips.clips_of_finding(finding.id,
                                                                                 limit=FINDING_CLIPS_LISTED)]})


@bp.get("/clips/<int:clip_id>")
def show_clip(clip_id: int):
    """``state`` (queued, rendering, done, failed), ``progress`` 0..1, ``url`` once done,
    ``error`` once failed."""
    clip = clips.get_clip(clip_id)
    require_project_access(clip.project_id, "viewer")
    return jsonify(clip_json(clip))


def _filename(clip) -> str:
    return f"replaydesk-clip-{clip.id}.{clip.format}"


@bp.get("/clips/<int:clip_id>/file")
def download_clip(clip_id: int):
    """The video (Content-Disposition: attachment); 409 until it is rendered."""
    clip = clips.get_clip(clip_id)
    require_project_access(clip.project_id, "viewer")
    if clip.state != clips.DONE or not clip.blob_key:
        detail: Optional[str] = clip.error if clip.state == clips.FAILED else f"{clip.progress:.0%} rendered"
        raise ConflictError(f"Clip {clip.id} is not ready: {clip.state} ({detail}).")
    data = current_runtime().blobs.get(clip.blob_key)
    response = Response(data, mimetype=MEDIA_TYPES[clip.format])
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename(clip)}"'
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
