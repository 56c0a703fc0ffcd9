"""Validation of note and finding input: pure functions that return clean values or
raise ``InvalidInput`` naming the field, so a bad request never stores anything."""
from __future__ import annotations

from typing import Any, Optional

from server.storage.errors import InvalidInput

SEVERITIES = (1, 2, 3, 4)  # Nielsen's scale: cosmetic, minor, major, catastrophic
DEFAULT_SEVERITY = 2
STATUSES = ("open", "accepted", "fixed", "wontfix")
MAX_TEXT = 10_000  # a note is a paragraph, not a document
MAX_TITLE = 300  # the column's width
MAX_DESCRIPTION = 50_000
MAX_TAGS = 20
MAX_TAG = 50
MAX_EVIDENCE = 500
# Below this a ``ts`` is an offset into the session (3 years of ms); above, epoch ms.
EPOCH_MS_FLOOR = 100_000_000_000


def require_object(body: Any) -> dict:
    if not isinstance(body, dict):
        raise InvalidInput("Send a JSON object.")
    return body


def parse_text(name: str, value: Any, *, limit: int, required: bool) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be a string.")
    text = value.strip()
    if required and not text:
        raise InvalidInput(f"{name} must not be empty.")
    if len(text) > limit:
        raise InvalidInput(f"{name} is longer than {limit} characters.")
    return text


def parse_tags(value: Any) -> list[str]:
    """Trimmed, de-duplicated (case-insensitively, first spelling wins) tag strings."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_TAGS:
        raise InvalidInput(f"tags must be a list of at most {MAX_TAGS} strings.")
    tags: list[str] = []
    for tag in value:
        if not isinstance(tag, str) or not tag.strip() or len(tag.strip()) > MAX_TAG:
            raise InvalidInput(f"each tag must be a non-empty string of at most {MAX_TAG} characters.")
        if tag.strip().lower() not in {t.lower() for t in tags}:
            tags.append(tag.strip())
    return tags


def parse_severity(value: Any) -> int:
    if value is None:
        return DEFAULT_SEVERITY
    if isinstance(value, bool) or not isinstance(value, int) or value not in SEVERITIES:
        raise InvalidInput("severity must be 1, 2, 3 or 4.")
    return value


def parse_status(value: Any) -> str:
    if value is None:
        return STATUSES[0]
    if value not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}.")
    return value


def parse_variant(value: Any) -> Optional[str]:
    """``"experiment:variant"`` or None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 401:
        raise InvalidInput("variant must look like experiment:variant.")
    experiment, sep, variant = value.strip().partition(":")
    if not sep or not experiment or not variant:
        raise InvalidInput("variant must look like experiment:variant.")
    return f"{experiment}:{variant}"


def parse_id(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidInput(f"{name} must be a positive integer id.")
    return value


def parse_optional_id(name: str, value: Any) -> Optional[int]:
    return None if value is None else parse_id(name, value)


def parse_evidence(value: Any) -> list[int]:
    """Annotation ids, in the order given, without duplicates."""
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > MAX_EVIDENCE:
        raise InvalidInput(f"evidence must be a list of at most {MAX_EVIDENCE} annotation ids.")
    return list(dict.fromkeys(parse_id("evidence", item) for item in value))


def resolve_ts(value: Any, *, started_at: int, latest_ms: int) -> int:
    """Epoch ms from ``ts`` given as ms into the session or as epoch ms.

    ``latest_ms`` is the latest moment a note may point at (the session's end, or
    now for a live one). One minute of slack either side allows for clock skew.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise InvalidInput("ts must be a number: ms into the session or epoch ms.")
    ts = int(round(value))
    if ts < 0:
        raise InvalidInput("ts must not be negative.")
    epoch = ts if ts >= EPOCH_MS_FLOOR else started_at + ts
    if not started_at - 60_000 <= epoch <= latest_ms + 60_000:
        raise InvalidInput("ts lies outside the session.")
    return epoch


def note_values(body: dict, *, started_at: int, latest_ms: int) -> dict:
    """A new note's ``ts, text, tags, severity, finding_id`` from its JSON body.

    >>> note_values({"ts": 1500, "text": " hesitates "}, started_at=10_000, latest_ms=20_000)
    {'ts': 11500, 'text': 'hesitates', 'tags': [], 'severity': 2, 'finding_id': None}

    :raise InvalidInput: naming the first invalid field.
    """
    return {
        "ts": resolve_ts(body.get("ts"), started_at=started_at, latest_ms=latest_ms),
        "text": parse_text("text", body.get("text"), limit=MAX_TEXT, required=True),
        "tags": parse_tags(body.get("tags")),
        "severity": parse_severity(body.get("severity")),
        "finding_id": parse_optional_id("finding_id", body.get("finding_id")),
    }


def note_changes(body: dict, *, started_at: int, latest_ms: int) -> dict:
    """The fields a note edit sends, validated; fields it leaves out stay as they are.

    >>> note_changes({"text": "second", "severity": 4}, started_at=0, latest_ms=0)
    {'text': 'second', 'severity': 4}

    :raise InvalidInput: naming the first invalid field.
    """
    parsers = {
        "ts": lambda v: resolve_ts(v, started_at=started_at, latest_ms=latest_ms),
        "text": lambda v: parse_text("text", v, limit=MAX_TEXT, required=True),
        "tags": parse_tags,
        "severity": parse_severity,
        "finding_id": lambda v: parse_optional_id("finding_id", v),
    }
    return {name: parse(body[name]) for name, parse in parsers.items() if name in body}


_FINDING_FIELDS = {
    "title": lambda v: parse_text("title", v, limit=MAX_TITLE, required=True),
    "description": lambda v: parse_text("description", v, limit=MAX_DESCRIPTION, required=False),
    "severity": parse_severity,
    "status": parse_status,
    "tags": parse_tags,
    "variant": parse_variant,
}


def finding_values(body: dict) -> dict:
    """A new finding's fields from its JSON body (defaults for those left out).

    >>> finding_values({"title": "Coupon fails"})["severity"], finding_values({"title": "x"})["status"]
    (2, 'open')

    :raise InvalidInput: naming the first invalid field.
    """
    return {name: parse(body.get(name)) for name, parse in _FINDING_FIELDS.items()}


def finding_changes(body: dict) -> dict:
    """The fields a finding edit sends, validated (``evidence`` aside); ``severity`` and
    ``status`` may be left out but not set to null.

    >>> finding_changes({"status": "fixed"})
    {'status': 'fixed'}

    :raise InvalidInput: naming the first invalid field.
    """
    for name in ("severity", "status"):
        if name in body and body[name] is None:
            raise InvalidInput(f"{name} may not be null.")
    return {name: parse(body[name]) for name, parse in _FINDING_FIELDS.items() if name in body}
