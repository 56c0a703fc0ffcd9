"""Degrade, don't die (issue 10, item 5): a database, blob store or Redis that is down
or hangs answers 503 with Retry-After in bounded time, static files and the login page
keep serving, /healthz says which dependency failed, ingest and analysis go on without
Redis. (Deletes that fail half-way: tests/server/storage/test_removal.py.)"""
from __future__ import annotations

import contextlib
import errno
import logging
import socket
import sqlite3
import subprocess
import threading
import time
import uuid
from typing import Iterator

import orjson
import psycopg
import pytest
from redis import Redis
from rq import Queue

from server import create_app
from server.config import Settings
from server.jobs.queue import RUN_JOB, RedisRunner, work
from server.runtime import current_runtime
from server.storage import dispose_storage
from server.storage.schedule import ANALYZE
from server.storage.sessions import sessions_by_id
from server.storage.migrate import upgrade_database
from server.storage.outage import dependency_down
from server.storage.watchdog import BREAKER_S, GRACE_S
from tests.factories import batch_payload, make_project, make_session, make_token

HEALTHY = {"database": {"ok": True}, "migrations": {"ok": True}, "blobs": {"ok": True}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def redis_on(port: int) -> Iterator[subprocess.Popen]:
    """A throwaway redis-server on ``port``, stopped after."""
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        client = Redis(port=port)
        for _ in range(100):
            with contextlib.suppress(Exception):
                client.ping()
                break
            time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        process.wait(10)


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A TCP server that accepts connections, reads what is sent and never answers (a
    hung PostgreSQL); yields its port."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stopping = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stopping.is_set():
            with contextlib.suppress(OSError):
                held.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stopping.set()
        thread.join()
        for sock in held:
            sock.close()
        server.close()


def ingest(client, key: str, payload: dict):
    return client.post("/api/v1/ingest", data=orjson.dumps(payload), headers={"X-Replaydesk-Key": key})


def test_healthz_checks_each_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"ok": True, "checks": HEALTHY}


class ReadOnlyBlobs:
    def __init__(self, store) -> None:
        self.store = store

    def __getattr__(self, name):
        return getattr(self.store, name)

    def put(self, key: str, data: bytes) -> None:
        raise OSError(errno.EROFS, "Read-only file system")


def test_healthz_names_a_blob_store_that_takes_no_writes(app, client):
    app.extensions["replaydesk"].blobs = ReadOnlyBlobs(app.extensions["replaydesk"].blobs)
    response = client.get("/healthz")
    body = response.get_json()
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert body["ok"] is False and body["failed"] == ["blobs"]
    assert body["checks"]["blobs"] == {"ok": False, "error": "The blob store is unavailable; retry later."}


