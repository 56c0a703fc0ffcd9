"""The session list: filters, sorted pages with cursors, and what each row shows
(signal counts, variants, page entries), each in one query for a page of sessions."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

from sqlalchemy import Select, and_, exists, func, or_, select

from server.storage.errors import InvalidInput
from server.storage.models import (Annotation, Participant, Session, SessionMark, SessionPage, SessionVariant, Signal,
                                   Study)
from server.storage.scope import confined, visible, visible_sessions
from server.storage.text_match import contains, contains_ignoring_case
from server.storage.unit_of_work import reading
from server.storage.watches import is_watched_by

SORTS = {
    "-started_at": (Session.started_at, "desc"),
    "started_at": (Session.started_at, "asc"),
    "-frustration": (Session.frustration_score, "desc"),
    "-duration": (Session.ended_at - Session.started_at, "desc"),
}


@dataclass(frozen=True)
class SessionFilters:
    project_id: Optional[int] = None
    since: Optional[int] = None  # epoch ms, on started_at
    until: Optional[int] = None
    url: Optional[str] = None
    signals: Sequence[str] = field(default_factory=tuple)
    variant: Optional[tuple[str, str]] = None
    study: Optional[str] = None
    participant: Optional[str] = None
    distinct_id: Optional[str] = None
    min_duration_ms: Optional[int] = None
    text: Optional[str] = None
    live_since: Optional[int] = None  # last batch received at or after this (epoch ms)
    console_errors: bool = False  # at least one console entry of level error
    failed_requests: bool = False  # at least one request answered >= 400, or not at all
    slow_request_ms: Optional[int] = None  # a request took at least this long
    event_tags: Sequence[str] = field(default_factory=tuple)  # the product's own event tags, each present
    watched: Optional[bool] = None  # opened (True) or never opened (False) by the reviewer `watcher`
    watcher: Optional[int] = None  # a user id


def _filtered(filters: SessionFilters) -> Select:
    query = confined(select(Session), Session.project_id)
    conditions = []
    if filters.project_id is not None:
        conditions.append(Session.project_id == filters.project_id)
    if filters.since is not None:
        conditions.append(Session.started_at >= filters.since)
    if filters.until is not None:
        conditions.append(Session.started_at < filters.until)
    if filters.url:
        conditions.append(exists().where(SessionPage.session_id == Session.id, contains(SessionPage.url, filters.url)))
    for kind in filters.signals:
        conditions.append(exists().where(Signal.session_id == Session.id, Signal.kind == kind))
    if filters.variant:
        experiment, variant = filters.variant
        conditions.append(exists().where(
            SessionVariant.session_id == Session.id, SessionVariant.experiment == experiment,
            SessionVariant.variant == variant,
        ))
    for column, value in ((Session.study, filters.study), (Session.distinct_id, filters.distinct_id)):
        if value is not None:
            conditions.append(column == value)
    if filters.participant is not None:
        conditions.append(is_participant(filters.participant))
    if filters.min_duration_ms is not None:
        conditions.append(Session.ended_at - Session.started_at >= filters.min_duration_ms)
    if filters.text:
        conditions.append(exists().where(
            Annotation.session_id == Session.id, contains_ignoring_case(Annotation.text, filters.text)))
    if filters.live_since is not None:
        conditions.append(Session.last_received_at >= filters.live_since)
    if filters.console_errors:
        conditions.append(Session.console_error_count > 0)
    if filters.failed_requests:
        conditions.append(Session.failed_request_count > 0)
    if filters.slow_request_ms is not None:
        conditions.append(Session.slowest_request_ms >= filters.slow_request_ms)
    for tag in filters.event_tags:
        conditions.append(exists().where(SessionMark.session_id == Session.id, SessionMark.kind == "custom",
                                         SessionMark.name == tag))
    if filters.watched is not None and filters.watcher is not None:
        watched = is_watched_by(filters.watcher)
        conditions.append(watched if filters.watched else ~watched)
    return query.where(and_(*conditions)) if conditions else query


def is_participant(value: str):
    """A condition on Session: its participant is ``value``, by the code the SDK sends or
    by the label the study gave that participant (people know "Maria", not "p-3fK9a")."""
    labelled = (select(Participant.code).join(Study, Study.id == Participant.study_id)
                .where(Participant.label == value, Study.slug == Session.study))
    return or_(Session.participant == value, Session.participant.in_(labelled))


def count_sessions(filters: SessionFilters) -> int:
    """How many sessions the filters select, over every page."""
    return reading().execute(select(func.count()).select_from(_filtered(filters).subquery())).scalar_one()


def participant_labels(sessions: Sequence[Session]) -> dict[str, str]:
    """``{session_id: the label its study gave its participant}``, for those that have one."""
    wanted: dict[tuple[str, str], list[str]] = {}
    for row in sessions:
        if row.study and row.participant:
            wanted.setdefault((row.study, row.participant), []).append(row.id)
    if not wanted:
        return {}
    rows = reading().execute(
        select(Study.slug, Participant.code, Participant.label).join(Study, Study.id == Participant.study_id)
        .where(Participant.code.in_({code for _, code in wanted}), Study.slug.in_({study for study, _ in wanted}))).all()
    return {session_id: label for slug, code, label in rows if label
            for session_id in wanted.get((slug, code), ())}


def session_ids(filters: SessionFilters) -> Select:
    """A subquery of the ids of sessions the filters select."""
    return _filtered(filters).with_only_columns(Session.id)


def list_sessions(
    filters: SessionFilters, *, sort: str = "-started_at", limit: int = 50,
    after: Optional[tuple] = None,
) -> tuple[list[Session], Optional[tuple]]:
    """One page of sessions and the ``(sort value, id)`` key to continue after, if any.

    :raise InvalidInput: for an unknown sort.
    """
    if sort not in SORTS:
        raise InvalidInput(f"sort must be one of {', '.join(SORTS)}.")
    column, direction = SORTS[sort]
    query = _filtered(filters)
    if after is not None:
        value, last_id = after
        if direction == "desc":
            query = query.where(or_(column < value, and_(column == value, Session.id < last_id)))
        else:
            query = query.where(or_(column > value, and_(column == value, Session.id > last_id)))
    order = (column.desc(), Session.id.desc()) if direction == "desc" else (column.asc(), Session.id.asc())
    rows = reading().execute(query.order_by(*order).limit(limit + 1)).scalars().all()
    page = list(rows[:limit])
    if len(rows) <= limit or not page:
        return page, None
    last = page[-1]
    sort_value = {
        "-started_at": last.started_at, "started_at": last.started_at,
        "-frustration": last.frustration_score, "-duration": last.duration_ms,
    }[sort]
    return page, (sort_value, last.id)


def signal_counts(session_ids: Sequence[str]) -> dict[str, dict[str, int]]:
    """``{session_id: {kind: n}}`` for a page of sessions, in one query."""
    if not session_ids:
        return {}
    rows = reading().execute(
        select(Signal.session_id, Signal.kind, func.count())
        .where(Signal.session_id.in_(session_ids))
        .group_by(Signal.session_id, Signal.kind)
    ).all()
    counts: dict[str, dict[str, int]] = {}
    for session_id, kind, n in rows:
        counts.setdefault(session_id, {})[kind] = n
    return counts


def variants_of(session_ids: Sequence[str]) -> dict[str, dict[str, str]]:
    """``{session_id: {experiment: variant}}``."""
    if not session_ids:
        return {}
    rows = reading().execute(select(SessionVariant).where(SessionVariant.session_id.in_(session_ids))).scalars()
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        found.setdefault(row.session_id, {})[row.experiment] = row.variant
    return found


def page_counts(session_ids: Sequence[str]) -> dict[str, int]:
    """Number of page entries per session."""
    if not session_ids:
        return {}
    rows = reading().execute(
        select(SessionPage.session_id, func.count()).where(SessionPage.session_id.in_(session_ids))
        .group_by(SessionPage.session_id)
    ).all()
    return dict(rows)


def variant_choices() -> list[str]:
    """Every ``experiment:variant`` some session was assigned, in order."""
    rows = reading().execute(select(SessionVariant.experiment, SessionVariant.variant).distinct()
                             .where(visible_sessions(SessionVariant.session_id))
                             .order_by(SessionVariant.experiment, SessionVariant.variant)).all()
    return [f"{experiment}:{variant}" for experiment, variant in rows]


def study_choices() -> list[str]:
    """Every study name sessions were recorded for, in order."""
    return list(reading().execute(
        select(Session.study).distinct().where(Session.study.is_not(None), visible(Session.project_id))
        .order_by(Session.study)).scalars())
