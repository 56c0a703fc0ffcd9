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

