"""Running `replaydesk serve` for the SDK tests: a patient start, a project and a
reviewer token, set up concurrently (each CLI call is a Python start-up: seconds on a
busy machine)."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

from tests.e2e.conftest import LiveServer
from tests.e2e.server import START_TIMEOUT, ServerProcess

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


def running_server(data_dir) -> ProjectServer:
    """A started server on a fresh data dir, with a project and a reviewer token.
    The caller stops `.process`; on failure here it is stopped already."""
    process = ServerProcess(data_dir)
    process.cli("init")  # creates the database: everything else needs it
    with ThreadPoolExecutor(max_workers=3) as pool:
        started = pool.submit(start_server, process)
        token = pool.submit(process.cli_json, "token", "create")
        project = pool.submit(process.cli_json, "project", "create", "sdk-e2e")
        try:
            started.result()
            return ProjectServer(process, project.result()["key"], token.result()["token"], project.result()["id"])
        except BaseException:
            process.stop()
            raise
