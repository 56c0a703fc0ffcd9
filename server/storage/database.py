"""The database handle and its per-database settings. ``init_storage`` binds it to an
app; only ``server/storage/`` touches ``db`` (see ``unit_of_work.py``)."""
from __future__ import annotations

import math

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine

from server.config import Settings
from server.storage.models import Base
from server.storage.watchdog import install_watchdog

db = SQLAlchemy(model_class=Base)


def engine_options(settings: Settings) -> dict:
    """Bounded waits, so a database that stops answering fails requests (503, see
    ``storage/outage.py``) instead of holding every thread: SQLite's busy timeout for
    another process's write lock; PostgreSQL's connect timeout (also the wait for a
    pooled connection) and a server-side ``statement_timeout``, and the client-side
    watchdog of ``storage/watchdog.py`` for a server that stops answering altogether.

    >>> from server.config import Settings
    >>> engine_options(Settings(database_url="postgresql+psycopg://db/x", database_statement_timeout=2.5))["connect_args"]
    {'connect_timeout': 5, 'options': '-c statement_timeout=2500'}
    """
    if settings.is_sqlite:
        return {"connect_args": {"timeout": settings.database_busy_timeout}}
    return {
        "pool_size": 10, "max_overflow": 20,  # liveness is checked on checkout, under the watchdog
        "pool_timeout": settings.database_connect_timeout,
        "connect_args": {
            "connect_timeout": max(1, math.ceil(settings.database_connect_timeout)),  # libpq counts whole seconds
            "options": f"-c statement_timeout={int(settings.database_statement_timeout * 1000)}",
        },
    }


def init_storage(app: Flask, settings: Settings) -> Engine:
    """Bind ``db`` to ``app`` on ``settings.database_url``; returns the engine."""
    app.config.update(SQLALCHEMY_DATABASE_URI=settings.database_url,
                      SQLALCHEMY_ENGINE_OPTIONS=engine_options(settings))
    db.init_app(app)
    with app.app_context():
        engine = db.engine
    install_sqlite_pragmas(engine)
    if engine.dialect.name == "postgresql":
        install_watchdog(engine, ping_s=settings.database_connect_timeout, statement_s=settings.database_statement_timeout)
    return engine


def dispose_storage() -> None:
    """Release this app's connections (commands and tests call it when done)."""
    db.session.remove()
    db.engine.dispose()


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
