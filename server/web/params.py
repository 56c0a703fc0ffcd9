"""Query-string parsing for the review API: each helper names the parameter in its error."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Optional

from server.errors import BadRequest

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)?")
_DURATION_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}


def parse_time(name: str, value: Optional[str]) -> Optional[int]:
    """Epoch ms from epoch ms digits or an ISO 8601 date/time (UTC when no zone)."""
    if value is None or value == "":
        return None
    if value.isdigit():
        return int(value)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest(f"{name} must be epoch milliseconds or an ISO 8601 date, got {value!r}.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1000)


def parse_duration_ms(name: str, value: Optional[str]) -> Optional[int]:
    """Milliseconds from ``90000``, ``90s``, ``1.5m``."""
    if value is None or value == "":
        return None
    match = _DURATION.fullmatch(value.strip())
    if not match:
        raise BadRequest(f"{name} must be a duration such as 30000, 30s or 2m, got {value!r}.")
    return int(float(match.group(1)) * _DURATION_MS[match.group(2) or "ms"])


def parse_int(name: str, value: Optional[str], *, default: Optional[int] = None, low: int = 0, high: int = 2**62) -> Optional[int]:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(f"{name} must be an integer, got {value!r}.") from None
    if not low <= number <= high:
        raise BadRequest(f"{name} must be between {low} and {high}.")
    return number


def parse_bool(name: str, value: Optional[str]) -> Optional[bool]:
    if value is None or value == "":
        return None
    lowered = value.lower()
    if lowered in {"1", "true", "yes"}:
        return True
    if lowered in {"0", "false", "no"}:
        return False
    raise BadRequest(f"{name} must be true or false, got {value!r}.")


def parse_variant(value: Optional[str]) -> Optional[tuple[str, str]]:
    if not value:
        return None
    experiment, sep, variant = value.partition(":")
    if not sep or not experiment or not variant:
        raise BadRequest(f"variant must look like experiment:variant, got {value!r}.")
    return experiment, variant
