"""Opaque list cursors: the last row's sort key, base64url-encoded JSON."""
from __future__ import annotations

import base64
from typing import Optional

import orjson

from server.errors import BadRequest

MAX_ROW_ID = 64  # characters of the last row's id (session ids are 8-64)


def encode_cursor(key: Optional[tuple]) -> Optional[str]:
    if key is None:
        return None
    return base64.urlsafe_b64encode(orjson.dumps(list(key))).decode().rstrip("=")


def decode_cursor(text: Optional[str]) -> Optional[tuple]:
    """:raise BadRequest: for a cursor this server did not issue."""
    if not text:
        return None
    try:
        value = orjson.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, orjson.JSONDecodeError):
        raise BadRequest("Invalid cursor.") from None
    if not isinstance(value, list) or len(value) != 2 or not _is_sort_value(value[0]) or not _is_row_id(value[1]):
        raise BadRequest("Invalid cursor.")
    return tuple(value)


def _is_sort_value(value: object) -> bool:
    """What a list sorts on: a BIGINT or a finite float (orjson reads no NaN)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, float) or isinstance(value, int) and -2**63 <= value < 2**63


def _is_row_id(value: object) -> bool:
    return isinstance(value, (str, int)) and not isinstance(value, bool) and len(str(value)) <= MAX_ROW_ID \
        and "\x00" not in str(value) and (isinstance(value, str) or -2**31 <= value < 2**31)
