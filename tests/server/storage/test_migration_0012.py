"""Migration 0012 adds think-aloud to studies (off, no consent text, for the stored ones)
and the media_chunks table; the schema then is the models' schema, on SQLite and
PostgreSQL, and a downgrade takes both away again, keeping the studies."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from server.storage.migrate import alembic_config, upgrade_database
from server.storage.models import Base

NEW_COLUMNS = {"think_aloud", "camera", "consent_text"}


def _study_columns(engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("studies")}


def test_stored_studies_get_think_aloud_off_and_media_chunks_come(empty_database):
    upgrade_database(empty_database, "0011")
    engine = create_engine(empty_database)
    assert not NEW_COLUMNS & _study_columns(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO projects (id, name, key, created_at, settings) VALUES (1, 'shop', 'k1', 1, '{}')"))
        conn.execute(text("INSERT INTO studies (id, project_id, slug, name, description, product_url, created_at) "
                          "VALUES (1, 1, 'old-study', 'Old', '', 'https://shop.test/', 1)"))
    upgrade_database(empty_database)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT think_aloud, camera, consent_text, slug FROM studies")).one()
        assert "media_chunks" in inspect(conn).get_table_names()
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert (bool(row[0]), bool(row[1]), row[2], row[3]) == (False, False, "", "old-study")
    assert differences == []

    command.downgrade(alembic_config(empty_database), "0011")
    assert not NEW_COLUMNS & _study_columns(engine)
    with engine.connect() as conn:
        assert "media_chunks" not in inspect(conn).get_table_names()
        assert conn.execute(text("SELECT slug FROM studies")).scalars().all() == ["old-study"]
    engine.dispose()
