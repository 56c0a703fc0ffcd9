"""What analysis stores: a session's signals, page visits and score, stamped with the
version (detector code + settings) that made them, so a change makes them stale."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from sqlalchemy import delete, insert, select, update

from analysis import AnalysisResult
from server.storage.models import Project, Session, SessionPage, Signal
from server.storage.schedule import ANALYZE, clear_due
from server.storage.unit_of_work import reading, unit_of_work


# A result cut short by analysis.limits is stored as "<version>+partial:<bounds reached>".
PARTIAL_MARK = "+partial:"


def split_version(stored: Optional[str]) -> tuple[Optional[str], tuple[str, ...]]:
    """The version a stored result was made with, and the bounds it was cut at.

    >>> split_version("1:abc+partial:clicks,time"), split_version("1:abc"), split_version(None)
    (('1:abc', ('clicks', 'time')), ('1:abc', ()), (None, ()))
    """
    if stored is None or PARTIAL_MARK not in stored:
        return stored, ()
    version, _, bounds = stored.partition(PARTIAL_MARK)
    return version, tuple(bounds.split(","))


@dataclass(frozen=True)
class AnalysisTarget:
    """What an analysis run needs to know of its session before reading the events."""

    session_id: str
    project_settings: dict
    received_at: int  # the last batch's arrival: results cover what had arrived by then
    batch_count: int = 0  # batches stored by then


def analysis_target(session_id: str) -> Optional[AnalysisTarget]:
    """The session's project settings and last arrival, None when it is gone."""
    row = reading().execute(
        select(Project.settings, Session.last_received_at, Session.batch_count)
        .join(Project, Project.id == Session.project_id).where(Session.id == session_id)
    ).first()
    return None if row is None else AnalysisTarget(session_id, dict(row.settings or {}), row.last_received_at,
                                                   row.batch_count)


def store_analysis(target: AnalysisTarget, result: AnalysisResult, *, version: str, now_ms: int) -> None:
    """Replace the session's signals (and its pages, when analysis found any) and score;
    a partial result is marked so (see :func:`split_version`). The engineer's context
    counters are set from the whole stream too, when no batch arrived since the target
    was read (ingest adds each batch's own; sessions stored before ingest counted them
    get them here).

    :commits: the results, and the end of the due mark unless a batch arrived meanwhile.
    """
    session_id = target.session_id
    if result.partial:
        version += PARTIAL_MARK + ",".join(result.limited_by)
    with unit_of_work() as db:
        db.execute(delete(Signal).where(Signal.session_id == session_id))
        if result.signals:  # one executemany: the writer lock is held for milliseconds, not per row
            db.execute(insert(Signal), [{"session_id": session_id, **_signal_row(signal.to_dict())}
                                        for signal in result.signals])
        if result.pages:  # the analysis' visits are authoritative over what ingest noted
            db.execute(delete(SessionPage).where(SessionPage.session_id == session_id))
            db.add_all(SessionPage(session_id=session_id, url=p.url, ts=p.entered, title=p.title or "")
                       for p in result.pages)
        db.execute(update(Session).where(Session.id == session_id).values(
            frustration_score=result.score, analysis_version=version, analyzed_at=now_ms,
        ))
        counts = result.counts
        db.execute(update(Session).where(Session.id == session_id, Session.batch_count == target.batch_count).values(
            console_error_count=counts["console_errors"], failed_request_count=counts["failed_requests"],
            slowest_request_ms=counts["slowest_request_ms"],
        ))
        clear_due(db, ANALYZE, session_id, received_at=target.received_at)


def _signal_row(signal: dict) -> dict:
    return {
        "kind": signal["kind"], "ts": signal["ts"], "end_ts": signal["end_ts"], "url": signal["url"] or "",
        "x": signal["x"], "y": signal["y"], "target": signal["target"], "count": signal["count"],
        "details": signal["details"] or {},
    }


def mark_stale_analyses(current_version: Callable[[dict], Optional[str]], *, now_ms: int) -> int:
    """Make sessions analysed with another version than ``current_version(project
    settings)`` due again (a project whose version is None is left alone); how many.

    :commits: the due marks.
    """
    projects = reading().execute(select(Project.id, Project.settings)).all()
    marked = 0
    for project_id, settings in projects:
        version = current_version(dict(settings or {}))
        if version is None:
            continue
        with unit_of_work() as db:
            marked += db.execute(update(Session).where(
                Session.project_id == project_id, Session.analysis_due_at.is_(None),
                Session.analysis_version.is_not(None), Session.analysis_version != version,
                ~Session.analysis_version.startswith(version + PARTIAL_MARK, autoescape=True),
            ).values(analysis_due_at=now_ms)).rowcount
    return marked
