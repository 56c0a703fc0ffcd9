"""The per-app objects that are not Flask extensions: settings, blob store,
dictionary cache, ingest rate limiter, clock. ``create_app`` builds one and
routes reach it with ``current_runtime()``; nothing here is a module global."""
from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, ContextManager

from flask import current_app

from server.config import Settings
from server.ingest.keys import ProjectKeyCache
from server.ingest.ratelimit import IngestRateLimiter
from server.jobs.queue import InProcessRunner, JobRunner
from server.storage.blobs import BlobStore
from server.storage.dictionaries import DictionaryCache

EXTENSION_KEY = "replaydesk"


def wall_clock_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class Runtime:
    settings: Settings
    blobs: BlobStore
    rate_limiter: IngestRateLimiter
    dictionaries: DictionaryCache = field(default_factory=DictionaryCache)
    project_keys: ProjectKeyCache = field(default_factory=ProjectKeyCache)
    jobs: JobRunner = field(default_factory=InProcessRunner)
    now_ms: Callable[[], int] = wall_clock_ms
    # Writers of one process queue here rather than in SQLite's busy handler, which
    # sleeps in growing steps and turned lock waits into 100 ms latency spikes.
    write_lock: ContextManager = field(default_factory=contextlib.nullcontext)


    def live_since_ms(self) -> int:
        """Sessions with a batch received after this count as live."""
        return self.now_ms() - int(self.settings.live_window_seconds * 1000)


def write_lock_for(database_url: str) -> ContextManager:
    return threading.Lock() if database_url.startswith("sqlite") else contextlib.nullcontext()


def current_runtime() -> Runtime:
    return current_app.extensions[EXTENSION_KEY]
