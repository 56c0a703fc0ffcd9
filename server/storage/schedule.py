"""Work due on sessions, scheduled in the database rather than in a process's memory,
so nothing is lost when a process dies and several processes share the work.

Each background job has a ``<job>_due_at`` column on the session. A claim turns the due
time into a lease (a crashed worker's session becomes due again when it ends), and a
finished run clears the mark only if no batch arrived meanwhile; otherwise the session
stays due and runs again.
"""
from __future__ import annotations

from typing import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session as OrmSession

from server.storage.models import Session
from server.storage.unit_of_work import reading, unit_of_work

ANALYZE = "analyze"
CACHE_ASSETS = "cache_assets"
_DUE_AT = {ANALYZE: Session.analysis_due_at, CACHE_ASSETS: Session.assets_due_at}

# A batch that may name a stylesheet or font makes asset caching due this soon, and a
# later batch never postpones it: what a page names is fetched while the site still
# serves it (the batches of a few seconds are scanned together). Analysis instead waits
# for the session to go quiet.
ASSETS_DELAY_MS = 2000


def claim_due_sessions(job: str, *, now_ms: int, lease_ms: int, limit: int) -> list[str]:
    """Take a lease on sessions whose ``job`` is due; each id is claimed by one worker.

    Fair between projects: projects take turns (each one's longest-waiting session,
    then each one's second, ...), so one project's flood of sessions does not hold back
    the others' behind it.

    :commits: the leases.
    """
    if limit <= 0:
        return []
    due_at = _DUE_AT[job]
    turn = func.row_number().over(partition_by=Session.project_id, order_by=(due_at, Session.id))
    waiting = select(Session.id, due_at.label("due_at"), turn.label("turn")).where(due_at <= now_ms).subquery()
    due = reading().execute(
        select(waiting.c.id, waiting.c.due_at).where(waiting.c.turn <= limit)
        .order_by(waiting.c.turn, waiting.c.due_at).limit(limit)
    ).all()
    if not due:
        return []
    claimed = []
    with unit_of_work() as db:
        for session_id, was_due_at in due:
            taken = db.execute(update(Session).where(Session.id == session_id, due_at == was_due_at)
                               .values({due_at: now_ms + lease_ms})).rowcount
            if taken:
                claimed.append(session_id)
    return claimed


def mark_due(job: str, session_ids: Sequence[str], *, at_ms: int) -> int:
    """Make ``job`` due at ``at_ms`` on these sessions; how many exist.

    :commits: the due marks.
    """
    if not session_ids:
        return 0
    with unit_of_work() as db:
        return db.execute(update(Session).where(Session.id.in_(session_ids))
                          .values({_DUE_AT[job]: at_ms})).rowcount


def clear_due(db: OrmSession, job: str, session_id: str, *, received_at: int) -> None:
    """Inside a unit of work: ``job`` is done for what had arrived by ``received_at``
    (a later batch leaves the session due, so the job runs again)."""
    db.execute(update(Session).where(Session.id == session_id, Session.last_received_at == received_at)
               .values({_DUE_AT[job]: None}))


def finish_due(job: str, session_id: str, *, received_at: int, again_at: int | None = None) -> None:
    """``job`` is done for what had arrived by ``received_at``. When a batch arrived
    since, the mark is kept; with ``again_at`` it becomes due then (else it would wait for
    the claim's lease to end, if that batch did not make the job due itself).

    :commits: the end of the due mark, or its new time.
    """
    with unit_of_work() as db:
        clear_due(db, job, session_id, received_at=received_at)
        if again_at is not None:
            db.execute(update(Session).where(Session.id == session_id, Session.last_received_at != received_at)
                       .values({_DUE_AT[job]: again_at}))
