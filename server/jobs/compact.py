"""Compaction: a session idle for ``compact_idle_seconds`` is rewritten into its final
form; when its project then has enough history, a dictionary is trained and sessions
compacted before it get one more rewrite. Compacted sessions are analysed once more,
whole.

Idle sessions are found in the database (``sessions_due``), so the background pass
queues them on the job runner like any other job; the CLI runs the same job in place.
"""
from __future__ import annotations

from typing import Optional

from server.runtime import Runtime
from server.storage.compaction import (
    CompactionResult,
    compact_session,
    maybe_train_dictionary,
    project_of,
    sessions_due,
    sessions_without_dictionary,
)
from server.storage.schedule import ANALYZE, mark_due

COMPACT = "compact"


def compact_job(runtime: Runtime, session_id: str) -> Optional[list[CompactionResult]]:
    """Compact one session (and, when that completes its project's history, the
    dictionary rewrite); each session rewritten, in its final form. None if it is gone."""
    project_id = project_of(session_id)
    if project_id is None:
        return None
    first = compact_session(runtime.blobs, runtime.dictionaries, session_id, now_ms=runtime.now_ms())
    results = {r.session_id: r for r in [first, *_train_and_rewrite(runtime, project_id)] if r}
    mark_due(ANALYZE, list(results), at_ms=runtime.now_ms())  # complete now: analyse it once more, whole
    return list(results.values())


def idle_sessions(runtime: Runtime, *, everything: bool = False) -> list[str]:
    """Sessions idle long enough to compact (every uncompacted one with ``everything``)."""
    now = runtime.now_ms()
    idle_before = now + 1 if everything else now - int(runtime.settings.compact_idle_seconds * 1000)
    return sessions_due(idle_before_ms=idle_before)


def compact_idle_sessions(runtime: Runtime, *, everything: bool = False) -> list[CompactionResult]:
    """Compact idle sessions here and now (`replaydesk compact`); one result per session,
    in its final form."""
    final: dict[str, CompactionResult] = {}
    attempted: set[str] = set()
    while due := [sid for sid in idle_sessions(runtime, everything=everything) if sid not in attempted]:
        attempted.update(due)
        for session_id in due:
            final.update((r.session_id, r) for r in compact_job(runtime, session_id) or ())
    return list(final.values())


def _train_and_rewrite(runtime: Runtime, project_id: int) -> list[CompactionResult]:
    trained = maybe_train_dictionary(runtime.blobs, runtime.dictionaries, project_id,
                                     min_sessions=runtime.settings.dictionary_min_sessions, now_ms=runtime.now_ms())
    if trained is None:
        return []
    rewritten = (compact_session(runtime.blobs, runtime.dictionaries, sid, now_ms=runtime.now_ms())
                 for sid in sessions_without_dictionary(project_id))
    return [result for result in rewritten if result]
