"""Compaction pass: compact idle sessions, then train a dictionary when the project
has enough history, and give sessions compacted before it one more rewrite."""
from __future__ import annotations

from sqlalchemy import select, update

from server.runtime import Runtime
from server.storage.compaction import (
    CompactionResult,
    compact_session,
    maybe_train_dictionary,
    sessions_due,
    sessions_without_dictionary,
)
from server.storage.models import Session


def compact_idle_sessions(db, runtime: Runtime, *, everything: bool = False) -> list[CompactionResult]:
    """Compact sessions idle for ``compact_idle_seconds`` (all sessions with ``everything``);
    one result per session, in its final form."""
    now = runtime.now_ms()
    idle_before = now + 1 if everything else now - int(runtime.settings.compact_idle_seconds * 1000)
    results: list[CompactionResult] = []
    projects: set[int] = set()
    attempted: set[str] = set()
    while True:
        due = [sid for sid in sessions_due(db, idle_before_ms=idle_before) if sid not in attempted]
        if not due:
            break
        attempted.update(due)
        for session_id in due:
            result = compact_session(db, runtime.blobs, runtime.dictionaries, session_id, now_ms=runtime.now_ms())
            if result:
                results.append(result)
        projects.update(db.execute(select(Session.project_id).where(Session.id.in_(due))).scalars())
        db.rollback()
    for project_id in projects:
        results.extend(_train_and_rewrite(db, runtime, project_id))
    final = {result.session_id: result for result in results}  # a rewrite supersedes the first pass
    _analyze_again(db, runtime, list(final))
    return list(final.values())


def _analyze_again(db, runtime: Runtime, session_ids: list[str]) -> None:
    """Compaction means the session is complete: analyse it once more, whole."""
    if not session_ids:
        return
    with runtime.write_lock:
        db.execute(update(Session).where(Session.id.in_(session_ids)).values(analysis_due_at=runtime.now_ms()))
        db.commit()


def _train_and_rewrite(db, runtime: Runtime, project_id: int) -> list[CompactionResult]:
    trained = maybe_train_dictionary(
        db, runtime.blobs, runtime.dictionaries, project_id,
        min_sessions=runtime.settings.dictionary_min_sessions, now_ms=runtime.now_ms(),
    )
    if trained is None:
        return []
    rewritten = []
    for session_id in sessions_without_dictionary(db, project_id):
        result = compact_session(db, runtime.blobs, runtime.dictionaries, session_id, now_ms=runtime.now_ms())
        if result:
            rewritten.append(result)
    return rewritten
