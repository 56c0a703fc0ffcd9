"""Opaque list cursors: the last row's sort key, base64url-encoded JSON."""
from __future__ import annotations

import base64
from typing import Optional

import orjson

from server.errors import BadRequest


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
    if not isinstance(value, list) or len(value) != 2:
        raise BadRequest("Invalid cursor.")
    return tuple(value)
