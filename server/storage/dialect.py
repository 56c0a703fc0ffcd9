"""INSERT ... ON CONFLICT for the two databases we run on (SQLite and PostgreSQL)."""
from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session as OrmSession


def insert_for(session: OrmSession, table: Table):
    """An ``insert(table)`` that offers ``on_conflict_do_nothing/do_update``."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"unsupported database dialect {name!r}: use SQLite or PostgreSQL")
