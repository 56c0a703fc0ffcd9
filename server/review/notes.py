"""Notes on sessions, as the REST API and live rooms take them: validated against the
session, then stored, so both store notes alike."""
from __future__ import annotations

from server.review import fields
from server.storage import notes
from server.storage.sessions import get_session


def latest_moment(session, runtime) -> int:
    """The latest moment a note on ``session`` (a Session row) may point at: its end, or
    now while it is live (observers note what they see before its batches arrive)."""
    if session.last_received_at >= runtime.live_since_ms():
        return max(session.ended_at, runtime.now_ms())
    return session.ended_at


def add_note(session, body: dict, *, author: str, runtime):
    """A new note ``{ts, text, tags?, severity?, finding_id?}`` on ``session`` (a Session
    row), by ``author``; returns the Annotation row.

    :raise InvalidInput: naming the first invalid field; nothing is stored.
    :commits: the note.
    """
    values = fields.note_values(fields.require_object(body), started_at=session.started_at,
                                latest_ms=latest_moment(session, runtime))
    return notes.add_note(session.id, **values, author=author, now_ms=runtime.now_ms())


def edit_note(annotation_id: int, body: dict, *, runtime):
    """Change any of ``ts, text, tags, severity, finding_id``; returns the Annotation row.

    :raise NotFoundError: when no note has this id.
    :raise InvalidInput: naming the first invalid field; nothing changes.
    :commits: the note.
    """
    session = get_session(notes.get_note(annotation_id).session_id)
    changes = fields.note_changes(fields.require_object(body), started_at=session.started_at,
                                  latest_ms=latest_moment(session, runtime))
    return notes.change_note(annotation_id, changes, now_ms=runtime.now_ms())
