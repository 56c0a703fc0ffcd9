"""Per-project-key rate limit on ingest (a ``server.runtime.RateLimiter``).

With ``REPLAYDESK_REDIS_URL`` all processes share one moving window in Redis (the
``limits`` library). Without it, the count lives in this process: a sliding-window
counter (this window's hits plus the previous window's, weighted by how much of it
still overlaps), O(1) per request with no timer threads; the in-memory moving window of
``limits`` kept a timestamp per hit and showed up in every ingest profile.

Ingest never stops because Redis does: when Redis does not answer (within
``REDIS_TIMEOUT_S``), this process counts on its own window (logged once per outage)
and asks Redis again after ``REDIS_RETRY_S``.
"""
from __future__ import annotations

import logging
import math
import threading
import time
from typing import Callable, Optional

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# Keys are project ids, so few; the bound only guards memory against surprises.
MAX_KEYS = 10_000
# Redis must answer the limiter this fast; ingest answers in ~10 ms and must not wait longer.
REDIS_TIMEOUT_S = 0.5
# After Redis failed, count locally for this long before asking it again.
REDIS_RETRY_S = 5.0


class IngestRateLimiter:
    def __init__(self, limit: str, redis_url: Optional[str] = None) -> None:
        """:raise ValueError: when ``limit`` is not like ``300/second``."""
        item = parse(limit)
        self._local = _LocalWindow(item.amount, item.get_expiry())
        self._shared = _RedisWindow(item, redis_url, self._local) if redis_url else None

    def retry_after(self, key: str) -> Optional[int]:
        """Count one request for ``key``; None if allowed, else seconds to wait."""
        window = self._shared or self._local
        return window.retry_after(key)


class _RedisWindow:
    """The shared window in Redis, with this process's window while Redis is down."""

    def __init__(self, item, redis_url: str, fallback: "_LocalWindow", clock: Callable[[], float] = time.monotonic) -> None:
        self._item = item
        self._limiter = MovingWindowRateLimiter(storage_from_string(
            redis_url, socket_timeout=REDIS_TIMEOUT_S, socket_connect_timeout=REDIS_TIMEOUT_S))
        self._fallback = fallback
        self._clock = clock
        self._down_until: Optional[float] = None  # set while Redis is thought down

    def retry_after(self, key: str) -> Optional[int]:
        if self._down_until is not None and self._clock() < self._down_until:
            return self._fallback.retry_after(key)
        try:
            answer = self._shared_retry_after(key)
        except RedisError as error:
            if self._down_until is None:
                log.warning("Redis does not answer the ingest rate limiter (%s): counting in this process "
                            "until it does", type(error).__name__)
            self._down_until = self._clock() + REDIS_RETRY_S
            return self._fallback.retry_after(key)
        if self._down_until is not None:
            log.warning("Redis answers the ingest rate limiter again")
            self._down_until = None
        return answer

    def _shared_retry_after(self, key: str) -> Optional[int]:
        if self._limiter.hit(self._item, "ingest", key):
            return None
        reset_at = self._limiter.get_window_stats(self._item, "ingest", key).reset_time
        return max(1, math.ceil(reset_at - time.time()))


class _LocalWindow:
    """A sliding-window counter per key, in this process.

    >>> clock = iter([0.0, 0.1, 0.2, 1.5]).__next__
    >>> window = _LocalWindow(2, 1, clock)
    >>> [window.retry_after("p") for _ in range(3)]
    [None, None, 1]
    >>> window.retry_after("p")  # half of the previous window still counts: 2 × 0.5 + 0 < 2
    """

    def __init__(self, amount: int, seconds: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.amount = amount
        self.seconds = seconds
        self._clock = clock
        self._counts: dict[str, tuple[int, int, int]] = {}  # key → (window number, hits in it, hits in the one before)
        self._lock = threading.Lock()

    def retry_after(self, key: str) -> Optional[int]:
        now = self._clock()
        window, into = divmod(now, self.seconds)
        with self._lock:
            number, current, previous = self._counts.get(key, (window, 0, 0))
            if number != window:  # a window (or more) has passed
                current, previous = 0, current if number == window - 1 else 0
            if previous * (1 - into / self.seconds) + current >= self.amount:
                self._counts[key] = (window, current, previous)
                return max(1, math.ceil(self.seconds - into))
            if len(self._counts) >= MAX_KEYS:
                self._counts.clear()
            self._counts[key] = (window, current + 1, previous)
        return None
