"""Running `replaydesk serve` for the SDK tests: a patient start, and a project per test."""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

import requests

from tests.e2e.conftest import LiveServer
from tests.e2e.server import START_TIMEOUT, ServerProcess

_projects = itertools.count(1)


@dataclass
class ProjectServer(LiveServer):
    """A running server seen through one project: its key, its id, a reviewer token."""

    project_id: int = 0


def start_server(process: ServerProcess) -> None:
    """`process.start()`, patient with a slow first answer.

    ServerProcess.start() polls /healthz with a 1 s timeout and waits out connection
    errors only; on a loaded machine gunicorn's worker may take longer than that to
    boot, and the ReadTimeout escapes (reported; tests/e2e/server.py is not ours).
    Stops the process when it never becomes healthy.
    """
    try:
        process.start()
        return
    except requests.Timeout:
        pass
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.process.poll() is not None:
            raise RuntimeError(f"server exited: {process.log_path.read_text()[-2000:]}")
        try:
            if requests.get(f"{process.url}/healthz", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    process.stop()
    raise RuntimeError(f"server did not answer /healthz in {START_TIMEOUT}s")


def running_server(data_dir) -> tuple[ServerProcess, str]:
    """A started server on a fresh data dir and a reviewer token for it."""
    process = ServerProcess(data_dir)
    process.cli("init")
    token = process.cli_json("token", "create")["token"]
    start_server(process)
    return process, token


def with_project(process: ServerProcess, token: str) -> ProjectServer:
    project = process.cli_json("project", "create", f"sdk-e2e-{next(_projects)}")
    return ProjectServer(process, project["key"], token, project["id"])
