"""Migration 0005 adds the webhook tables; the schema then is the models' schema, and a
downgrade removes them again."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from server.storage.migrate import alembic_config, upgrade_database
from server.storage.models import Base

NEW_TABLES = {"webhooks", "webhook_deliveries", "webhook_attempts"}


def test_webhook_tables_come_and_go(empty_database):
    upgrade_database(empty_database, "0004")
    engine = create_engine(empty_database)
    assert not NEW_TABLES & set(inspect(engine).get_table_names())
    upgrade_database(empty_database)
    with engine.connect() as conn:
        assert NEW_TABLES <= set(inspect(conn).get_table_names())
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    command.downgrade(alembic_config(empty_database), "0004")
    assert not NEW_TABLES & set(inspect(engine).get_table_names())
    engine.dispose()
