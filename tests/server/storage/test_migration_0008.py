"""Migration 0008 stores cached assets by the SHA-256 of their bytes: copies cached before
become files under their old key and hash (the SHA-256 of their URL), failed fetches stay
failed, every session is made due for asset caching once (to link it to its copies), and
the schema then is the models' schema; a downgrade gives each URL its blob key back."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from server.storage.migrate import alembic_config, upgrade_database
from server.storage.models import Base

OLD_HASH, FAILED_HASH = "a" * 64, "b" * 64


def _columns(engine, table: str) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns(table)}


def test_cached_copies_become_files_and_sessions_are_linked_later(empty_database):
    upgrade_database(empty_database, "0007")
    engine = create_engine(empty_database)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO projects (id, name, key, created_at, settings) VALUES (1, 'shop', 'k1', 1, '{}')"))
        conn.execute(text(
            "INSERT INTO sessions (id, project_id, started_at, ended_at, first_received_at, last_received_at, entry_url, "
            "referrer, user_agent, sdk_version, event_count, batch_count, raw_bytes, stored_bytes, click_count, "
            "error_count, pageview_count, frustration_score, console_error_count, failed_request_count) "
            "VALUES ('old-session', 1, 1, 2, 1, 2, '', '', '', '', 3, 1, 10, 5, 1, 0, 1, 0, 0, 0)"))
        conn.execute(text(
            "INSERT INTO cached_assets (url_hash, url, content_type, blob_key, size, status, fetched_at) VALUES "
            f"('{OLD_HASH}', 'https://cdn.test/site.css', 'text/css', 'assets/{OLD_HASH}', 120, 200, 1000), "
            f"('{FAILED_HASH}', 'https://cdn.test/gone.css', '', NULL, 0, -1, 2000)"))
    upgrade_database(empty_database)
    with engine.connect() as conn:
        files = conn.execute(text("SELECT sha256, content_type, size, blob_key, created_at FROM asset_files")).all()
        fetches = conn.execute(text("SELECT url_hash, sha256, status FROM cached_assets ORDER BY url_hash")).all()
        due = conn.execute(text("SELECT assets_due_at FROM sessions")).scalar()
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [tuple(row) for row in files] == [(OLD_HASH, "text/css", 120, f"assets/{OLD_HASH}", 1000)]
    assert [tuple(row) for row in fetches] == [(OLD_HASH, OLD_HASH, 200), (FAILED_HASH, None, -1)]
    assert due is not None
    assert differences == []

    command.downgrade(alembic_config(empty_database), "0007")
    assert "blob_key" in _columns(engine, "cached_assets") and "asset_files" not in inspect(engine).get_table_names()
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT url_hash, blob_key, size, content_type FROM cached_assets ORDER BY url_hash")).all()
    assert [tuple(row) for row in rows] == [(OLD_HASH, f"assets/{OLD_HASH}", 120, "text/css"), (FAILED_HASH, None, 0, "")]
    engine.dispose()


def test_an_install_that_never_cached_leaves_sessions_alone(empty_database):
    upgrade_database(empty_database, "0007")
    engine = create_engine(empty_database)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO projects (id, name, key, created_at, settings) VALUES (1, 'shop', 'k1', 1, '{}')"))
        conn.execute(text(
            "INSERT INTO sessions (id, project_id, started_at, ended_at, first_received_at, last_received_at, entry_url, "
            "referrer, user_agent, sdk_version, event_count, batch_count, raw_bytes, stored_bytes, click_count, "
            "error_count, pageview_count, frustration_score, console_error_count, failed_request_count) "
            "VALUES ('old-session', 1, 1, 2, 1, 2, '', '', '', '', 3, 1, 10, 5, 1, 0, 1, 0, 0, 0)"))
    upgrade_database(empty_database, "0008")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT assets_due_at FROM sessions")).scalar() is None
    engine.dispose()
