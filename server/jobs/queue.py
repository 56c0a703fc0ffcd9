"""Where claimed jobs run: in the claiming process (default), or on RQ workers through
Redis when ``REPLAYDESK_REDIS_URL`` is set (`replaydesk worker`; `serve` starts one).
Claims are leases in the database either way, so a job lost with a worker is claimed
and queued again when its lease ends. Both runners are ``server.runtime.JobRunner``s.

Redis being down stops no work: a job that cannot be queued runs in the claiming
process instead (logged once per outage), and `replaydesk worker` waits for Redis
rather than exiting, at start as later (RQ reconnects a running worker itself)."""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Optional, Sequence

from flask import current_app

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker

from server.clips.job import RENDER_CLIP
from server.jobs.tasks import run_job
from server.runtime import JobRunner

log = logging.getLogger(__name__)

RUN_JOB = "server.jobs.tasks.run_job"
# A job that runs longer than this is failed by RQ (its lease later expires).
JOB_TIMEOUT_S = 600
# Claim no more while this many jobs wait in the queue: the rest stays due in the
# database, where claims take turns between projects (a FIFO queue would not).
MAX_QUEUED = 40
# Enqueueing must not hold the background pass when Redis hangs.
REDIS_TIMEOUT_S = 2.0
# `replaydesk worker` asks Redis again this often while it is unreachable.
RECONNECT_S = 2.0
# Jobs that take minutes: in-process, they run in a lane of their own.
LONG_JOBS = frozenset({RENDER_CLIP})


class InProcessRunner:
    """Run jobs in the calling thread (the server's background worker); jobs that take
    minutes (``LONG_JOBS``: clip renders) run one at a time in a lane of their own, so
    analysis, asset caching and webhook deliveries never wait behind them."""

    def __init__(self) -> None:
        self._lane = ThreadPoolExecutor(max_workers=1, thread_name_prefix="replaydesk-long-job")
        self._lane_busy = threading.Event()
        self._lane_job: Optional[Future] = None

    def room(self, wanted: int, job: Optional[str] = None) -> int:
        if job in LONG_JOBS:
            return 0 if self._lane_busy.is_set() else min(wanted, 1)
        return wanted  # jobs run as they are handed over

    def submit(self, job: str, session_ids: Sequence[str]) -> int:
        if job in LONG_JOBS and session_ids:
            return self._start_in_lane(job, session_ids[0])
        done = 0
        for session_id in session_ids:
            done += self._run(job, session_id)
        return done

    def _run(self, job: str, subject_id: str) -> bool:
        try:
            return run_job(job, subject_id)
        except Exception:  # noqa: BLE001 - one broken session must not starve the others; its lease retries it
            log.exception("%s of %s failed", job, subject_id)
            return False

    def _start_in_lane(self, job: str, subject_id: str) -> int:
        app = current_app._get_current_object()  # the lane's thread has no app context of its own
        self._lane_busy.set()

        def run() -> None:
            try:
                with app.app_context():
                    self._run(job, subject_id)
            finally:
                self._lane_busy.clear()

        self._lane_job = self._lane.submit(run)
        return 1

    def wait_for_long_jobs(self, timeout: Optional[float] = None) -> None:
        """Until the long job in the lane (if any) has ended (tests, orderly shutdown)."""
        if self._lane_job is not None:
            self._lane_job.result(timeout)


class RedisRunner:
    """Hand jobs to RQ workers; run them here while Redis cannot take them."""

    def __init__(self, redis_url: str, queue_name: str, fallback: Optional[JobRunner] = None) -> None:
        connection = Redis.from_url(redis_url, socket_timeout=REDIS_TIMEOUT_S, socket_connect_timeout=REDIS_TIMEOUT_S)
        self.queue = Queue(queue_name, connection=connection)
        self.fallback = fallback or InProcessRunner()
        self._redis_down = False

    def room(self, wanted: int, job: Optional[str] = None) -> int:
        try:
            return max(0, min(wanted, MAX_QUEUED - self.queue.count))
        except RedisError:
            return wanted  # submit runs them here

    def submit(self, job: str, session_ids: Sequence[str]) -> int:
        for done, session_id in enumerate(session_ids):
            try:
                self.queue.enqueue(RUN_JOB, job, session_id, job_timeout=JOB_TIMEOUT_S, result_ttl=0)
            except RedisError as error:
                if not self._redis_down:
                    log.warning("Redis does not take jobs (%s): running them in this process until it does",
                                type(error).__name__)
                self._redis_down = True
                return done + self.fallback.submit(job, session_ids[done:])
        if self._redis_down and session_ids:
            log.warning("Redis takes jobs again")
            self._redis_down = False
        return len(session_ids)


def runner_for(redis_url: str | None, queue_name: str) -> JobRunner:
    return RedisRunner(redis_url, queue_name) if redis_url else InProcessRunner()


def work(redis_url: str, queue_name: str, *, burst: bool = False, sleep: Callable[[float], None] = time.sleep) -> None:
    """Run queued jobs in this process (inside the caller's app context) until stopped,
    or with ``burst`` until the queue is empty; while Redis is unreachable at start, wait
    and ask again every ``RECONNECT_S`` instead of exiting."""
    waiting = False
    while True:
        connection = Redis.from_url(redis_url)
        try:
            connection.ping()
        except RedisError as error:
            if not waiting:
                log.warning("Redis is unreachable (%s); the worker starts once it answers", type(error).__name__)
            waiting = True
            sleep(RECONNECT_S)
            continue
        # SimpleWorker runs jobs in this process, inside the caller's app context.
        SimpleWorker([Queue(queue_name, connection=connection)], connection=connection).work(
            burst=burst, with_scheduler=False, logging_level="WARNING")
        return
