"""Claim the sessions whose work is due and hand them to the job runner (here, or RQ
workers). What is due lives in the database (see ``server/storage/schedule.py``)."""
from __future__ import annotations

from server.runtime import Runtime
from server.storage.schedule import claim_due_sessions

# A claimed job becomes due again after this long if its worker died.
LEASE_MS = 5 * 60 * 1000
# Sessions claimed per job and pass; the pass repeats every second.
CLAIM_BATCH = 20


def claim_due(runtime: Runtime, job: str, *, limit: int = CLAIM_BATCH) -> list[str]:
    """Take a lease on sessions whose ``job`` is due; each id is claimed by one worker."""
    return claim_due_sessions(job, now_ms=runtime.now_ms(), lease_ms=LEASE_MS, limit=limit)


def run_due_jobs(runtime: Runtime, job: str) -> int:
    """Claim what is due for ``job`` (as much as the runner has room for) and run or
    queue it; how many were run or queued."""
    return runtime.jobs.submit(job, claim_due(runtime, job, limit=runtime.jobs.room(CLAIM_BATCH)))
