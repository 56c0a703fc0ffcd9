"""Sign-in throttling: failed passwords are counted per account and per client
address over a sliding window (settings ``login_account_failures``,
``login_address_failures``, ``login_failure_window_seconds``); past either limit the
login answers 429 with ``Retry-After`` until the oldest counted failure ages out.

The count lives in the database (storage/login_failures.py) so every server process
sees the same, and it does not depend on Redis. An unknown email is counted like a
known one: the answer never tells which emails exist.
"""
from __future__ import annotations

import math
from typing import Optional

from server.config import Settings
from server.storage.login_failures import forget_failures, record_failure, recent_failures


def _subjects(email: str, address: Optional[str]) -> tuple[str, str]:
    """The account and the client address an attempt counts against."""
    return f"account:{email.strip().lower()}", f"address:{address or 'unknown'}"


def _limits(email: str, address: Optional[str], settings: Settings) -> dict[str, int]:
    account, client = _subjects(email, address)
    return {account: settings.login_account_failures, client: settings.login_address_failures}


def retry_after_seconds(email: str, address: Optional[str], settings: Settings, *, now_ms: int) -> Optional[int]:
    """Seconds until this attempt may be made, or None when it may be made now."""
    window_ms = int(settings.login_failure_window_seconds * 1000)
    limits = _limits(email, address, settings)
    waits = []
    for subject, times in recent_failures(limits, since_ms=now_ms - window_ms).items():
        limit = limits[subject]
        if len(times) >= limit:  # free again when the failure that makes the count `limit` ages out
            waits.append(times[len(times) - limit] + window_ms - now_ms)
    return max(1, math.ceil(max(waits) / 1000)) if waits else None


def count_failure(email: str, address: Optional[str], settings: Settings, *, now_ms: int) -> None:
    window_ms = int(settings.login_failure_window_seconds * 1000)
    record_failure(_limits(email, address, settings), now_ms=now_ms, forget_before_ms=now_ms - window_ms)


def count_success(email: str, address: Optional[str]) -> None:
    """The account's failures are forgotten; the address's stay (one known password
    must not reset the count of guesses at every other account)."""
    forget_failures(_subjects(email, address)[0])
