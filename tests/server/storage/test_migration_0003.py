"""Migration 0003 keeps existing installs working: every user keeps every existing
project with their role (admin stays admin), and a token of nobody belongs to the
first admin."""
from __future__ import annotations

from sqlalchemy import create_engine, text

from server.storage.migrate import upgrade_database


def test_existing_people_keep_their_projects_and_tokens_their_access(empty_database):
    upgrade_database(empty_database, "0002")
    engine = create_engine(empty_database)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO projects (id, name, key, created_at, settings) VALUES "
                          "(1, 'shop', 'k1', 1, '{}'), (2, 'blog', 'k2', 1, '{}')"))
        conn.execute(text("INSERT INTO users (id, email, role, created_at) VALUES "
                          "(1, 'root@example.com', 'admin', 1), (2, 'ana@example.com', 'member', 1)"))
        conn.execute(text("INSERT INTO api_tokens (id, name, token_hash, user_id, created_at) VALUES "
                          "(1, 'old', 'h1', NULL, 1), (2, 'anas', 'h2', 2, 1)"))
    upgrade_database(empty_database)
    with engine.connect() as conn:
        memberships = set(conn.execute(text("SELECT user_id, project_id, role FROM memberships")).all())
        tokens = conn.execute(text("SELECT id, user_id, read_only, all_projects, expires_at FROM api_tokens "
                                   "ORDER BY id")).all()
        versions = conn.execute(text("SELECT session_version FROM users")).scalars().all()
    engine.dispose()
    assert memberships == {(1, 1, "admin"), (1, 2, "admin"), (2, 1, "member"), (2, 2, "member")}
    assert [tuple(row) for row in tokens] == [(1, 1, False, True, None), (2, 2, False, True, None)]
    assert versions == [0, 0]
