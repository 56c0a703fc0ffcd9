"""Read primitive fields out of untrusted JSON objects, or say why not.

Every reader either returns a value of the promised type or raises :class:`Malformed`;
callers turn that into an opaque record instead of letting a bad event crash analysis.
JSON booleans are never numbers here, and NaN or infinities are never numbers either.
"""

from __future__ import annotations

import math
from collections.abc import Mapping


class Malformed(ValueError):
    """A field is missing or has the wrong type."""


def read_mapping(value: object, name: str = "value") -> Mapping[str, object]:
    """Return ``value`` if it is a JSON object.

    >>> read_mapping({"a": 1})
    {'a': 1}
    >>> read_mapping([1], "data")
    Traceback (most recent call last):
    ...
    analysis.json_fields.Malformed: data is not an object
    """
    if type(value) is not dict and not isinstance(value, Mapping):
        raise Malformed(f"{name} is not an object")
    return value  # type: ignore[return-value]


def read_list(value: object, name: str = "value") -> list[object]:
    """Return ``value`` as a list if it is a JSON array; a missing array is empty.

    >>> read_list(None), read_list([1, 2])
    ([], [1, 2])
    """
    if type(value) is list:
        return value  # type: ignore[return-value]
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise Malformed(f"{name} is not an array")
    return list(value)


def is_number(value: object) -> bool:
    """True for finite ints and floats, never for booleans.

    >>> is_number(3), is_number(2.5), is_number(True), is_number(float("nan"))
    (True, True, False, False)
    """
    kind = type(value)
    if kind is int:  # the common case first: this runs for every coordinate
        return True
    if kind is float:
        return math.isfinite(value)  # type: ignore[arg-type]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return math.isfinite(value)


def read_number(value: object, name: str = "value") -> float:
    """Return a finite number as float.

    >>> read_number(3)
    3.0
    """
    if not is_number(value):
        raise Malformed(f"{name} is not a number")
    return float(value)  # type: ignore[arg-type]


def read_int(value: object, name: str = "value") -> int:
    """Return a finite number as int (rrweb sometimes sends float ids or times).

    >>> read_int(12.9)
    12
    """
    if not is_number(value):
        raise Malformed(f"{name} is not a number")
    return int(value)  # type: ignore[arg-type]


def read_optional_int(value: object) -> int | None:
    """Return an int, or None for anything that is not a finite number.

    >>> read_optional_int("7"), read_optional_int(7)
    (None, 7)
    """
    return int(value) if is_number(value) else None  # type: ignore[arg-type]


def read_optional_number(value: object) -> float | None:
    """Return a float, or None for anything that is not a finite number.

    >>> read_optional_number(None), read_optional_number(1)
    (None, 1.0)
    """
    return float(value) if is_number(value) else None  # type: ignore[arg-type]


def read_str(value: object, name: str = "value") -> str:
    """Return ``value`` if it is a string.

    >>> read_str("x")
    'x'
    """
    if not isinstance(value, str):
        raise Malformed(f"{name} is not a string")
    return value


def read_bool(value: object) -> bool | None:
    """Return a JSON boolean, or None for anything else.

    >>> read_bool(True), read_bool(1)
    (True, None)
    """
    return value if isinstance(value, bool) else None
