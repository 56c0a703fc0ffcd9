"""Validate an ingest payload into an ``IngestBatch``. Pure: no Flask, no database.

``parse_batch`` either returns a complete batch or raises ``IngestError`` naming the
first problem, so a rejected batch never reaches storage. It sits in storage because
both writers of batches use it: the ingest route and the import of recordings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Optional

from server.storage.errors import InvalidInput

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")
# Text fields of meta are cut, not refused: a long URL must not cost a recording.
MAX_META_TEXT = 4096
MAX_VARIANTS = 50
MAX_SHORT_TEXT = 200  # distinct_id, study, participant, experiment and variant names (indexed columns)
# PostgreSQL text holds no NUL character: in values that become columns it is replaced
# by U+FFFD (the events themselves keep it, exactly as sent).
NUL, NUL_STANDIN = "\x00", "\ufffd"
# Event timestamps (epoch ms) from 2000-01-01 up to a fixed far bound; the ingest route
# also refuses those ahead of the server's clock (``latest_ms``). Outside this range a
# timestamp is a bug or an attack, and would break cursors and date filters.
MIN_TIMESTAMP_MS = 946_684_800_000  # 2000-01-01T00:00:00Z
MAX_TIMESTAMP_MS = 4_102_444_800_000  # 2100-01-01T00:00:00Z
# seq counts a window's batches from 0; past 2^53 a browser cannot count exactly anyway.
MAX_SEQ = 2**53 - 1
# A viewport side beyond this many CSS pixels is not a screen: it is stored as unknown.
MAX_VIEWPORT_PX = 100_000


class IngestError(InvalidInput):
    """The payload is malformed; ``str(error)`` says where (answered 400)."""


@dataclass(frozen=True)
class BatchMeta:
    url: str = ""
    referrer: str = ""
    user_agent: str = ""
    viewport_w: Optional[int] = None
    viewport_h: Optional[int] = None
    distinct_id: Optional[str] = None
    sdk_version: str = ""
    variants: dict[str, str] = field(default_factory=dict)
    study: Optional[str] = None
    participant: Optional[str] = None


@dataclass(frozen=True)
class IngestBatch:
    session_id: str
    window_id: str
    seq: int
    events: list[dict[str, Any]]
    meta: BatchMeta


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_id(payload: dict, name: str) -> str:
    value = payload.get(name)
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise IngestError(f"{name} must be 8-64 characters of [A-Za-z0-9_-]")
    return value


def without_nul(text: str) -> str:
    """``text`` fit for a text column: NUL characters replaced by U+FFFD."""
    return text.replace(NUL, NUL_STANDIN) if NUL in text else text


def _parse_events(value: Any, latest_ms: int) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise IngestError("events must be a list")
    for index, event in enumerate(value):
        if not isinstance(event, dict):
            raise IngestError(f"events[{index}] must be an object")
        if not _is_int(event.get("type")):
            raise IngestError(f"events[{index}].type must be an integer")
        timestamp = event.get("timestamp")
        if not _is_int(timestamp):
            raise IngestError(f"events[{index}].timestamp must be an integer (epoch ms)")
        if not MIN_TIMESTAMP_MS <= timestamp <= latest_ms:
            raise IngestError(f"events[{index}].timestamp {timestamp} is outside the accepted range "
                              f"[{MIN_TIMESTAMP_MS}, {latest_ms}] (epoch ms from 2000-01-01 up to a day "
                              "ahead of the server's clock): check the device clock")
    return value


def _text(meta: dict, name: str, default: Optional[str] = "") -> Optional[str]:
    value = meta.get(name)
    if value is None:
        return default
    if not isinstance(value, str):
        raise IngestError(f"meta.{name} must be a string")
    return without_nul(value[:MAX_META_TEXT])


def _parse_viewport(value: Any) -> tuple[Optional[int], Optional[int]]:
    if value is None:
        return None, None
    if not isinstance(value, dict):
        raise IngestError("meta.viewport must be an object {w, h}")
    w, h = value.get("w"), value.get("h")
    for name, number in (("w", w), ("h", h)):
        if number is not None and not (isinstance(number, (int, float)) and not isinstance(number, bool)):
            raise IngestError(f"meta.viewport.{name} must be a number")
    return _pixels(w), _pixels(h)


def _pixels(number: Optional[float]) -> Optional[int]:
    """A viewport side in whole pixels; None (unknown) when absent or not a screen's."""
    return int(number) if number is not None and 0 <= number <= MAX_VIEWPORT_PX else None


def _parse_variants(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or len(value) > MAX_VARIANTS:
        raise IngestError(f"meta.variants must be an object of at most {MAX_VARIANTS} experiment: variant pairs")
    for experiment, variant in value.items():
        if not isinstance(variant, str) or not experiment or len(experiment) > MAX_SHORT_TEXT \
                or len(variant) > MAX_SHORT_TEXT:
            raise IngestError(f"meta.variants values must be strings (experiment and variant up to {MAX_SHORT_TEXT} chars)")
    return {without_nul(experiment): without_nul(variant) for experiment, variant in value.items()}


def _parse_meta(value: Any) -> BatchMeta:
    if value is None:
        return BatchMeta()
    if not isinstance(value, dict):
        raise IngestError("meta must be an object")
    viewport_w, viewport_h = _parse_viewport(value.get("viewport"))
    short = {name: _text(value, name, None) for name in ("distinct_id", "study", "participant")}
    for name, text in short.items():
        if text is not None and len(text) > MAX_SHORT_TEXT:
            raise IngestError(f"meta.{name} must be at most {MAX_SHORT_TEXT} characters")
    return BatchMeta(
        url=_text(value, "url"),
        referrer=_text(value, "referrer"),
        user_agent=_text(value, "user_agent"),
        viewport_w=viewport_w,
        viewport_h=viewport_h,
        sdk_version=(_text(value, "sdk_version") or "")[:40],
        variants=_parse_variants(value.get("variants")),
        **short,
    )


def parse_batch(payload: Any, *, latest_ms: int = MAX_TIMESTAMP_MS) -> IngestBatch:
    """Check a decoded JSON payload against the ingest protocol; event timestamps must
    lie in ``[MIN_TIMESTAMP_MS, latest_ms]``.

    :raise IngestError: on the first field that does not match.
    """
    if not isinstance(payload, dict):
        raise IngestError("body must be a JSON object")
    seq = payload.get("seq")
    if not _is_int(seq) or not 0 <= seq <= MAX_SEQ:
        raise IngestError(f"seq must be an integer from 0 to {MAX_SEQ}")
    return IngestBatch(
        session_id=_parse_id(payload, "session_id"),
        window_id=_parse_id(payload, "window_id"),
        seq=seq,
        events=_parse_events(payload.get("events"), min(latest_ms, MAX_TIMESTAMP_MS)),
        meta=_parse_meta(payload.get("meta")),
    )
