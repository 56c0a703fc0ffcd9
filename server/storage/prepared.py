"""Statements compiled once per dialect and run on a pooled DBAPI connection: for the
ingest write path, where SQLAlchemy's per-execute work (cache key, execution context,
result set-up) and the ORM session's transaction cost more than the database's own.

Only plain values pass here: the prepared statements bind integers, strings and None
(no type processing), and a caller that reads a JSON column decodes it itself.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Optional, Sequence

from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.sql import ClauseElement

from server.storage.database import db
from server.storage.unit_of_work import end_read, writer_lock


@dataclass(frozen=True)
class Prepared:
    sql: str
    order: Optional[tuple[str, ...]]  # parameter names in order, for drivers with positional ("?") parameters

    def bind(self, values: Mapping[str, Any]) -> Sequence | Mapping:
        return values if self.order is None else tuple(values[name] for name in self.order)


def prepare(statement: ClauseElement, dialect: Dialect, keys: Sequence[str] = ()) -> Prepared:
    """``statement`` as the driver's SQL; ``keys`` names the columns an INSERT binds."""
    compiled = statement.compile(dialect=dialect, column_keys=list(keys) or None)
    return Prepared(str(compiled), tuple(compiled.positiontup) if dialect.positional else None)


class DriverTransaction:
    """The cursor of one write transaction."""

    def __init__(self, cursor, dialect: Dialect) -> None:
        self.cursor = cursor
        self.dialect = dialect

    def execute(self, statement: Prepared, values: Mapping[str, Any]) -> None:
        self.cursor.execute(statement.sql, statement.bind(values))

    def execute_many(self, statement: Prepared, rows: Sequence[Mapping[str, Any]]) -> None:
        if len(rows) == 1:  # psycopg pipelines executemany: worth it for many rows, not for one
            self.execute(statement, rows[0])
        else:
            self.cursor.executemany(statement.sql, [statement.bind(row) for row in rows])

    def fetch_one(self, statement: Prepared, values: Mapping[str, Any]) -> Optional[tuple]:
        self.cursor.execute(statement.sql, statement.bind(values))
        return self.cursor.fetchone()

    def fetch_all(self, statement: Prepared, values: Mapping[str, Any]) -> list[tuple]:
        self.cursor.execute(statement.sql, statement.bind(values))
        return self.cursor.fetchall()


@contextlib.contextmanager
def driver_transaction() -> Iterator[DriverTransaction]:
    """Like ``unit_of_work``, for prepared statements: this process's writer lock, a
    pooled connection of its own, commit on success, roll back on error."""
    release_read()
    with writer_lock():
        with open_transaction(db.engine) as transaction:
            yield transaction


def release_read() -> None:
    """End the request's read snapshot, so its connection goes back to the pool before
    a writer takes one (no thread ever waits for a second connection while it holds
    one). Most batches read nothing through the session: then there is none to end."""
    if db.session.registry.has():
        end_read()


@contextlib.contextmanager
def open_transaction(engine: Engine, *, begin: Optional[str] = None) -> Iterator[DriverTransaction]:
    """A transaction on a pooled connection, for a caller that holds the writer lock;
    ``begin`` is the statement that opens it (else the driver's own implicit BEGIN)."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        if begin:
            cursor.execute(begin)
        yield DriverTransaction(cursor, engine.dialect)
        connection.commit()
    except BaseException:
        connection.rollback()
        raise
    finally:
        connection.close()
