"""Fixtures for real-browser tests of the review UI: one `replaydesk serve` for the
package with dev-corpus sessions imported and analysed, a reviewer, a signed-in page
per test, and screenshots kept in test-artifacts/ for a person to look at."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import CORPUS_DIR, REPO
from tests.e2e.server import ServerProcess, sign_in

ARTIFACTS = REPO / "test-artifacts"
EMAIL, PASSWORD = "designer@example.com", "correct horse battery"
# Rage clicks (coupon, promo), a dead end, and a calm buyer to filter out.
CORPUS = ["shop-04-coupon_rager_buys", "shop-06-coupon_rager_leaves", "shop-10-promo_rager", "shop-01-happy_buyer"]


@dataclass
class UiServer:
    process: ServerProcess
    token: str
    sessions: dict  # corpus name → session id

    @property
    def url(self) -> str:
        return self.process.url

    def import_recording(self, path: Path) -> str:
        out = self.process.cli("import", str(path))
        return out.split("session ", 1)[1].split(" ", 1)[0]


@pytest.fixture(scope="package")
def ui_server(tmp_path_factory):
    process = ServerProcess(tmp_path_factory.mktemp("ui-server") / "data")
    seed = process.seed(users=[(EMAIL, PASSWORD)], recordings=[CORPUS_DIR / f"{name}.json.gz" for name in CORPUS],
                        analyze=True)
    try:
        process.start()
    except Exception:
        process.stop()  # a server that never answered must not outlive the run
        raise
    yield UiServer(process, seed.token, dict(zip(CORPUS, seed.session_ids)))
    process.stop()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context
    context.close()


@pytest.fixture
def dialogs(context) -> list[str]:
    """Every alert/confirm/prompt a page of the context opens (answered no)."""
    seen: list[str] = []

    def on_page(page):
        page.on("dialog", lambda dialog: (seen.append(f"{dialog.type}: {dialog.message}"), dialog.dismiss()))

    context.on("page", on_page)
    return seen


@pytest.fixture
def page(context, ui_server, dialogs):
    """A page signed in through the real login form."""
    return sign_in(context, ui_server.url, EMAIL, PASSWORD)


def screenshot(target, name: str) -> Path:
    """Save a screenshot (of a page or an element) under test-artifacts/ui-<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"ui-{name}.png"
    target.screenshot(path=str(path))
    return path


FIRST_FRAME_TIMEOUT_MS = 15_000


def wait_for_first_frame(page) -> None:
    """Until the player stamped its first rendered frame on <html data-first-frame>.
    Selectors, not wait_for_function: our CSP forbids eval, which Playwright's predicates use."""
    page.wait_for_selector("html[data-first-frame]", state="attached", timeout=FIRST_FRAME_TIMEOUT_MS)
