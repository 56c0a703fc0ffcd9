"""Shared by the live-room, study and experiment browser tests (and bench/live_delay.py):
a running `replaydesk serve` with reviewers and a project, signed-in pages, the review
API with a token, and screenshots under test-artifacts/."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

import requests

from tests.e2e.server import ServerProcess, sign_in as sign_in_through_form

REPO = Path(__file__).resolve().parents[3]
ARTIFACTS = REPO / "test-artifacts"
PASSWORD = "correct horse battery"
OBSERVERS = ("ana@example.com", "ben@example.com")


@dataclass
class ReviewServer:
    """A running server seen through one project: its key and id, a reviewer token."""

    process: ServerProcess
    key: str
    project_id: int
    token: str

    @property
    def url(self) -> str:
        return self.process.url

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return requests.request(method, f"{self.url}{path}", headers=headers, timeout=10, **kwargs)


def prepare_server(process: ServerProcess, *, users: Sequence[str] = OBSERVERS, corpus: Sequence[Path] = ()) -> ReviewServer:
    """Database, reviewers, a project, a token (and imported, analysed recordings) on
    `process`'s data dir; then start it. Stops the process if anything fails."""
    seed = process.seed("research-e2e", users=[(email, PASSWORD) for email in users], recordings=corpus, analyze=True,
                        other_projects=["Default"])  # as after `make run`: forms offer a choice of project
    try:
        process.start()
    except BaseException:
        process.stop()
        raise
    return ReviewServer(process, seed.key, seed.project_id, seed.token)


def sign_in(context, url: str, email: str):
    """A page of `context` signed in as one of the seeded reviewers."""
    return sign_in_through_form(context, url, email, PASSWORD)


def screenshot(target, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if hasattr(target, "goto"):  # a page: all of it
        target.screenshot(path=str(path), full_page=True)
    else:
        target.screenshot(path=str(path))
    return path


def wait_for(check: Callable[[], Optional[object]], *, timeout: float = 15.0, every: float = 0.2, what: str = "condition",
             pump: Callable[[float], None] = time.sleep):
    """Poll `check()` until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        pump(every)


def create_study(server: ReviewServer, product_url: str, tasks: list[dict], name: str = "Checkout study") -> dict:
    response = server.api("POST", "/api/v1/studies", json={"name": name, "product_url": product_url,
                                                           "project": server.project_id, "tasks": tasks})
    assert response.status_code == 201, response.text
    return response.json()


def add_participant(server: ReviewServer, study_id: int, label: str) -> dict:
    response = server.api("POST", f"/api/v1/studies/{study_id}/participants", json={"label": label})
    assert response.status_code == 201, response.text
    return response.json()
