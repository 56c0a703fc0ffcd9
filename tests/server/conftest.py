"""Fixtures shared by server tests of several packages."""
from __future__ import annotations

import pytest

from tests.factories import make_token
from tests.server.recorded_site import serve_site


@pytest.fixture
def bearer(app):
    """Headers of a reviewer's API token (a test about a named token makes its own)."""
    return {"Authorization": f"Bearer {make_token(app)}"}


@pytest.fixture
def site():
    """A recorded site on 127.0.0.1 (see tests/server/recorded_site.py); its base URL."""
    with serve_site() as base:
        yield base
