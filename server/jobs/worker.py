"""The background worker thread each server process runs: every second it looks for
sessions whose analysis is due and sessions idle long enough to compact.

Due work is found in the database, not in memory, so nothing is lost when a process
dies, and several processes share the work (claims are leases; see
``server/storage/schedule.py``).
"""
from __future__ import annotations

import logging
import threading

from flask import Flask

from server.jobs.analyze import mark_stale_sessions, run_due_analyses
from server.jobs.compact import compact_idle_sessions
from server.runtime import current_runtime

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
    """One pass: run what is due; with ``compact``, also stale analyses and idle sessions."""
    runtime = current_runtime()
    try:
        run_due_analyses(runtime)
        if compact:
            mark_stale_sessions(runtime)
            compact_idle_sessions(runtime)
    except Exception:  # noqa: BLE001 - a failing pass must not kill the worker; next poll retries
        log.exception("background pass failed")


def start_background_worker(app: Flask) -> BackgroundWorker:
    worker = BackgroundWorker(app)
    worker.start()
    return worker
