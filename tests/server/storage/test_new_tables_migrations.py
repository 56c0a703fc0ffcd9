"""Migrations that only add tables (0005 webhooks, 0006 share links, 0007 clips, 0009 watches
and saved views, 0010 study answers, 0011 live chat): the tables come,
the schema then is the models' schema, and a downgrade removes them again."""
from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from server.storage.migrate import alembic_config, upgrade_database
from server.storage.models import Base

ADDED = [
    ("0005", {"webhooks", "webhook_deliveries", "webhook_attempts"}),
    ("0006", {"share_links"}),
    ("0007", {"clips", "clip_segments"}),
    ("0009", {"session_watches", "saved_views"}),
    ("0010", {"session_answers"}),
    ("0011", {"live_chat_messages"}),
]


@pytest.mark.parametrize("revision, tables", ADDED, ids=[revision for revision, _ in ADDED])
def test_tables_come_and_go(empty_database, revision, tables):
    before = f"{int(revision) - 1:04d}"
    upgrade_database(empty_database, before)
    engine = create_engine(empty_database)
    assert not tables & set(inspect(engine).get_table_names())
    upgrade_database(empty_database)
    with engine.connect() as conn:
        assert tables <= set(inspect(conn).get_table_names())
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    command.downgrade(alembic_config(empty_database), before)
    assert not tables & set(inspect(engine).get_table_names())
    engine.dispose()
