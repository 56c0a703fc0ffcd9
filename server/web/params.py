"""Query-string parsing for the review API: each helper names the parameter in its error.

Every value is bounded here, before it reaches a query: a number too big for its
column, or a NUL character (PostgreSQL text holds none), would otherwise fail in the
database and answer 500.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Optional

from flask import request

from server.errors import BadRequest

# Only ASCII digits are numbers here (str.isdigit() also takes "²" and "٣").
_DIGITS = re.compile(r"[0-9]{1,18}")
_INTEGER = re.compile(r"-?[0-9]{1,18}")
_DURATION = re.compile(r"([0-9]{1,12}(?:\.[0-9]{1,6})?)(ms|s|m|h)?")
_DURATION_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}
# The widest id and count a column holds (PostgreSQL integer) and the latest time a
# filter may name (9999-12-31, as far as ISO dates go).
MAX_ID = 2**31 - 1
MAX_TIME_MS = 253_402_300_799_999
# Longer query values are refused: no filter needs more, and a URL filter is a LIKE.
MAX_QUERY_VALUE = 4096
NUL = "\x00"


def refuse_unstorable_input() -> None:
    """Before every request: a NUL character in the path, a query value or a form or
    JSON body (PostgreSQL text holds none), a query value over MAX_QUERY_VALUE
    characters, or a JSON body nested too deep to read, answers 400. Ingest bodies are
    exempt: their events keep NUL exactly (``storage/batch.py`` replaces it in columns).

    :raise BadRequest: saying where.
    """
    if NUL in request.path:
        raise BadRequest("The URL path contains a NUL character.")
    for name, value in request.args.items(multi=True):
        if NUL in name or NUL in value:
            raise BadRequest(f"Query parameter {name.replace(NUL, '')!r} contains a NUL character.")
        if len(value) > MAX_QUERY_VALUE:
            raise BadRequest(f"Query parameter {name!r} is longer than {MAX_QUERY_VALUE} characters.")
    if request.blueprint == "ingest" or request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if any(NUL in name or NUL in value for name, value in request.form.items(multi=True)):
        raise BadRequest("A form field contains a NUL character.")
    if request.is_json:
        try:
            body = request.get_json(silent=True)  # cached: the route reads the same
        except RecursionError:
            raise BadRequest("The JSON body is nested too deep.") from None
        if _holds_nul(body):
            raise BadRequest("The JSON body contains a NUL character in a string.")


def _holds_nul(value: object) -> bool:
    """Whether a string in ``value`` (a key too) holds NUL; iterative, at any depth."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def parse_time(name: str, value: Optional[str]) -> Optional[int]:
    """Epoch ms from epoch ms digits or an ISO 8601 date/time (UTC when no zone)."""
    if value is None or value == "":
        return None
    if _DIGITS.fullmatch(value):
        moment_ms = int(value)
    else:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise BadRequest(f"{name} must be epoch milliseconds or an ISO 8601 date, got {value!r}.") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        moment_ms = int(moment.timestamp() * 1000)
    if not 0 <= moment_ms <= MAX_TIME_MS:
        raise BadRequest(f"{name} must be between 1970 and 9999, got {value!r}.")
    return moment_ms


def parse_duration_ms(name: str, value: Optional[str]) -> Optional[int]:
    """Milliseconds from ``90000``, ``90s``, ``1.5m``."""
    if value is None or value == "":
        return None
    match = _DURATION.fullmatch(value.strip())
    if not match:
        raise BadRequest(f"{name} must be a duration such as 30000, 30s or 2m, got {value!r}.")
    return int(float(match.group(1)) * _DURATION_MS[match.group(2) or "ms"])


def parse_int(name: str, value: Optional[str], *, default: Optional[int] = None, low: int = 0,
              high: int = MAX_ID) -> Optional[int]:
    if value is None or value == "":
        return default
    if not _INTEGER.fullmatch(value):
        raise BadRequest(f"{name} must be an integer, got {value!r}.")
    number = int(value)
    if not low <= number <= high:
        raise BadRequest(f"{name} must be between {low} and {high}.")
    return number


def parse_id(name: str, value: Optional[str]) -> Optional[int]:
    """A record id written in digits (None when absent or not digits: a name, maybe).

    :raise BadRequest: for digits beyond any id.
    """
    if not value or not _DIGITS.fullmatch(value):
        return None
    return parse_int(name, value, low=0)


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
