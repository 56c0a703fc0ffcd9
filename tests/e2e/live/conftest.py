"""Live rooms in Debian's Chromium: one `replaydesk serve` for the package (two
reviewers, a project), the product site with the snippet on another origin."""
from __future__ import annotations

import pytest

from tests.e2e.live.helpers import prepare_server
from tests.e2e.sdk.site import ProductSite
from tests.e2e.server import ServerProcess


@pytest.fixture(scope="package")
def server(tmp_path_factory):
    review_server = prepare_server(ServerProcess(tmp_path_factory.mktemp("live-server") / "data"))
    yield review_server
    review_server.process.stop()


@pytest.fixture
def site(server):
    with ProductSite(server) as product_site:
        yield product_site


@pytest.fixture
def new_context(browser):
    """Browser contexts of this test (participant, observers), closed after it."""
    made = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
