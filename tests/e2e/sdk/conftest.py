"""Fixtures for real-browser tests of the SDK: one `replaydesk serve` and one project
shared by the tests of this package, the product site on a different origin with the
loader snippet pasted in (a new origin per test), a fresh browser context per test, and
a tap on the context's ingest traffic.

Tests stay independent on the shared server: each reads only its own sessions (by the
ids its tabs got, or by its site's origin in the visited URLs), and each browser context
starts with empty storage. A test that kills the server overrides `server` with
`live_server` (tests/e2e/conftest.py), a server of its own."""
from __future__ import annotations


import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.sdk.ingest import IngestTap
from tests.e2e.sdk.site import ProductSite
from tests.e2e.server import ServerProcess


@pytest.fixture(scope="package")
def shared_server(tmp_path_factory) -> LiveServer:
    """One running server, project and reviewer token for the package."""
    process = ServerProcess(tmp_path_factory.mktemp("sdk-server") / "data")
    seed = process.seed("sdk-e2e")
    try:
        process.start()
        yield LiveServer(process, seed.key, seed.token)
    finally:
        process.stop()


@pytest.fixture
def server(shared_server) -> LiveServer:
    """The server the product's snippet talks to."""
    return shared_server


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
