"""Replay fidelity: a session's stylesheets, fonts and images are cached once, by the
SHA-256 of their bytes, and served from our origin after the site changes; each session
keeps the bytes of its own time; fetching is bounded (per asset, per project) and
address-checked; deleting sessions releases files no session uses. (The background job
that caches them soon after a batch arrives: tests/server/jobs.)"""
from __future__ import annotations

import hashlib
import json
import re

import pytest

from analysis.event_builders import document, element, snapshot_event
from server.assets.cache import REUSE_FETCH_MS
from server.assets.fetch import FetchRefused, fetch_asset
from server.outbound import OutboundPolicy
from server.storage.removal import purge_sessions
from tests.factories import T0, click_event, make_project, make_session, meta_event
from tests.server.recorded_site import FONT_BYTES, PNG_BYTES, RecordedSite, page_with_stylesheets


@pytest.fixture
def app(make_app):
    """The recorded site lives on 127.0.0.1: this install may fetch from private addresses
    (tests/server/test_outbound.py has the installs that may not)."""
    return make_app(fetch_allow_private=True)


@pytest.fixture
def clock(app):
    now = {"ms": T0}
    app.extensions["replaydesk"].now_ms = lambda: now["ms"]
    return now


def _session(app, origin: str, hrefs: list[str], project=None) -> str:
    events = [meta_event(T0, f"{origin}/"), page_with_stylesheets(T0 + 1, hrefs), click_event(T0 + 50)]
    return make_session(app, project or make_project(app), events=events, meta={"url": f"{origin}/"})


def _page_with_images(app, origin: str, project=None) -> str:
    """A stylesheet, an <img srcset> and an inline-style background."""
    page = document(
        element(10, "img", {"src": f"{origin}/hero.png", "srcset": f"{origin}/hero.png 1x, {origin}/login.png 2x"}),
        element(11, "div", {"style": f"background-image: url({origin}/bg.png)"}),
        head_children=[element(5, "link", {"rel": "stylesheet", "href": f"{origin}/site.css"})])
    events = [meta_event(T0, f"{origin}/"), snapshot_event(T0 + 1, page), click_event(T0 + 50)]
    return make_session(app, project or make_project(app), events=events, meta={"url": f"{origin}/"})


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _cache(client, sid, bearer) -> dict:
    return client.post(f"/api/v1/sessions/{sid}/assets", headers=bearer).get_json()


def test_cached_once_and_served_after_the_site_changes(client, app, bearer, site, clock):
    sid = _page_with_images(app, site)
    assert client.get(f"/api/v1/sessions/{sid}/assets", headers=bearer).get_json() == {
        "assets": {}, "scanned": False, "pending": True}  # a batch named assets: the job is due
    report = _cache(client, sid, bearer)
    assert set(report["fetched"]) == {f"{site}/site.css", f"{site}/fonts/brand.woff2", f"{site}/bg.png", f"{site}/hero.png"}
    assert "content type text/html" in report["failed"][f"{site}/login.png"]
    paths = report["assets"]
    assert paths[f"{site}/hero.png"] == f"/api/v1/assets/{sha(PNG_BYTES + b'hero')}"
    assert paths[f"{site}/bg.png"] == f"/api/v1/assets/{sha(PNG_BYTES)}"
    assert paths[f"{site}/fonts/brand.woff2"] == f"/api/v1/assets/{sha(FONT_BYTES)}"  # named by the stylesheet

    RecordedSite.files["/site.css"] = (b"body { color: blue }", "text/css")  # the site changes...
    RecordedSite.files.pop("/fonts/brand.woff2")
    css = client.get(paths[f"{site}/site.css"], headers=bearer)
    assert css.status_code == 200 and css.mimetype == "text/css"  # ...the replay keeps the old look
    assert "immutable" in css.headers["Cache-Control"] and css.headers["X-Content-Type-Options"] == "nosniff"
    text = css.get_data(as_text=True)
    assert "rgb(200, 0, 0)" in text
    # its font and background by their files' names, relative: it works under a share link's path too
    assert f'url("{sha(FONT_BYTES)}")' in text and f'url("{sha(PNG_BYTES)}")' in text
    font = client.get(paths[f"{site}/fonts/brand.woff2"], headers=bearer)
    assert font.data == FONT_BYTES and font.mimetype == "font/woff2"
    assert font.headers["Access-Control-Allow-Origin"] == "http://localhost"  # the replay frame's origin: ours
    hero = client.get(paths[f"{site}/hero.png"], headers=bearer)
    assert hero.mimetype == "image/png"  # sent as application/octet-stream; served as what it is
    assert "sandbox" in hero.headers["Content-Security-Policy"]

    again = _cache(client, sid, bearer)
    assert again["fetched"] == [] and again["assets"] == paths  # never re-fetched
    state = client.get(f"/api/v1/sessions/{sid}/assets", headers=bearer).get_json()
    assert state["scanned"] is True and state["assets"] == paths


