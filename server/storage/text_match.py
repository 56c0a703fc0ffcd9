"""Matching text in SQL with LIKE, where what the person typed is taken literally
(``%`` and ``_`` match themselves) on both databases."""
from __future__ import annotations

from sqlalchemy import ColumnElement, func


def escape_like(text: str) -> str:
    """``text`` with LIKE's wildcards and the escape character escaped by ``\\``.

    >>> escape_like("50%_off")
    '50\\\\%\\\\_off'
    """
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column, text: str) -> ColumnElement[bool]:
    """``column`` holds ``text`` (case-sensitive)."""
    return column.like(f"%{escape_like(text)}%", escape="\\")


def contains_ignoring_case(column, text: str) -> ColumnElement[bool]:
    """``column`` holds ``text``, whatever the case of either."""
    return func.lower(column).like(f"%{escape_like(text.lower())}%", escape="\\")


def starts_with(column, text: str) -> ColumnElement[bool]:
    """``column`` begins with ``text``."""
    return column.like(f"{escape_like(text)}%", escape="\\")


def matches_glob(column, pattern: str) -> ColumnElement[bool]:
    """``column`` matches ``pattern``, where ``*`` is any text and everything else is literal.

    >>> from sqlalchemy import column
    >>> str(matches_glob(column("url"), "https://x/p_*").compile(compile_kwargs={"literal_binds": True}))
    "url LIKE 'https://x/p\\\\_%' ESCAPE '\\\\'"
    """
    return column.like(escape_like(pattern).replace("*", "%"), escape="\\")
