"""Where claimed jobs run: in the claiming process (default), or on RQ workers through
Redis when ``REPLAYDESK_REDIS_URL`` is set (`replaydesk worker`; `serve` starts one).
Claims are leases in the database either way, so a job lost with a worker is claimed
and queued again when its lease ends. Both runners are ``server.runtime.JobRunner``s."""
from __future__ import annotations

import logging
from typing import Sequence

from redis import Redis
from rq import Queue

from server.jobs.tasks import run_job
from server.runtime import JobRunner

log = logging.getLogger(__name__)

RUN_JOB = "server.jobs.tasks.run_job"
# A job that runs longer than this is failed by RQ (its lease later expires).
JOB_TIMEOUT_S = 600


class InProcessRunner:
    """Run jobs in the calling thread (the server's background worker)."""

    def submit(self, job: str, session_ids: Sequence[str]) -> int:
        done = 0
        for session_id in session_ids:
            try:
                done += run_job(job, session_id)
            except Exception:  # noqa: BLE001 - one broken session must not starve the others; its lease retries it
                log.exception("%s of session %s failed", job, session_id)
        return done


class RedisRunner:
    """Hand jobs to RQ workers."""

    def __init__(self, redis_url: str, queue_name: str) -> None:
        self.queue = Queue(queue_name, connection=Redis.from_url(redis_url))

    def submit(self, job: str, session_ids: Sequence[str]) -> int:
        for session_id in session_ids:
            self.queue.enqueue(RUN_JOB, job, session_id, job_timeout=JOB_TIMEOUT_S, result_ttl=0)
        return len(session_ids)


def runner_for(redis_url: str | None, queue_name: str) -> JobRunner:
    return RedisRunner(redis_url, queue_name) if redis_url else InProcessRunner()
