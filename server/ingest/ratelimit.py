"""Per-project-key rate limit on ingest, with the ``limits`` library: in memory for
one process, in Redis when ``REPLAYDESK_REDIS_URL`` is set so all processes share it."""
from __future__ import annotations

import math
import time
from typing import Optional

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


class IngestRateLimiter:
    def __init__(self, limit: str, redis_url: Optional[str] = None) -> None:
        """:raise ValueError: when ``limit`` is not like ``300/second``."""
        self.limit = parse(limit)
        self._storage = storage_from_string(redis_url or "memory://")
        self._limiter = MovingWindowRateLimiter(self._storage)

    def retry_after(self, key: str) -> Optional[int]:
        """Count one request for ``key``; None if allowed, else seconds to wait."""
        if self._limiter.hit(self.limit, "ingest", key):
            return None
        reset_at = self._limiter.get_window_stats(self.limit, "ingest", key).reset_time
        return max(1, math.ceil(reset_at - time.time()))
