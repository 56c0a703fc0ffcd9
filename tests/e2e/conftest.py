"""End-to-end fixtures: a running `replaydesk serve`, a project, a reviewer token,
and (for browser tests) Debian's Chromium through Playwright."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.e2e.server import ServerProcess

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@dataclass
class LiveServer:
    process: ServerProcess
    key: str
    token: str

    @property
    def url(self) -> str:
        return self.process.url

    @property
    def bearer(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def live_server(tmp_path):
    process = ServerProcess(tmp_path / "data")
    seed = process.seed()
    process.start()
    yield LiveServer(process, seed.key, seed.token)
    process.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
