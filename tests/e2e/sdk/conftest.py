"""Fixtures for real-browser tests of the SDK: one `replaydesk serve` and one project
shared by the tests of this package, the product site on a different origin with the
loader snippet pasted in (a new origin per test), a fresh browser context per test, and
a tap on the context's ingest traffic.

Tests stay independent on the shared server: each reads only its own sessions (by the
ids its tabs got, or by its site's origin in the visited URLs), and each browser context
starts with empty storage. Tests that kill the server use `private_server`."""
from __future__ import annotations

import pytest

from tests.e2e.sdk.ingest import IngestTap
from tests.e2e.sdk.servers import ProjectServer, running_server
from tests.e2e.sdk.site import ProductSite


@pytest.fixture(scope="package")
def shared_server(tmp_path_factory):
    """One running server and project for the package: on a busy machine each costs
    seconds (a CLI call is a Python start-up), the tests themselves do not."""
    server = running_server(tmp_path_factory.mktemp("sdk-server") / "data")
    try:
        yield server
    finally:
        server.process.stop()


@pytest.fixture
def server(shared_server) -> ProjectServer:
    """The server the product's snippet talks to (tests that kill it override this)."""
    return shared_server


@pytest.fixture
def private_server(tmp_path) -> ProjectServer:
    """A server of this test's own, for tests that kill and restart it."""
    server = running_server(tmp_path / "data")
    try:
        yield server
    finally:
        server.process.stop()


@pytest.fixture
def site(server):
    """tests/e2e/sdk/pages served on another origin, with `server`'s snippet pasted in."""
    with ProductSite(server) as product_site:
        yield product_site


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    yield context
    context.close()


@pytest.fixture
def tap(context, server) -> IngestTap:
    """Every ingest request the context sends, decoded (beacons and retries included)."""
    return IngestTap(context, server)
