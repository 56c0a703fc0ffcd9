"""Compaction pass: compact idle sessions, then train a dictionary when the project
has enough history, and give sessions compacted before it one more rewrite."""
from __future__ import annotations

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


def compact_idle_sessions(runtime: Runtime, *, everything: bool = False) -> list[CompactionResult]:
    """Compact sessions idle for ``compact_idle_seconds`` (all sessions with ``everything``);
    one result per session, in its final form."""
    now = runtime.now_ms()
    idle_before = now + 1 if everything else now - int(runtime.settings.compact_idle_seconds * 1000)
    results: list[CompactionResult] = []
    projects: set[int] = set()
    attempted: set[str] = set()
    while True:
        due = [sid for sid in sessions_due(idle_before_ms=idle_before) if sid not in attempted]
        if not due:
            break
        attempted.update(due)
        for session_id in due:
            projects.add(project_of(session_id))
            result = compact_session(runtime.blobs, runtime.dictionaries, session_id, now_ms=runtime.now_ms())
            if result:
                results.append(result)
    for project_id in projects - {None}:
        results.extend(_train_and_rewrite(runtime, project_id))
    final = {result.session_id: result for result in results}  # a rewrite supersedes the first pass
    # Compaction means the session is complete: analyse it once more, whole.
    mark_due(ANALYZE, list(final), at_ms=runtime.now_ms())
    return list(final.values())


def _train_and_rewrite(runtime: Runtime, project_id: int) -> list[CompactionResult]:
    trained = maybe_train_dictionary(runtime.blobs, runtime.dictionaries, project_id,
                                     min_sessions=runtime.settings.dictionary_min_sessions, now_ms=runtime.now_ms())
    if trained is None:
        return []
    rewritten = []
    for session_id in sessions_without_dictionary(project_id):
        result = compact_session(runtime.blobs, runtime.dictionaries, session_id, now_ms=runtime.now_ms())
        if result:
            rewritten.append(result)
    return rewritten
