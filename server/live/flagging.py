"""Signals flagged while a session runs, for its live room.

The stored analysis waits until a session's batches go quiet, so observers would hear
of a rage click only after the participant left. While a session is watched, each
batch it sends (ingest's ``live: true``) asks for a pass over what is stored so far
(``jobs.analyze.detect_signals_now``: the signals later events cannot undo, see
``analysis.live_signals``; nothing stored), at most one per session every
FLAG_INTERVAL_S, in a thread of this process; signals not announced before go to the
room as ``signals``. With several processes each may announce one; the room keeps one
per (kind, ts, url).
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Optional

from flask import Flask, current_app

from server.jobs.analyze import detect_signals_now
from server.live.rooms import publish_signals
from server.runtime import current_runtime

FLAG_INTERVAL_S = 1.5
"""Between passes over one session: a detector needs a moment of what follows a click
(rage: 1 s, dead: 2.5 s), and a pass over a long session costs a tenth of a second."""
FORGET_AFTER_S = 3600  # a session not noted for an hour is forgotten (its announced set goes)
EXTENSION_KEY = "replaydesk_live_flagger"
log = logging.getLogger(__name__)


class LiveFlagger:
    """Per process: which sessions have a pass running, and what each room was told."""

    def __init__(self, app: Flask, *, interval_s: float = FLAG_INTERVAL_S,
                 detect: Callable = detect_signals_now) -> None:
        self._app = app
        self._interval_s = interval_s
        self._detect = detect
        self._lock = threading.Lock()
        self._running: set[str] = set()
        self._again: set[str] = set()
        self._announced: dict[str, set[tuple]] = {}
        self._noted: dict[str, float] = {}
        self._idle = threading.Condition(self._lock)

    def note_batch(self, session_id: str) -> None:
        """A watched session sent a batch: look at it soon (once per interval)."""
        with self._lock:
            now = time.monotonic()
            self._noted[session_id] = now
            for stale in [sid for sid, at in self._noted.items() if now - at > FORGET_AFTER_S]:
                self._noted.pop(stale, None)
                self._announced.pop(stale, None)
            if session_id in self._running:
                self._again.add(session_id)
                return
            self._running.add(session_id)
        threading.Thread(target=self._passes, args=(session_id,), name="live-flags", daemon=True).start()

    def _passes(self, session_id: str) -> None:
        while True:
            time.sleep(self._interval_s)  # batches arriving meanwhile are in this pass
            try:
                with self._app.app_context():
                    self._one_pass(session_id)
            except Exception:  # a failed pass only means a later flag; the stored analysis still runs
                log.exception("live signals of %s", session_id)
            with self._lock:
                if session_id in self._again:
                    self._again.discard(session_id)
                    continue
                self._running.discard(session_id)
                self._idle.notify_all()
                return

    def _one_pass(self, session_id: str) -> None:
        signals = self._detect(current_runtime(), session_id)
        if not signals:
            return
        with self._lock:
            told = self._announced.setdefault(session_id, set())
            fresh = [s for s in signals if (s.kind, s.ts, s.url) not in told]
            told.update((s.kind, s.ts, s.url) for s in fresh)
        publish_signals(session_id, [signal.to_dict() for signal in fresh])

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until no pass runs (tests, shutdown); whether that happened in time."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._running:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True


def live_flagger(app: Optional[Flask] = None) -> LiveFlagger:
    """This app's flagger (made on first use)."""
    app = app or current_app._get_current_object()
    flagger = app.extensions.get(EXTENSION_KEY)
    if flagger is None:
        flagger = app.extensions.setdefault(EXTENSION_KEY, LiveFlagger(app))
    return flagger


def flag_signals_soon(session_id: str) -> None:
    """Ingest's hook for a watched session's batch."""
    live_flagger().note_batch(session_id)
