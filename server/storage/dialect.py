"""INSERT ... ON CONFLICT for the two databases we run on (SQLite and PostgreSQL)."""
from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite


def insert_for_dialect(dialect: str, table: Table):
    """An ``insert(table)`` that offers ``on_conflict_do_nothing/do_update``."""
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"unsupported database dialect {dialect!r}: use SQLite or PostgreSQL")
