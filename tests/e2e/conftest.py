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
def playwright_driver():
    """One Playwright for the run: its sync API allows one at a time per thread."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver):
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


# Chromium as a think-aloud participant and listening observers: a fake microphone and
# camera (a beep and a test pattern) granted without a prompt, media that plays without a
# click, and WebRTC host candidates as plain addresses (no mDNS names) on this machine.
MEDIA_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
              "--autoplay-policy=no-user-gesture-required", "--disable-features=WebRtcHideLocalIpsWithMdns"]


@pytest.fixture(scope="session")
def media_browser(playwright_driver):
    chromium = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *MEDIA_ARGS])
    yield chromium
    chromium.close()
