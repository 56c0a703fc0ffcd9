"""Fixtures for real-browser tests of the SDK: one `replaydesk serve` shared by the
tests of this package (each test gets its own project, so nothing one test stores is
visible to another), the product site on a different origin with the loader snippet
pasted in, a fresh browser context per test, and a tap on the context's ingest
traffic."""
from __future__ import annotations

import itertools

import pytest

from tests.e2e.conftest import LiveServer
from tests.e2e.sdk.ingest import IngestTap
from tests.e2e.sdk.site import ProductSite
from tests.e2e.server import ServerProcess

_projects = itertools.count(1)


@pytest.fixture(scope="package")
def shared_server(tmp_path_factory):
    """One running server for the package: starting one costs seconds, a project does not.
    Tests that stop or kill the server use `live_server` instead (see test_outage.py)."""
    process = ServerProcess(tmp_path_factory.mktemp("sdk-server") / "data")
    process.cli("init")
    token = process.cli_json("token", "create")["token"]
    process.start()
    yield process, token
    process.stop()


@pytest.fixture
def server(shared_server) -> LiveServer:
    """The shared server with a project of this test's own (its own key and sessions)."""
    process, token = shared_server
    project = process.cli_json("project", "create", f"sdk-e2e-{next(_projects)}")
    server = LiveServer(process, project["key"], token)
    server.project_id = project["id"]
    return server


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
