"""Notes (annotations): timestamped remarks of reviewers on sessions. Values arrive
validated (``server/review/fields.py``); storage checks what only the database knows."""
from __future__ import annotations

from typing import Iterable, Mapping, Optional, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from server.storage.errors import InvalidInput
from server.storage.models import Annotation, Finding
from server.storage.scope import row_is_visible, visible_sessions
from server.storage.text_match import contains_ignoring_case
from server.storage.lookup import get_row
from server.storage.unit_of_work import reading, unit_of_work


def _get(db: OrmSession, annotation_id: int) -> Annotation:
    return get_row(db, Annotation, annotation_id, "annotation")


def _check_finding(db: OrmSession, finding_id: Optional[int]) -> None:
    """The body names a finding that is not there: the request is wrong, not its URL."""
    found = db.get(Finding, finding_id) if finding_id is not None else None
    if finding_id is not None and (found is None or not row_is_visible(db, found)):
        raise InvalidInput(f"finding_id {finding_id} does not exist.")


def get_note(annotation_id: int) -> Annotation:
    """:raise NotFoundError: when no note has this id."""
    return _get(reading(), annotation_id)


def add_note(session_id: str, *, ts: int, text: str, tags: list, severity: int, finding_id: Optional[int],
             author: str, now_ms: int) -> Annotation:
    """A new note on a session.

    :raise InvalidInput: for a ``finding_id`` no finding has; nothing is stored.
    :commits: the note.
    """
    with unit_of_work() as db:
        _check_finding(db, finding_id)
        note = Annotation(session_id=session_id, ts=ts, text=text, tags=tags, severity=severity,
                          finding_id=finding_id, author=author, created_at=now_ms, updated_at=now_ms)
        db.add(note)
    return note


def change_note(annotation_id: int, changes: Mapping[str, object], *, now_ms: int) -> Annotation:
    """Set the given fields (``ts, text, tags, severity, finding_id``) of a note.

    :raise NotFoundError: when no note has this id.
    :raise InvalidInput: for a ``finding_id`` no finding has; nothing changes.
    :commits: the note.
    """
    with unit_of_work() as db:
        note = _get(db, annotation_id)
        if "finding_id" in changes:
            _check_finding(db, changes["finding_id"])
        for name, value in changes.items():
            setattr(note, name, value)
        note.updated_at = now_ms
    return note


def delete_note(annotation_id: int) -> None:
    """:raise NotFoundError: when no note has this id.
    :commits: the note's removal (a finding it backed keeps its other evidence).
    """
    with unit_of_work() as db:
        db.delete(_get(db, annotation_id))


def list_notes(*, unassigned: bool = False, finding_id: Optional[int] = None, text: Optional[str] = None,
               limit: int = 200, before_id: Optional[int] = None) -> list[Annotation]:
    """Notes across sessions, newest first (by id, so paging with ``before_id`` is stable)."""
    query = select(Annotation).where(visible_sessions(Annotation.session_id))
    if unassigned:
        query = query.where(Annotation.finding_id.is_(None))
    if finding_id is not None:
        query = query.where(Annotation.finding_id == finding_id)
    if text:
        query = query.where(contains_ignoring_case(Annotation.text, text))
    if before_id is not None:
        query = query.where(Annotation.id < before_id)
    return list(reading().execute(query.order_by(Annotation.id.desc()).limit(limit)).scalars())


def notes_by_ids(db: OrmSession, ids: Sequence[int]) -> list[Annotation]:
    """The notes with these ids, in the order given (inside storage: findings' evidence).

    :raise InvalidInput: naming the ids that do not exist.
    """
    if not ids:
        return []
    rows = {row.id: row for row in db.execute(select(Annotation).where(
        Annotation.id.in_(ids), visible_sessions(Annotation.session_id))).scalars()}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise InvalidInput(f"Unknown annotation ids in evidence: {missing}.")
    return [rows[i] for i in ids]


def note_counts(session_ids: Iterable[str]) -> dict[str, int]:
    """``{session_id: number of notes}`` for the sessions that have any."""
    ids = list(session_ids)
    if not ids:
        return {}
    return dict(reading().execute(select(Annotation.session_id, func.count()).where(Annotation.session_id.in_(ids))
                                  .group_by(Annotation.session_id)).all())
