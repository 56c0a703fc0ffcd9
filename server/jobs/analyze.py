"""Analysis off the request path: load a session's events, run ``analysis.analyze``,
store signals, page visits and the score, stamped with the version that made them.

Due work lives in ``sessions.analysis_due_at``: ingest pushes it a few seconds into
the future on every batch (so analysis runs once a session goes quiet), a claim
turns it into a lease (a crashed worker's session becomes due again), and a finished
run clears it only if no batch arrived meanwhile.
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session as OrmSession

from analysis import ANALYSIS_VERSION, AnalysisResult, DetectorConfig, analyze
from server.runtime import Runtime
from server.storage.events import read_all_events
from server.storage.models import Project, Session, SessionPage, Signal

# A claimed analysis becomes due again after this long if its worker died.
LEASE_MS = 5 * 60 * 1000
# Sessions claimed per pass; the pass repeats every second.
CLAIM_BATCH = 20


def detector_config(project: Project) -> DetectorConfig:
    """The project's detector settings over the SPEC defaults.

    :raise ValueError: when stored overrides are invalid.
    """
    settings = project.settings or {}
    overrides = dict(settings.get("detectors") or {})
    if settings.get("goal_urls"):
        overrides["goal_url_patterns"] = tuple(settings["goal_urls"])
    return DetectorConfig.from_dict(overrides)


def version_of(config: DetectorConfig) -> str:
    """What a stored result was made with: detector code version + settings."""
    return f"{ANALYSIS_VERSION}:{config.fingerprint()}"


def analyze_session(db: OrmSession, runtime: Runtime, session_id: str) -> Optional[AnalysisResult]:
    """Analyse one session now and store the result (commits). None if it is gone."""
    session = db.get(Session, session_id)
    if session is None:
        return None
    config = detector_config(session.project)
    received_at = session.last_received_at
    events = read_all_events(runtime.blobs, runtime.dictionaries, session_id)
    db.rollback()  # end the read snapshot before writing
    result = analyze(events, config)
    with runtime.write_lock:
        _store_result(db, session_id, result, version_of(config), runtime.now_ms(), received_at)
    return result


def _store_result(db: OrmSession, session_id: str, result: AnalysisResult, version: str, now_ms: int,
                  received_at: int) -> None:
    db.execute(delete(Signal).where(Signal.session_id == session_id))
    db.add_all(Signal(session_id=session_id, **_signal_row(signal.to_dict())) for signal in result.signals)
    if result.pages:  # the analysis' visits are authoritative over what ingest noted
        db.execute(delete(SessionPage).where(SessionPage.session_id == session_id))
        db.add_all(SessionPage(session_id=session_id, url=p.url, ts=p.entered, title=p.title or "") for p in result.pages)
    db.execute(update(Session).where(Session.id == session_id).values(
        frustration_score=result.score, analysis_version=version, analyzed_at=now_ms,
    ))
    # Clear the due mark only if no batch arrived while we worked; otherwise run again.
    db.execute(update(Session).where(Session.id == session_id, Session.last_received_at == received_at)
               .values(analysis_due_at=None))
    db.commit()


def _signal_row(signal: dict) -> dict:
    return {
        "kind": signal["kind"], "ts": signal["ts"], "end_ts": signal["end_ts"], "url": signal["url"] or "",
        "x": signal["x"], "y": signal["y"], "target": signal["target"], "count": signal["count"],
        "details": signal["details"] or {},
    }


def claim_due_sessions(db: OrmSession, runtime: Runtime, *, limit: int = CLAIM_BATCH) -> list[str]:
    """Take a lease on sessions whose analysis is due; each id is claimed by one worker."""
    now = runtime.now_ms()
    due = db.execute(
        select(Session.id, Session.analysis_due_at).where(Session.analysis_due_at <= now)
        .order_by(Session.analysis_due_at).limit(limit)
    ).all()
    db.rollback()
    claimed = []
    with runtime.write_lock:
        for session_id, due_at in due:
            taken = db.execute(update(Session).where(Session.id == session_id, Session.analysis_due_at == due_at)
                               .values(analysis_due_at=now + LEASE_MS)).rowcount
            if taken:
                claimed.append(session_id)
        db.commit()
    return claimed


def mark_stale_sessions(db: OrmSession, runtime: Runtime) -> int:
    """Make sessions analysed with other settings or older detectors due again."""
    marked = 0
    now = runtime.now_ms()
    for project in db.execute(select(Project)).scalars().all():
        try:
            current = version_of(detector_config(project))
        except ValueError:
            continue  # invalid stored settings are reported where they are edited
        with runtime.write_lock:
            marked += db.execute(update(Session).where(
                Session.project_id == project.id, Session.analysis_due_at.is_(None),
                Session.analysis_version.is_not(None), Session.analysis_version != current,
            ).values(analysis_due_at=now)).rowcount
            db.commit()
    return marked


def run_due_analyses(db: OrmSession, runtime: Runtime) -> int:
    """One pass of the background worker: claim what is due and run it (here, or on
    RQ workers). Returns how many were run or queued."""
    return runtime.jobs.submit(db, runtime, claim_due_sessions(db, runtime))