def test_each_session_keeps_the_site_of_its_own_time(client, app, bearer, site, clock):
    first = _session(app, site, [f"{site}/site.css"])
    old = _cache(client, first, bearer)["assets"][f"{site}/site.css"]
    RecordedSite.files["/site.css"] = (b"body { color: blue }", "text/css")  # a deploy

    soon = _session(app, site, [f"{site}/site.css"])
    clock["ms"] += REUSE_FETCH_MS - 1  # a fetch this fresh serves the next sessions as it is
    assert _cache(client, soon, bearer) == {"assets": {
        f"{site}/site.css": old, f"{site}/fonts/brand.woff2": f"/api/v1/assets/{sha(FONT_BYTES)}",
        f"{site}/bg.png": f"/api/v1/assets/{sha(PNG_BYTES)}"}, "scanned": True, "fetched": [], "failed": {}}

    later = _session(app, site, [f"{site}/site.css"])
    clock["ms"] += 2
    new = _cache(client, later, bearer)["assets"]
    assert new == {f"{site}/site.css": f"/api/v1/assets/{sha(b'body { color: blue }')}"}
    assert client.get(f"/api/v1/sessions/{first}/assets", headers=bearer).get_json()["assets"][f"{site}/site.css"] == old


def test_the_same_bytes_are_stored_once_across_urls_sessions_and_projects(client, app, bearer, site, clock):
    RecordedSite.files["/copy.png"] = (PNG_BYTES, "image/png")
    one = _page_with_images(app, site)
    _cache(client, one, bearer)
    page = document(element(10, "img", {"src": f"{site}/copy.png"}))
    other = make_session(app, make_project(app), events=[meta_event(T0, f"{site}/"), snapshot_event(T0 + 1, page)])
    assert _cache(client, other, bearer)["assets"] == {f"{site}/copy.png": f"/api/v1/assets/{sha(PNG_BYTES)}"}
    with app.app_context():
        from server.runtime import current_runtime

        keys = list(current_runtime().blobs.iter_keys("assets/"))
    assert sorted(keys) == sorted(f"assets/{sha(body)}" for body in (
        PNG_BYTES, PNG_BYTES + b"hero", FONT_BYTES, client.get(
            _cache(client, one, bearer)["assets"][f"{site}/site.css"], headers=bearer).data))


def test_a_limit_per_asset(make_app, bearer, site):
    small = make_app(fetch_allow_private=True, asset_max_image_bytes=len(PNG_BYTES) + 1)
    sid = _page_with_images(small, site)
    report = small.test_client().post(f"/api/v1/sessions/{sid}/assets", headers=bearer).get_json()
    assert "larger than" in report["failed"][f"{site}/hero.png"] and f"{site}/bg.png" in report["assets"]


def test_a_quota_per_project(make_app, bearer, site):
    tight = make_app(fetch_allow_private=True, asset_project_quota_bytes=len(FONT_BYTES) + 10)
    project = make_project(tight)
    report = tight.test_client().post(f"/api/v1/sessions/{_session(tight, site, [f'{site}/site.css'], project)}/assets",
                                      headers=bearer).get_json()
    assert report["failed"][f"{site}/site.css"] == "the project's asset quota is used up"
    assert report["assets"] == {}
    with tight.app_context():
        from server.runtime import current_runtime

        assert list(current_runtime().blobs.iter_keys("assets/")) == []  # its font, fetched first, is not kept alone


def test_player_page_hands_the_map_to_the_player(client, app, auth, bearer, site):
    sid = _session(app, site, [f"{site}/site.css"])
    paths = _cache(client, sid, bearer)["assets"]
    auth.login()
    html = client.get(f"/sessions/{sid}").get_data(as_text=True)
    data = json.loads(re.search(r'id="page-data">(.*?)</script>', html, re.S).group(1))
    assert data["assets"] == paths and data["assetsPending"] is True  # the job is still due: it would wait for it


def test_wrong_types_are_refused(client, app, bearer, site):
    own = _session(app, site, [f"{site}/evil.css", f"{site}/nope.css"])
    report = _cache(client, own, bearer)
    assert "content type text/html" in report["failed"][f"{site}/evil.css"]
    assert "HTTP 404" in report["failed"][f"{site}/nope.css"] and report["assets"] == {}


def test_unknown_assets_and_strangers(client, bearer, site, app):
    assert client.get("/api/v1/assets/" + "0" * 64, headers=bearer).status_code == 404
    assert client.get("/api/v1/assets/../../etc/passwd", headers=bearer).status_code == 404
    assert client.get("/api/v1/assets/" + "0" * 64).status_code == 401
    assert client.post("/api/v1/sessions/nope-nope/assets", headers=bearer).status_code == 404


