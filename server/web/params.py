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


# A moment into a session (SPEC "Sharing, clips"): 17000 · 17s · 17.5s · 0:17 · 1:02:03.
_MOMENT_MS = re.compile(r"[0-9]{1,13}")
_MOMENT_SECONDS = re.compile(r"([0-9]{1,10}(?:\.[0-9]{1,3})?)s")
_MOMENT_CLOCK = re.compile(r"(?:([0-9]{1,5}):([0-5][0-9]):|([0-9]{1,7}):)([0-5][0-9](?:\.[0-9]{1,3})?)")
MOMENT_FORMS = "milliseconds (17000), seconds (17s, 17.5s), MM:SS or H:MM:SS"


def parse_moment(value: str) -> int:
    """Milliseconds into a session from a moment as people write it: bare milliseconds,
    seconds with an ``s``, or a clock ``MM:SS`` / ``H:MM:SS`` (seconds may carry up to
    three decimals). Pure: the CLI, the API and ``?t=`` share it.

    >>> [parse_moment(v) for v in ("17000", "17s", "17.5s", "0:17", "1:05", "75:00", "1:02:03", " 0:17.25 ")]
    [17000, 17000, 17500, 17000, 65000, 4500000, 3723000, 17250]
    >>> parse_moment("1:60")
    Traceback (most recent call last):
    ...
    ValueError: a moment is milliseconds (17000), seconds (17s, 17.5s), MM:SS or H:MM:SS, not '1:60'
    >>> parse_moment("-5s")
    Traceback (most recent call last):
    ...
    ValueError: a moment is milliseconds (17000), seconds (17s, 17.5s), MM:SS or H:MM:SS, not '-5s'

    :raise ValueError: naming the forms, for anything else (signs, units other than
        ``s``, one-digit or 60+ seconds on a clock, 60+ minutes after an hour, empty text).
    """
    text = value.strip() if isinstance(value, str) else ""
    if _MOMENT_MS.fullmatch(text):
        return int(text)
    seconds = _MOMENT_SECONDS.fullmatch(text)
    if seconds:
        return _milliseconds(seconds.group(1))
    clock = _MOMENT_CLOCK.fullmatch(text)
    if clock:
        hours, minutes_after_hour, minutes, second = clock.groups()
        whole_minutes = int(hours) * 60 + int(minutes_after_hour) if hours is not None else int(minutes)
        return whole_minutes * 60_000 + _milliseconds(second)
    raise ValueError(f"a moment is {MOMENT_FORMS}, not {value!r}")


def _milliseconds(seconds: str) -> int:
    """``"17.25"`` seconds → 17250, exactly (no float rounding)."""
    whole, _, fraction = seconds.partition(".")
    return int(whole) * 1000 + int((fraction + "000")[:3])


def format_moment(offset_ms: int) -> str:
    """A moment as copied links write it, ``M:SS`` (``H:MM:SS`` from an hour on),
    whole seconds, rounded down; what :func:`parse_moment` reads back.

    >>> [format_moment(ms) for ms in (0, 17_999, 65_000, 3_723_000)]
    ['0:00', '0:17', '1:05', '1:02:03']
    """
    seconds = max(0, offset_ms) // 1000
    hours, minutes = seconds // 3600, seconds // 60 % 60
    return f"{hours}:{minutes:02d}:{seconds % 60:02d}" if hours else f"{seconds // 60}:{seconds % 60:02d}"


def moment_param(name: str, value: object) -> Optional[int]:
    """A moment from a query value or a JSON field: a string in any form
    :func:`parse_moment` reads, or a JSON integer of milliseconds; None when absent.

    :raise BadRequest: naming ``name`` and the forms.
    """
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if 0 <= value <= MAX_TIME_MS:
            return value
    elif isinstance(value, str):
        try:
            return parse_moment(value)
        except ValueError:
            pass
    raise BadRequest(f"{name} must be a moment into the session: {MOMENT_FORMS}; got {value!r}.")


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
