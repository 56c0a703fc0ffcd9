"""Alembic environment: run by `replaydesk db upgrade` with the configured database."""
from alembic import context
from sqlalchemy import create_engine, pool

from server.storage.models import Base

config = context.config
url = config.get_main_option("sqlalchemy.url")
# A database that does not answer fails `serve` and every command at start, not never.
CONNECT_TIMEOUT_S = 10


def run_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connect_args = {"connect_timeout": CONNECT_TIMEOUT_S} if url.startswith("postgresql") else {}
    engine = create_engine(url, poolclass=pool.NullPool, connect_args=connect_args)
    with engine.connect() as connection:
        # render_as_batch: SQLite alters tables by copying them; batch mode does that for us.
        context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