def _sql(database_url: str, statement: str) -> None:
    if database_url.startswith("sqlite"):
        with contextlib.closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as conn:
            conn.execute(statement)
            conn.commit()
    else:
        with psycopg.connect(database_url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as conn:
            conn.execute(statement)


def test_migrations_behind_or_tables_missing_answer_503(app, client, database_url, bearer):
    _sql(database_url, "UPDATE alembic_version SET version_num = version_num || '-old'")
    try:
        body = client.get("/healthz").get_json()
        assert body["failed"] == ["migrations"] and "code expects" in body["checks"]["migrations"]["error"]
    finally:
        _sql(database_url, "UPDATE alembic_version SET version_num = replace(version_num, '-old', '')")
    _sql(database_url, "ALTER TABLE sessions RENAME TO sessions_away")
    try:
        response = client.get("/api/v1/sessions", headers=bearer)
        assert response.status_code == 503 and response.headers["Retry-After"] == "5"
        assert response.get_json()["error"] == "unavailable"
    finally:
        _sql(database_url, "ALTER TABLE sessions_away RENAME TO sessions")
    assert client.get("/healthz").status_code == 200


def test_a_locked_database_answers_503_in_bounded_time(make_app, database_url):
    """SQLite: another process holds the write lock; PostgreSQL: a table lock outlasts
    the statement timeout. Either way the write gives up, and says when to retry."""
    app = make_app(database_busy_timeout=0.3, database_statement_timeout=0.3)
    client = app.test_client()
    key = make_project(app).key
    if database_url.startswith("sqlite"):
        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        holder = psycopg.connect(database_url.replace("postgresql+psycopg", "postgresql"))
        holder.execute("LOCK TABLE sessions IN ACCESS EXCLUSIVE MODE")
    try:
        started = time.monotonic()
        response = ingest(client, key, batch_payload())
        assert response.status_code == 503 and response.headers["Retry-After"] == "5"
        assert time.monotonic() - started < 3
    finally:
        holder.rollback()
        holder.close()
    assert ingest(client, key, batch_payload()).status_code == 200


def test_a_hung_postgresql_answers_503_while_static_files_and_login_keep_serving(tmp_path):
    with silent_server() as port:
        settings = Settings(data_dir=tmp_path, secret_key="test-secret", public_url="http://replaydesk.test",
                            database_url=f"postgresql+psycopg://postgres@127.0.0.1:{port}/test",
                            database_connect_timeout=1)
        app = create_app(settings)
        try:
            client = app.test_client()
            started = time.monotonic()
            with client.get("/sdk/replaydesk.js") as static:
                assert static.status_code == 200
            assert client.get("/auth/login").status_code == 200
            assert time.monotonic() - started < 0.5  # neither waits on the database
            started = time.monotonic()
            api = client.get("/api/v1/sessions", headers={"Authorization": "Bearer rdt_unknown"})
            assert api.status_code == 503 and api.headers["Retry-After"] == "5"
            assert api.get_json() == {"ok": False, "error": "unavailable",
                                      "message": "The database is unavailable; retry later."}
            assert time.monotonic() - started < 3
            ingest_answer = client.post("/api/v1/ingest", data=orjson.dumps(batch_payload()),
                                        headers={"X-Replaydesk-Key": "rdk_unknown"})
            assert ingest_answer.status_code == 503 and ingest_answer.headers["Retry-After"] == "5"
            with client.session_transaction() as cookie:
                cookie["user_id"] = 1  # a signed-in reviewer's page needs the database: a page says so
            page = client.get("/sessions", headers={"Accept": "text/html"})
            assert page.status_code == 503 and page.headers["Retry-After"] == "5"
            assert "unavailable for a moment" in page.get_data(as_text=True)
            health = client.get("/healthz").get_json()
            assert "database" in health["failed"] and health["checks"]["blobs"] == {"ok": True}
        finally:
            with app.app_context():
                dispose_storage()


def test_migrating_a_hung_postgresql_gives_up(tmp_path):
    """`serve` and every command migrate first: a database that never answers fails
    them in seconds (they print the reason) instead of hanging at start."""
    with silent_server() as port:
        started = time.monotonic()
        with pytest.raises(Exception) as raised:
            upgrade_database(f"postgresql+psycopg://postgres@127.0.0.1:{port}/test")
        assert dependency_down(raised.value) == "database" and time.monotonic() - started < 15


class FreezableProxy:
    """A TCP proxy in front of the test PostgreSQL that can stop forwarding while
    keeping every connection open: a paused or wedged server, as clients see it."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.frozen = threading.Event()
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client = self.server.accept()[0]
            except OSError:
                return
            self.sockets.append(client)
            if self.frozen.is_set():
                continue  # accepted, never answered
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            self.sockets.append(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                while self.frozen.is_set():
                    time.sleep(0.05)  # hold it: the peer waits for ever
                sink.sendall(data)

    def close(self) -> None:
        self.frozen.clear()
        self.server.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.close()


def test_a_postgresql_that_stops_answering_mid_session_fails_requests_in_bounded_time(tmp_path, postgres_url):
    """Connections already in the pool wait on a server that answers nothing; the
    watchdog cuts them (issue 10: "requests hang and then the whole server stops")."""
    from sqlalchemy.engine import make_url

    url = make_url(postgres_url)
    proxy = FreezableProxy(url.port or 5432)
    settings = Settings(data_dir=tmp_path, secret_key="test-secret", public_url="http://replaydesk.test",
                        database_url=url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False),
                        database_connect_timeout=1, database_statement_timeout=1)
    app = create_app(settings)
    try:
        client = app.test_client()
        token = make_token(app)
        assert client.get("/api/v1/sessions", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        proxy.frozen.set()
        started = time.monotonic()
        stuck = client.get("/api/v1/sessions", headers={"Authorization": f"Bearer {token}"})  # a pooled connection
        assert stuck.status_code == 503 and stuck.headers["Retry-After"] == "5"
        assert time.monotonic() - started < 6
        started = time.monotonic()  # the next ones fail at once: threads stay free meanwhile
        assert client.get("/api/v1/sessions", headers={"Authorization": f"Bearer {token}"}).status_code == 503
        assert time.monotonic() - started < 0.3
        time.sleep(BREAKER_S)
        with app.app_context():  # a statement on a connection checked out before the freeze
            from server.storage.health import check_database

            proxy.frozen.clear()
            check_database()
            proxy.frozen.set()
            started = time.monotonic()
            with pytest.raises(Exception) as raised:
                check_database()
            assert "database" == dependency_down(raised.value) and time.monotonic() - started < 1 + GRACE_S + 1
        assert client.get("/auth/login").status_code == 200
        proxy.frozen.clear()
        time.sleep(BREAKER_S)
        assert client.get("/api/v1/sessions", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    finally:
        proxy.close()
        with app.app_context():
            dispose_storage()


def test_ingest_goes_on_while_redis_is_down_with_a_local_rate_limit(make_app, caplog):
    app = make_app(redis_url=f"redis://127.0.0.1:{free_port()}/0", ingest_rate_limit="3/minute")
    client = app.test_client()
    key = make_project(app).key
    with caplog.at_level(logging.WARNING, logger="server.ingest.ratelimit"):
        answers = [ingest(client, key, batch_payload()).status_code for _ in range(5)]
    assert answers == [200, 200, 200, 429, 429]  # stored, and still limited, in this process
    assert len([r for r in caplog.records if "counting in this process" in r.getMessage()]) == 1
    health = client.get("/healthz").get_json()
    assert health["failed"] == ["redis"] and health["checks"]["redis"]["error"] == "Redis is unavailable; retry later."


def test_the_shared_rate_limit_comes_back_with_redis(make_app, monkeypatch):
    monkeypatch.setattr("server.ingest.ratelimit.REDIS_RETRY_S", 0.05)
    port = free_port()
    app = make_app(redis_url=f"redis://127.0.0.1:{port}/0")
    client = app.test_client()
    key = make_project(app).key
    assert ingest(client, key, batch_payload()).status_code == 200  # Redis down: counted here
    with redis_on(port):
        time.sleep(0.1)
        assert ingest(client, key, batch_payload()).status_code == 200
        assert Redis(port=port).keys("LIMITS*")  # counted in Redis again


def test_analysis_runs_in_process_when_redis_cannot_take_jobs(make_app, caplog):
    app = make_app(redis_url=f"redis://127.0.0.1:{free_port()}/0")
    sid = make_session(app, make_project(app))
    with app.app_context(), caplog.at_level(logging.WARNING, logger="server.jobs.queue"):
        runtime = current_runtime()
        assert isinstance(runtime.jobs, RedisRunner)
        assert runtime.jobs.submit(ANALYZE, [sid]) == 1
        assert runtime.jobs.submit(ANALYZE, [sid]) == 1
        assert sessions_by_id([sid])[sid].analysis_version is not None
    assert len([r for r in caplog.records if "running them in this process" in r.getMessage()]) == 1


def test_a_worker_started_before_redis_waits_for_it(make_app):
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    queue_name = f"replaydesk-test-{uuid.uuid4().hex[:8]}"
    app = make_app(redis_url=url, job_queue=queue_name)
    sid = make_session(app, make_project(app))
    waits = []
    with contextlib.ExitStack() as stack:
        def redis_comes_up(seconds: float) -> None:
            waits.append(seconds)
            if len(waits) == 2:  # the worker asked twice, then Redis starts and a job is queued
                stack.enter_context(redis_on(port))
                Queue(queue_name, connection=Redis(port=port)).enqueue(RUN_JOB, ANALYZE, sid, result_ttl=0)

        with app.app_context():
            work(url, queue_name, burst=True, sleep=redis_comes_up)
            assert len(waits) == 2 and sessions_by_id([sid])[sid].analysis_version is not None
