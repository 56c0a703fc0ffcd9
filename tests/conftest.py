"""Fixtures: real apps on temporary databases (SQLite and PostgreSQL), a test client,
the CLI, and a signed-in reviewer."""
from __future__ import annotations

import os
import re
import shutil
import uuid
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from server import create_app
from server.config import Settings
from server.storage import dispose_storage
from server.storage.migrate import upgrade_database
from server.storage.models import Base

POSTGRES_ADMIN_URL = os.environ.get("REPLAYDESK_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
from tests.corpus import CORPUS_DIR, REPO  # noqa: E402  (re-exported for test modules)


def _sqlalchemy_url(dsn: str, database: str) -> str:
    base = re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", dsn)
    return base.rsplit("/", 1)[0] + "/" + database


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, copied for each test (migrating per test is slow)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "replaydesk.db"
    upgrade_database(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url():
    """A database of our own for this run, migrated once and dropped at the end."""
    name = f"replaydesk_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = _sqlalchemy_url(POSTGRES_ADMIN_URL, name)
    upgrade_database(url)
    yield url
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _truncate_postgres(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, sqlite_template) -> str:
    if request.param == "sqlite":
        path = tmp_path / "replaydesk.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _truncate_postgres(url)
    return url


@pytest.fixture
def settings(tmp_path, database_url) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url, secret_key="test-secret",
                    public_url="http://replaydesk.test")


@pytest.fixture
def make_app(settings):
    """Build apps on this test's database (with setting overrides); all disposed after."""
    built = []

    def build(**overrides):
        app = create_app(settings.replace(**overrides))
        app.config["TESTING"] = True
        built.append(app)
        return app

    yield build
    for app in built:
        with app.app_context():
            dispose_storage()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def runner(settings):
    """The `replaydesk` CLI on the same data dir and database as ``app``."""
    from server.cli import main

    env = {
        "REPLAYDESK_DATA_DIR": str(settings.data_dir),
        "REPLAYDESK_DATABASE_URL": settings.database_url,
        "REPLAYDESK_SECRET_KEY": "test-secret",
        "REPLAYDESK_PUBLIC_URL": settings.public_url,
    }

    class Runner:
        def invoke(self, *args: str, input: str | None = None):
            return CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)

    return Runner()


class AuthActions:
    """Sign a reviewer in through the real login form (CSRF token included)."""

    def __init__(self, client, app) -> None:
        self.client = client
        self.app = app

    def login(self, email: str = "reviewer@example.com", password: str = "correct horse"):
        from tests.factories import ensure_reviewer

        ensure_reviewer(self.app, email, password)
        page = self.client.get("/auth/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return self.client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token})

    def csrf_token(self) -> str:
        page = self.client.get("/auth/password").get_data(as_text=True)
        return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


@pytest.fixture
def auth(client, app) -> AuthActions:
    return AuthActions(client, app)


@pytest.fixture
def corpus_files() -> list[Path]:
    files = sorted(CORPUS_DIR.glob("*.json.gz"))
    if not files:
        pytest.fail(f"dev corpus not found in {CORPUS_DIR} (set REPLAYDESK_CORPUS_DIR)")
    return files
