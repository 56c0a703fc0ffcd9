"""The background worker thread each server process runs: every second it claims the
sessions whose analysis or asset caching is due, the webhook deliveries due a try and a
video clip due a render, and every half minute it looks for stale analyses and sessions
idle long enough to compact. All of it goes to the one job
runner (``runtime.jobs``): run here, or queued for RQ workers with Redis.

Due work is found in the database, not in memory, so nothing is lost when a process
dies, and several processes share the work (claims are leases; see
``server/storage/schedule.py``).
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from flask import Flask, current_app

from server.clips.job import run_due_clips
from server.jobs.analyze import mark_stale_sessions
from server.jobs.compact import COMPACT, idle_sessions
from server.jobs.due import run_due_jobs
from server.runtime import Runtime, current_runtime
from server.storage.schedule import ANALYZE, CACHE_ASSETS
from server.webhooks.deliver import run_due_deliveries

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
# Compaction and stale-version scans are cheap but need not run every second.
COMPACT_EVERY_POLLS = 30


class BackgroundWorker(threading.Thread):
    def __init__(self, app: Flask) -> None:
        super().__init__(name="replaydesk-jobs", daemon=True)
        self.app = app
        self.stopping = threading.Event()

    def run(self) -> None:
        polls = 0
        while not self.stopping.wait(POLL_SECONDS):
            polls += 1
            with self.app.app_context():  # one database session per pass, released after it
                run_pass(compact=polls % COMPACT_EVERY_POLLS == 0)

    def stop(self) -> None:
        self.stopping.set()


def run_pass(*, compact: bool) -> None:
    """One pass in the current app context: run or queue what is due; with ``compact``,
    also make stale analyses due and queue idle sessions' compaction."""
    runtime = current_runtime()
    _step("analysis", lambda: run_due_jobs(runtime, ANALYZE))
    _step("asset caching", lambda: run_due_jobs(runtime, CACHE_ASSETS))
    _step("webhook deliveries", lambda: run_due_deliveries(runtime))
    _step("clips", lambda: run_due_clips(runtime))
    if compact:
        _step("stale analyses", lambda: mark_stale_sessions(runtime))
        _step("compaction", lambda: _queue_compaction(runtime))


def _queue_compaction(runtime: Runtime) -> int:
    return runtime.jobs.submit(COMPACT, idle_sessions(runtime))


def _step(name: str, step: Callable[[], object]) -> None:
    """Run one step in an app context of its own: a failed statement in one step leaves
    nothing half-done in the database session of the next."""
    try:
        with current_app.app_context():
            step()
    except Exception:  # noqa: BLE001 - a failing step must not stop the others or kill the worker; next poll retries
        log.exception("background %s failed", name)


def start_background_worker(app: Flask) -> BackgroundWorker:
    worker = BackgroundWorker(app)
    worker.start()
    return worker
