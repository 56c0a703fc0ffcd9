"""Engine settings per database, applied when the app binds ``db``."""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.engine import Engine

from server.config import Settings

# Seconds a SQLite writer waits for the lock before failing; ingest commits are short.
SQLITE_BUSY_TIMEOUT = 30


def engine_options(settings: Settings) -> dict:
    if settings.is_sqlite:
        return {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT}}
    return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}


def install_sqlite_pragmas(engine: Engine) -> None:
    """WAL lets readers run beside the one writer; synchronous=FULL makes a commit
    durable before ingest answers 200; foreign keys make deletes cascade."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
