"""Reading and writing notes and findings. Each function documents what it commits."""
from __future__ import annotations

from typing import Iterable, Optional, Sequence

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session as OrmSession

from server.errors import BadRequest, NotFound
from server.review import fields
from server.review.shapes import Clip, clip_of, finding_dict
from server.storage.models import Annotation, Finding, Session, SessionPage


def get_annotation(db: OrmSession, annotation_id: int) -> Annotation:
    """:raise NotFound: when no note has this id."""
    found = db.get(Annotation, annotation_id)
    if found is None:
        raise NotFound(f"No annotation {annotation_id}.")
    return found


def get_finding(db: OrmSession, finding_id: int) -> Finding:
    """:raise NotFound: when no finding has this id."""
    found = db.get(Finding, finding_id)
    if found is None:
        raise NotFound(f"No finding {finding_id}.")
    return found


def check_finding_exists(db: OrmSession, finding_id: Optional[int]) -> None:
    """:raise BadRequest: for a finding id that does not exist (the body is wrong, not the URL)."""
    if finding_id is not None and db.get(Finding, finding_id) is None:
        raise BadRequest(f"finding_id {finding_id} does not exist.")


def latest_moment(session: Session, runtime) -> int:
    """The latest moment a note may point at: the session's end, or now while it is live
    (observers note what they see before its batches arrive)."""
    if session.last_received_at >= runtime.live_since_ms():
        return max(session.ended_at, runtime.now_ms())
    return session.ended_at


def add_note(db: OrmSession, session: Session, body: dict, *, author: str, now_ms: int, latest_ms: int) -> Annotation:
    """Validate ``{ts, text, tags?, severity?, finding_id?}`` and add the note (the caller
    commits). Used by the REST API and by live rooms, so both store notes alike.

    :raise BadRequest: naming the first invalid field; nothing is added.
    """
    ts = fields.resolve_ts(body.get("ts"), started_at=session.started_at, latest_ms=latest_ms)
    text = fields.parse_text("text", body.get("text"), limit=fields.MAX_TEXT, required=True)
    tags = fields.parse_tags(body.get("tags"))
    severity = fields.parse_severity(body.get("severity"))
    finding_id = fields.parse_optional_id("finding_id", body.get("finding_id"))
    check_finding_exists(db, finding_id)
    note = Annotation(session_id=session.id, ts=ts, text=text, tags=tags, severity=severity, finding_id=finding_id,
                      author=author, created_at=now_ms, updated_at=now_ms)
    db.add(note)
    return note


def load_annotations(db: OrmSession, ids: Sequence[int]) -> list[Annotation]:
    """The notes with these ids, in the order given.

    :raise BadRequest: naming the ids that do not exist.
    """
    if not ids:
        return []
    rows = {row.id: row for row in db.execute(select(Annotation).where(Annotation.id.in_(ids))).scalars()}
    missing = [i for i in ids if i not in rows]
    if missing:
        raise BadRequest(f"Unknown annotation ids in evidence: {missing}.")
    return [rows[i] for i in ids]


def page_at(db: OrmSession, session_id: str, ts: int) -> str:
    """The URL a session was on at ``ts`` (its last navigation at or before it)."""
    url = db.execute(
        select(SessionPage.url).where(SessionPage.session_id == session_id, SessionPage.ts <= ts)
        .order_by(SessionPage.ts.desc()).limit(1)
    ).scalar()
    return url or ""


def clips_for(db: OrmSession, annotations: Iterable[Annotation], public_url: str) -> list[Clip]:
    annotations = list(annotations)
    starts = dict(db.execute(
        select(Session.id, Session.started_at).where(Session.id.in_({a.session_id for a in annotations}))
    ).all()) if annotations else {}
    return [clip_of(a, starts[a.session_id], public_url, page_at(db, a.session_id, a.ts)) for a in annotations]


def finding_json(db: OrmSession, finding: Finding, public_url: str) -> dict:
    return finding_dict(finding, clips_for(db, finding.evidence, public_url))


def set_evidence(db: OrmSession, finding: Finding, annotations: list[Annotation]) -> None:
    """Make exactly these notes the finding's evidence (a note moves from any other
    finding: it backs one finding at most). Flushes, does not commit."""
    released = update(Annotation).where(Annotation.finding_id == finding.id)
    if annotations:
        released = released.where(Annotation.id.not_in([a.id for a in annotations]))
    db.execute(released.values(finding_id=None))
    for annotation in annotations:
        annotation.finding_id = finding.id
    db.flush()
    db.expire(finding, ["evidence"])


def project_of(db: OrmSession, annotations: list[Annotation]) -> Optional[int]:
    """The one project all evidence comes from, else None."""
    projects = set(db.execute(
        select(Session.project_id).where(Session.id.in_({a.session_id for a in annotations}))
    ).scalars()) if annotations else set()
    return projects.pop() if len(projects) == 1 else None


def _contains(column, text: str):
    """Case-insensitive substring match with LIKE wildcards taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped}%", escape="\\")


def list_findings(db: OrmSession, *, status: Optional[str] = None, text: Optional[str] = None,
                  tag: Optional[str] = None) -> list[Finding]:
    """Findings, most severe first, then newest."""
    query = select(Finding)
    if status:
        query = query.where(Finding.status == status)
    if text:
        query = query.where(or_(_contains(Finding.title, text), _contains(Finding.description, text)))
    rows = db.execute(query.order_by(Finding.severity.desc(), Finding.created_at.desc(), Finding.id.desc())).scalars().all()
    if tag:  # JSON columns differ per database; a team has few findings, so filter here
        rows = [row for row in rows if tag.lower() in {t.lower() for t in row.tags or []}]
    return rows


def list_annotations(db: OrmSession, *, unassigned: bool = False, finding_id: Optional[int] = None,
                     text: Optional[str] = None, limit: int = 200, before_id: Optional[int] = None) -> list[Annotation]:
    """Notes across sessions, newest first (by id, so paging is stable)."""
    query = select(Annotation)
    if unassigned:
        query = query.where(Annotation.finding_id.is_(None))
    if finding_id is not None:
        query = query.where(Annotation.finding_id == finding_id)
    if text:
        query = query.where(_contains(Annotation.text, text))
    if before_id is not None:
        query = query.where(Annotation.id < before_id)
    return list(db.execute(query.order_by(Annotation.id.desc()).limit(limit)).scalars())