def _stored_bytes(client, sid, bearer) -> int:
    return client.get(f"/api/v1/sessions/{sid}", headers=bearer).get_json()["stored_bytes"]


def test_delete_and_purge_release_what_no_session_uses(client, app, bearer, site, clock):
    project = make_project(app)
    first, second = _page_with_images(app, site, project), _session(app, site, [f"{site}/site.css"], project)
    events_only = _stored_bytes(client, second, bearer)
    _cache(client, first, bearer)
    css = client.get(_cache(client, second, bearer)["assets"][f"{site}/site.css"], headers=bearer).data
    shared = len(css) + len(FONT_BYTES) + len(PNG_BYTES)  # the stylesheet and what it names
    assert _stored_bytes(client, second, bearer) == events_only + shared // 2  # its share of what both use

    assert client.delete(f"/api/v1/sessions/{first}", headers=bearer).status_code == 200
    with app.app_context():
        from server.runtime import current_runtime

        blobs = current_runtime().blobs
        assert f"assets/{sha(PNG_BYTES + b'hero')}" not in set(blobs.iter_keys("assets/"))  # only the first used it
        assert len(list(blobs.iter_keys("assets/"))) == 3  # the second still uses these
        assert list(blobs.iter_keys(f"sessions/{first}/")) == []
    assert _stored_bytes(client, second, bearer) == events_only + shared
    assert client.get(f"/api/v1/assets/{sha(FONT_BYTES)}", headers=bearer).status_code == 200

    with app.app_context():
        assert purge_sessions(current_runtime().blobs, received_before_ms=T0 + 1) == 1
        assert list(current_runtime().blobs.iter_keys("assets/")) == []
    assert client.get(f"/api/v1/assets/{sha(FONT_BYTES)}", headers=bearer).status_code == 404
    clock["ms"] += 1  # the URLs are fetched again for a new session: their rows went too
    assert set(_cache(client, _session(app, site, [f"{site}/site.css"]), bearer)["fetched"]) == {
        f"{site}/site.css", f"{site}/fonts/brand.woff2", f"{site}/bg.png"}


def test_fetch_refuses_other_schemes_and_big_bodies(site):
    with pytest.raises(FetchRefused):
        fetch_asset("file:///etc/passwd", "stylesheet", OutboundPolicy(allow_private=True), max_bytes=1000)
    with pytest.raises(FetchRefused, match="larger than"):
        fetch_asset(f"{site}/site.css", "stylesheet", OutboundPolicy(allow_private=True), max_bytes=10)
    fetched = fetch_asset(f"{site}/hero.png", "image", OutboundPolicy(allow_private=True), max_bytes=1000)
    assert fetched.content_type == "image/png"


def test_copies_cached_before_content_addressing_stay_with_their_sessions(client, app, bearer, site, clock):
    """What migration 0008 left: files keyed by their URL's hash, a scan without a version.
    The next run links the session to those copies, however old, and to the font its old
    stylesheet names by our absolute path; nothing is fetched again."""
    from server.assets.cache import scan_key, url_hash
    from server.runtime import current_runtime
    from server.storage.models import AssetFile, CachedAsset
    from server.storage.unit_of_work import unit_of_work

    sid = _session(app, site, [f"{site}/site.css"])
    css_url, font_url = f"{site}/site.css", f"{site}/fonts/brand.woff2"
    old_css = f'@font-face {{ src: url("/api/v1/assets/{url_hash(font_url)}") }} body {{ color: rgb(1, 2, 3) }}'.encode()
    with app.app_context():
        blobs = current_runtime().blobs
        with unit_of_work() as db:
            for url, body, kind in ((css_url, old_css, "text/css"), (font_url, b"wOF2 old", "font/woff2")):
                blobs.put(f"assets/{url_hash(url)}", body)
                db.add(AssetFile(sha256=url_hash(url), content_type=kind, size=len(body), blob_key=f"assets/{url_hash(url)}",
                                 parts={}, created_at=1))
                db.add(CachedAsset(url_hash=url_hash(url), url=url, sha256=url_hash(url), status=200, fetched_at=1))
        blobs.put(scan_key(sid), json.dumps({"urls": {css_url: "stylesheet"}, "chunks": []}).encode())
    report = _cache(client, sid, bearer)
    assert report["fetched"] == [] and report["assets"] == {
        css_url: f"/api/v1/assets/{url_hash(css_url)}", font_url: f"/api/v1/assets/{url_hash(font_url)}"}
    assert client.get(f"/api/v1/assets/{url_hash(css_url)}", headers=bearer).data == old_css
