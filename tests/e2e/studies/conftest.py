"""Study browser tests: one `replaydesk serve` for the package (a reviewer, a project)."""
from __future__ import annotations

import pytest

from tests.e2e.live.helpers import OBSERVERS, prepare_server
from tests.e2e.server import ServerProcess


@pytest.fixture(scope="package")
def server(tmp_path_factory):
    review_server = prepare_server(ServerProcess(tmp_path_factory.mktemp("studies") / "data"), users=OBSERVERS[:1])
    yield review_server
    review_server.process.stop()


# Chromium as a think-aloud participant and listening observers: a fake microphone and
# camera (a beep and a test pattern) granted without a prompt, media that plays without a
# click, and WebRTC host candidates as plain addresses (no mDNS names) on this machine.
MEDIA_ARGS = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
              "--autoplay-policy=no-user-gesture-required", "--disable-features=WebRtcHideLocalIpsWithMdns"]


@pytest.fixture(scope="package")
def media_browser():
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *MEDIA_ARGS])
        yield chromium
        chromium.close()
