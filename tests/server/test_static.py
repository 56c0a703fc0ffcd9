"""Built assets through WhiteNoise: hashed UI files cached for good, the SDK bundle
at a stable URL with a short cache and open CORS, gzip variants served."""
from __future__ import annotations

import json

import pytest

from server.static import SDK_DIST, UI_DIST


@pytest.fixture
def built():
    if not (UI_DIST / "manifest.json").exists() or not (SDK_DIST / "replaydesk.js").exists():
        pytest.fail("run `make build` first (the Makefile's test target does)")


def test_hashed_ui_files_are_immutable(client, built):
    name = next(iter(json.loads((UI_DIST / "manifest.json").read_text()).values()))
    name = name if isinstance(name, str) else name["file"]
    response = client.get(f"/static/{name}")
    response.close()  # WhiteNoise streams the file
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]


def test_sdk_bundle_is_served_for_any_origin(client, built):
    response = client.get("/sdk/replaydesk.js", headers={"Accept-Encoding": "gzip"})
    response.close()
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=3600"
    assert response.headers["Content-Encoding"] == "gzip"  # `make build` pre-compresses
