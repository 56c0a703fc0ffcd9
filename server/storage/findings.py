"""Findings: usability problems, each backed by notes (its evidence) across sessions.
Values arrive validated (``server/review/fields.py``); a note backs one finding at most."""
from __future__ import annotations

from typing import Mapping, Optional, Sequence

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session as OrmSession

from server.storage.models import Annotation, Finding, Session
from server.storage.notes import notes_by_ids
from server.storage.scope import confined
from server.storage.text_match import contains_ignoring_case
from server.storage.lookup import get_row
from server.storage.unit_of_work import reading, unit_of_work
from server.storage.webhooks import FINDING_CREATED, FINDING_UPDATED, finding_data, queue_event


def _get(db: OrmSession, finding_id: int) -> Finding:
    return get_row(db, Finding, finding_id, "finding")


def get_finding(finding_id: int) -> Finding:
    """:raise NotFoundError: when no finding has this id."""
    return _get(reading(), finding_id)


def list_findings(*, status: Optional[str] = None, text: Optional[str] = None,
                  tag: Optional[str] = None) -> list[Finding]:
    """Findings, most severe first, then newest; ``text`` in the title or description."""
    query = confined(select(Finding), Finding.project_id)
    if status:
        query = query.where(Finding.status == status)
    if text:
        query = query.where(or_(contains_ignoring_case(Finding.title, text),
                                contains_ignoring_case(Finding.description, text)))
    order = (Finding.severity.desc(), Finding.created_at.desc(), Finding.id.desc())
    rows = reading().execute(query.order_by(*order)).scalars().all()
    if tag:  # JSON columns differ per database; a team has few findings, so filter here
        rows = [row for row in rows if tag.lower() in {t.lower() for t in row.tags or []}]
    return list(rows)


def create_finding(values: Mapping[str, object], evidence: Sequence[int], *, author: str, now_ms: int,
                   project_id: Optional[int] = None) -> Finding:
    """A new finding (``title, description, severity, status, tags, variant``) backed by
    the notes ``evidence`` names; it belongs to their project when they share one, and
    to ``project_id`` when it has no evidence.

    :raise InvalidInput: naming evidence ids no note has; nothing is stored.
    :commits: the finding, its notes moved to it from any other finding, and a
        ``finding.created`` delivery to each webhook that asked for it.
    """
    with unit_of_work() as db:
        notes = notes_by_ids(db, evidence)
        finding = Finding(**values, author=author, project_id=_project_of(db, notes) if notes else project_id,
                          created_at=now_ms, updated_at=now_ms)
        db.add(finding)
        db.flush()
        _set_evidence(db, finding, notes)
        queue_event(db, finding.project_id, FINDING_CREATED, finding_data(finding), now_ms=now_ms)
    return finding


def change_finding(finding_id: int, changes: Mapping[str, object], evidence: Optional[Sequence[int]], *,
                   now_ms: int) -> Finding:
    """Set the given fields; ``evidence`` (unless None) replaces the set of notes.

    :raise NotFoundError: when no finding has this id.
    :raise InvalidInput: naming evidence ids no note has; nothing changes.
    :commits: the finding, the notes that joined or left it, and ``finding.updated``
        deliveries.
    """
    with unit_of_work() as db:
        finding = _get(db, finding_id)
        notes = notes_by_ids(db, evidence) if evidence is not None else None
        for name, value in changes.items():
            setattr(finding, name, value)
        if notes:
            finding.project_id = _project_of(db, notes)
        if notes is not None:
            _set_evidence(db, finding, notes)
        finding.updated_at = now_ms
        changed = [*changes, *(["evidence"] if evidence is not None else [])]
        queue_event(db, finding.project_id, FINDING_UPDATED, finding_data(finding, changed=changed), now_ms=now_ms)
    return finding


def delete_finding(finding_id: int) -> None:
    """The finding goes; its notes stay, unassigned.

    :raise NotFoundError: when no finding has this id.
    :commits: the removal and the released notes.
    """
    with unit_of_work() as db:
        finding = _get(db, finding_id)
        _set_evidence(db, finding, [])
        db.delete(finding)


def _set_evidence(db: OrmSession, finding: Finding, notes: list[Annotation]) -> None:
    """Make exactly these notes the finding's evidence (a note moves from any other
    finding: it backs one finding at most)."""
    released = update(Annotation).where(Annotation.finding_id == finding.id)
    if notes:
        released = released.where(Annotation.id.not_in([note.id for note in notes]))
    db.execute(released.values(finding_id=None))
    for note in notes:
        note.finding_id = finding.id
    db.flush()
    db.expire(finding, ["evidence"])


def evidence_project(evidence: Sequence[int]) -> Optional[int]:
    """The one project of these notes (visible ones; None when they span several).

    :raise InvalidInput: naming ids of no (visible) note.
    """
    return _project_of(reading(), notes_by_ids(reading(), evidence))


def _project_of(db: OrmSession, notes: list[Annotation]) -> Optional[int]:
    """The one project all the notes' sessions belong to, else None."""
    if not notes:
        return None
    projects = set(db.execute(
        select(Session.project_id).where(Session.id.in_({note.session_id for note in notes}))).scalars())
    return projects.pop() if len(projects) == 1 else None
