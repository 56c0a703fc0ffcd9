"""Where claimed analyses run: in the claiming process (default), or on RQ workers
through Redis when ``REPLAYDESK_REDIS_URL`` is set (`replaydesk worker`; `serve`
starts one). Claims are leases in the database either way, so a job lost with a
worker is claimed and queued again when its lease ends."""
from __future__ import annotations

from typing import Protocol, Sequence

from redis import Redis
from rq import Queue

ANALYZE_JOB = "server.jobs.tasks.analyze_job"
# An analysis job that runs longer than this is failed by RQ (its lease later expires).
JOB_TIMEOUT_S = 600


class JobRunner(Protocol):
    def submit(self, db, runtime, session_ids: Sequence[str]) -> int: ...


class InProcessRunner:
    """Analyse in the calling thread (the server's background worker)."""

    def submit(self, db, runtime, session_ids: Sequence[str]) -> int:
        from server.jobs.analyze import analyze_session

        return sum(1 for sid in session_ids if analyze_session(db, runtime, sid) is not None)


class RedisRunner:
    """Hand analyses to RQ workers."""

    def __init__(self, redis_url: str, queue_name: str) -> None:
        self.queue = Queue(queue_name, connection=Redis.from_url(redis_url))

    def submit(self, db, runtime, session_ids: Sequence[str]) -> int:
        for session_id in session_ids:
            self.queue.enqueue(ANALYZE_JOB, session_id, job_timeout=JOB_TIMEOUT_S, result_ttl=0)
        return len(session_ids)


def runner_for(redis_url: str | None, queue_name: str) -> JobRunner:
    return RedisRunner(redis_url, queue_name) if redis_url else InProcessRunner()
