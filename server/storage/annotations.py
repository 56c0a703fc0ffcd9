"""Annotations: timestamped notes on a session. Validation lives here so the REST
API and live rooms store notes the same way."""
from __future__ import annotations

from typing import Any, Mapping

from sqlalchemy.orm import Session as OrmSession

from server.storage.models import Annotation, Finding, Session

MAX_TEXT = 10_000
MAX_TAGS = 20
MAX_TAG = 50
SEVERITIES = range(1, 5)
# Below this a ts is "ms into the session"; above, epoch ms (1e11 ms is March 1973).
EPOCH_MS_FLOOR = 100_000_000_000


class AnnotationError(ValueError):
    """Bad annotation input; the message names the field."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def annotation_ts(session: Session, value: Any) -> int:
    """Epoch ms from either epoch ms or ms into the session."""
    if not _is_int(value) or value < 0:
        raise AnnotationError("ts must be a non-negative integer (ms into the session, or epoch ms)")
    return value if value >= EPOCH_MS_FLOOR else session.started_at + value


def clean_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise AnnotationError(f"text must be 1-{MAX_TEXT} characters")
    return value.strip()


def clean_tags(value: Any) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_TAGS or not all(
        isinstance(tag, str) and 0 < len(tag.strip()) <= MAX_TAG for tag in value
    ):
        raise AnnotationError(f"tags must be a list of at most {MAX_TAGS} strings of 1-{MAX_TAG} characters")
    return sorted({tag.strip() for tag in value})


def clean_severity(value: Any) -> int:
    if not _is_int(value) or value not in SEVERITIES:
        raise AnnotationError("severity must be 1, 2, 3 or 4")
    return value


def _finding_id(db: OrmSession, value: Any) -> int | None:
    if value is None:
        return None
    if not _is_int(value) or db.get(Finding, value) is None:
        raise AnnotationError("finding_id must be the id of an existing finding")
    return value


def create_annotation(db: OrmSession, session: Session, fields: Mapping[str, Any], *, author: str, now_ms: int) -> Annotation:
    """Validate and add a note (the caller commits).

    :raise AnnotationError: on the first invalid field; nothing is added.
    """
    note = Annotation(
        session_id=session.id,
        ts=annotation_ts(session, fields.get("ts")),
        text=clean_text(fields.get("text")),
        tags=clean_tags(fields.get("tags", [])),
        severity=clean_severity(fields.get("severity", 2)),
        finding_id=_finding_id(db, fields.get("finding_id")),
        author=author,
        created_at=now_ms,
        updated_at=now_ms,
    )
    db.add(note)
    db.flush()
    return note


def update_annotation(db: OrmSession, note: Annotation, fields: Mapping[str, Any], *, now_ms: int) -> Annotation:
    """Apply a partial update (the caller commits).

    :raise AnnotationError: on an unknown or invalid field; nothing changes.
    """
    unknown = set(fields) - {"ts", "text", "tags", "severity", "finding_id"}
    if unknown:
        raise AnnotationError(f"unknown field(s): {', '.join(sorted(unknown))}")
    changes: dict[str, Any] = {}
    if "ts" in fields:
        changes["ts"] = annotation_ts(db.get(Session, note.session_id), fields["ts"])
    if "text" in fields:
        changes["text"] = clean_text(fields["text"])
    if "tags" in fields:
        changes["tags"] = clean_tags(fields["tags"])
    if "severity" in fields:
        changes["severity"] = clean_severity(fields["severity"])
    if "finding_id" in fields:
        changes["finding_id"] = _finding_id(db, fields["finding_id"])
    for name, value in changes.items():
        setattr(note, name, value)
    note.updated_at = now_ms
    return note
