"""The per-app objects that are not Flask extensions: settings, blob store,
dictionary cache, ingest rate limiter, job runner, clock. ``create_app`` builds one
and code reaches it with ``current_runtime()``; nothing here is a module global.

This module sits below the packages that use it (jobs, ingest, api) and imports
none of them: the rate limiter and the job runner are described here as protocols.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Optional, Protocol, Sequence

from flask import current_app

from server.config import Settings
from server.storage.blobs import BlobStore
from server.storage.dictionaries import DictionaryCache
from server.storage.project_keys import ProjectKeyCache


class RateLimiter(Protocol):
    def retry_after(self, key: str) -> Optional[int]:
        """Count one request for ``key``; None if allowed, else seconds to wait."""


class JobRunner(Protocol):
    def submit(self, job: str, session_ids: Sequence[str]) -> int:
        """Run or queue ``job`` (a name ``server.jobs.tasks`` knows) on these sessions;
        how many were run or queued."""

    def room(self, wanted: int, job: Optional[str] = None) -> int:
        """How many of ``wanted`` jobs (of ``job``, when it matters) to hand it now (a
        queue already long, or a lane already busy, takes fewer: what waits stays due in
        the database, where claims are fair between projects)."""


EXTENSION_KEY = "replaydesk"


def wall_clock_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class Runtime:
    settings: Settings
    blobs: BlobStore
    rate_limiter: RateLimiter
    jobs: JobRunner
    dictionaries: DictionaryCache = field(default_factory=DictionaryCache)
    project_keys: ProjectKeyCache = field(default_factory=ProjectKeyCache)
    now_ms: Callable[[], int] = wall_clock_ms

    def live_since_ms(self) -> int:
        """Sessions with a batch received after this count as live."""
        return self.now_ms() - int(self.settings.live_window_seconds * 1000)


def current_runtime() -> Runtime:
    return current_app.extensions[EXTENSION_KEY]
