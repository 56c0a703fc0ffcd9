"""Replay fidelity: a session's stylesheets and fonts are cached once and served from
our origin after the site changes; fetching is bounded and address-checked. (The
background job that caches them soon after a batch arrives: tests/server/jobs.)"""
from __future__ import annotations

import json
import re

import pytest

from server.assets.cache import url_hash
from server.assets.fetch import FetchRefused, fetch_asset
from server.outbound import OutboundPolicy
from tests.factories import T0, click_event, make_project, make_session, meta_event
from tests.server.recorded_site import FONT_BYTES, RecordedSite, page_with_stylesheets


@pytest.fixture
def app(make_app):
    """The recorded site lives on 127.0.0.1: this install may fetch from private addresses
    (tests/server/test_outbound.py has the installs that may not)."""
    return make_app(fetch_allow_private=True)


def _session(app, origin: str, hrefs: list[str]) -> str:
    events = [meta_event(T0, f"{origin}/"), page_with_stylesheets(T0 + 1, hrefs), click_event(T0 + 50)]
    return make_session(app, make_project(app), events=events, meta={"url": f"{origin}/"})


def test_cached_once_and_served_after_the_site_changes(client, app, bearer, site):
    sid = _session(app, site, [f"{site}/site.css"])
    assert client.get(f"/api/v1/sessions/{sid}/assets", headers=bearer).get_json() == {"assets": {}, "scanned": False}
    report = client.post(f"/api/v1/sessions/{sid}/assets", headers=bearer).get_json()
    assert set(report["fetched"]) == {f"{site}/site.css", f"{site}/fonts/brand.woff2"} and report["failed"] == {}
    css_path = f"/api/v1/assets/{url_hash(f'{site}/site.css')}"
    assert report["assets"] == {f"{site}/site.css": css_path}

    RecordedSite.files["/site.css"] = (b"body { color: blue }", "text/css")  # the site changes...
    RecordedSite.files.pop("/fonts/brand.woff2")
    css = client.get(css_path, headers=bearer)
    assert css.status_code == 200 and css.mimetype == "text/css"  # ...the replay keeps the old look
    assert "immutable" in css.headers["Cache-Control"] and css.headers["X-Content-Type-Options"] == "nosniff"
    text = css.get_data(as_text=True)
    assert "rgb(200, 0, 0)" in text
    assert f'url("/api/v1/assets/{url_hash(f"{site}/fonts/brand.woff2")}")' in text  # the font from our copy too
    assert f'url("{site}/bg.png")' in text  # other URLs made absolute: the sheet now lives on our origin
    font = client.get(f"/api/v1/assets/{url_hash(f'{site}/fonts/brand.woff2')}", headers=bearer)
    assert font.data == FONT_BYTES

    again = client.post(f"/api/v1/sessions/{sid}/assets", headers=bearer).get_json()
    assert again["fetched"] == [] and again["assets"] == report["assets"]  # never re-fetched
    assert client.get(f"/api/v1/sessions/{sid}/assets", headers=bearer).get_json()["scanned"] is True


def test_player_page_hands_the_map_to_the_player(client, app, auth, bearer, site):
    sid = _session(app, site, [f"{site}/site.css"])
    client.post(f"/api/v1/sessions/{sid}/assets", headers=bearer)
    auth.login()
    html = client.get(f"/sessions/{sid}").get_data(as_text=True)
    data = json.loads(re.search(r'id="page-data">(.*?)</script>', html, re.S).group(1))
    assert data["assets"] == {f"{site}/site.css": f"/api/v1/assets/{url_hash(f'{site}/site.css')}"}


def test_wrong_types_are_refused(client, app, bearer, site):
    own = _session(app, site, [f"{site}/evil.css", f"{site}/nope.css"])
    report = client.post(f"/api/v1/sessions/{own}/assets", headers=bearer).get_json()
    assert "content type text/html" in report["failed"][f"{site}/evil.css"]
    assert "HTTP 404" in report["failed"][f"{site}/nope.css"] and report["assets"] == {}


def test_unknown_assets_and_strangers(client, bearer, site, app):
    assert client.get("/api/v1/assets/" + "0" * 64, headers=bearer).status_code == 404
    assert client.get("/api/v1/assets/../../etc/passwd", headers=bearer).status_code == 404
    assert client.get("/api/v1/assets/" + "0" * 64).status_code == 401
    assert client.post("/api/v1/sessions/nope-nope/assets", headers=bearer).status_code == 404


def test_deleting_the_session_deletes_its_asset_scan(client, app, bearer, site):
    sid = _session(app, site, [f"{site}/site.css"])
    client.post(f"/api/v1/sessions/{sid}/assets", headers=bearer)
    assert client.delete(f"/api/v1/sessions/{sid}", headers=bearer).status_code == 200
    with app.app_context():
        from server.runtime import current_runtime

        assert list(current_runtime().blobs.iter_keys(f"sessions/{sid}/")) == []


def test_fetch_refuses_other_schemes_and_big_bodies(site, monkeypatch):
    with pytest.raises(FetchRefused):
        fetch_asset("file:///etc/passwd", "stylesheet", OutboundPolicy(allow_private=True))
    monkeypatch.setattr("server.assets.fetch.MAX_STYLESHEET_BYTES", 10)
    with pytest.raises(FetchRefused, match="larger than"):
        fetch_asset(f"{site}/site.css", "stylesheet", OutboundPolicy(allow_private=True))
