"""The database handle and its per-database settings. ``init_storage`` binds it to an
app; only ``server/storage/`` touches ``db`` (see ``unit_of_work.py``)."""
from __future__ import annotations

from flask import Flask
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from sqlalchemy.engine import Engine

from server.config import Settings
from server.storage.models import Base

# Seconds a SQLite writer waits for the lock before failing; ingest commits are short.
SQLITE_BUSY_TIMEOUT = 30

db = SQLAlchemy(model_class=Base)


def engine_options(settings: Settings) -> dict:
    if settings.is_sqlite:
        return {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT}}
    return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 20}


def init_storage(app: Flask, settings: Settings) -> Engine:
    """Bind ``db`` to ``app`` on ``settings.database_url``; returns the engine."""
    app.config.update(SQLALCHEMY_DATABASE_URI=settings.database_url,
                      SQLALCHEMY_ENGINE_OPTIONS=engine_options(settings))
    db.init_app(app)
    with app.app_context():
        engine = db.engine
    install_sqlite_pragmas(engine)
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
