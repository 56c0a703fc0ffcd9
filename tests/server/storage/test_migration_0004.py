"""Migration 0004 adds the engineer's context counters to sessions: stored sessions get
0 / 0 / NULL (analysis fills them in later), and the schema then is the models' schema."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from server.storage.migrate import alembic_config, upgrade_database
from server.storage.models import Base

NEW_COLUMNS = {"console_error_count", "failed_request_count", "slowest_request_ms"}


def _session_columns(engine) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns("sessions")}


def test_stored_sessions_get_zero_counts_and_no_slowest_request(empty_database):
    upgrade_database(empty_database, "0003")
    engine = create_engine(empty_database)
    assert not NEW_COLUMNS & _session_columns(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO projects (id, name, key, created_at, settings) VALUES (1, 'shop', 'k1', 1, '{}')"))
        conn.execute(text(
            "INSERT INTO sessions (id, project_id, started_at, ended_at, first_received_at, last_received_at, entry_url, "
            "referrer, user_agent, sdk_version, event_count, batch_count, raw_bytes, stored_bytes, click_count, "
            "error_count, pageview_count, frustration_score) "
            "VALUES ('old-session', 1, 1, 2, 1, 2, '', '', '', '', 3, 1, 10, 5, 1, 0, 1, 0)"))
    upgrade_database(empty_database)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT console_error_count, failed_request_count, slowest_request_ms, event_count "
                                "FROM sessions")).one()
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert tuple(row) == (0, 0, None, 3)
    assert differences == []

    command.downgrade(alembic_config(empty_database), "0003")
    assert not NEW_COLUMNS & _session_columns(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT id FROM sessions")).scalars().all() == ["old-session"]
    engine.dispose()
