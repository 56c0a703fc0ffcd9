"""Run the real `replaydesk serve` in a subprocess for end-to-end tests."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

import requests

BIN = Path(sys.executable).parent / "replaydesk"
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Seed:
    key: str  # the project's ingest key
    project_id: int
    token: str  # a reviewer API token
    session_ids: tuple[str, ...] = ()  # imported recordings, in the order given


class ServerProcess:
    """`replaydesk serve` on a free port with its own data dir (and optional env)."""

    def __init__(self, data_dir: Path, *, env: Optional[dict] = None, port: Optional[int] = None, workers: int = 1) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.env = {
            **os.environ,
            "REPLAYDESK_DATA_DIR": str(data_dir),
            "REPLAYDESK_PUBLIC_URL": self.url,
            "REPLAYDESK_SECRET_KEY": "e2e-secret",
            **(env or {}),
        }
        self.log_path = data_dir / f"serve-{self.port}.log"
        self.process: Optional[subprocess.Popen] = None
        data_dir.mkdir(parents=True, exist_ok=True)

    def cli(self, *args: str, input: Optional[str] = None) -> str:
        result = subprocess.run([str(BIN), *args], env=self.env, input=input, capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"replaydesk {' '.join(args)} failed: {result.stdout}{result.stderr}")
        return result.stdout

    def cli_json(self, *args: str) -> dict:
        return json.loads(self.cli(*args, "--json"))

    def seed(self, project: str = "E2E", *, users: Sequence[tuple[str, str]] = (), recordings: Sequence[Path] = (),
             analyze: bool = False, other_projects: Sequence[str] = ()) -> Seed:
        """Database, a project, reviewers (email, password), a token and imported
        recordings, made in this process through the same code as the CLI: each CLI
        call would be a Python start-up of a few seconds."""
        from server import create_app
        from server.config import Settings
        from server.jobs.analyze import analyze_session
        from server.runtime import current_runtime
        from server.storage import dispose_storage
        from server.storage.accounts import create_user
        from server.storage.migrate import upgrade_database
        from server.storage.projects import create_project
        from server.storage.tokens import create_token
        from server.storage.transfer import read_recording, recording_batches, store_recording

        settings = Settings.from_env(self.env)
        upgrade_database(settings.database_url)
        app = create_app(settings)
        try:
            with app.app_context():
                runtime = current_runtime()
                for name in other_projects:
                    create_project(name, now_ms=runtime.now_ms())
                made = create_project(project, now_ms=runtime.now_ms())
                for email, password in users:  # instance admins: every project
                    create_user(email, password=password, role="admin", now_ms=runtime.now_ms())
                owner = create_user("e2e-token@example.com", role="admin", now_ms=runtime.now_ms())
                token, _ = create_token(user_id=owner.id, name="e2e", now_ms=runtime.now_ms())
                key, project_id = made.key, made.id
                session_ids = []
                for path in recordings:
                    batches = recording_batches(read_recording(path))
                    store_recording(runtime.blobs, runtime.dictionaries, project_id, batches, clock=runtime.now_ms)
                    session_ids.append(batches[0].session_id)
                    if analyze:
                        analyze_session(runtime, batches[0].session_id)
                return Seed(key, project_id, token, tuple(session_ids))
        finally:
            with app.app_context():
                dispose_storage()

    def start(self) -> "ServerProcess":
        with open(self.log_path, "ab") as log:  # the child keeps its own descriptor
            self.process = subprocess.Popen(
                [str(BIN), "serve", "--port", str(self.port), "--workers", str(self.workers)],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:  # the first answer can take seconds while the worker imports the app
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"server did not answer /healthz in {START_TIMEOUT}s: {self.log_path.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown code runs."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


def sign_in(context, url: str, email: str, password: str):
    """A new page of the Playwright `context`, signed in through the real login form."""
    page = context.new_page()
    page.goto(f"{url}/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
    return page
