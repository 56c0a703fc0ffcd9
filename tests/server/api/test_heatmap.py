"""Heatmaps: clicks from events (in page coordinates), rage/dead from signals, the
sessions behind a spot, the first frame of a page, and input checks."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from server.storage.database import db
from server.storage.models import Signal
from tests.factories import T0, click_event, custom_event, make_project, make_session, meta_event

CART = "https://shop.test/cart"


def snapshot(ts: int) -> dict:
    return {"type": 2, "timestamp": ts, "data": {"node": {"type": 0, "id": 1, "childNodes": [
        {"type": 2, "tagName": "html", "id": 2, "attributes": {}, "childNodes": [
            {"type": 2, "tagName": "body", "id": 3, "attributes": {}, "childNodes": [{"type": 3, "id": 4, "textContent": "Cart"}]}]}]},
        "initialOffset": {"left": 0, "top": 0}}}


def scroll(ts: int, y: int) -> dict:
    return {"type": 3, "timestamp": ts, "data": {"source": 3, "id": 1, "x": 0, "y": y}}


@pytest.fixture
def sessions(app):
    """Two visits of the cart: clicks at (100, 100) and, after scrolling 400 px, at page (100, 500)."""
    project = make_project(app)
    first = make_session(app, project, events=[
        meta_event(T0, "https://shop.test/"), snapshot(T0 + 1), click_event(T0 + 100, x=700, y=700),  # on another page
        meta_event(T0 + 1000, CART + "#top"), snapshot(T0 + 1001), click_event(T0 + 2000, x=100, y=100),
        scroll(T0 + 3000, 400), click_event(T0 + 4000, x=100, y=100), click_event(T0 + 4500, x=0, y=0)],
        meta={"url": "https://shop.test/", "variants": {"checkout": "A"}, "viewport": {"w": 1024, "h": 700}})
    second = make_session(app, project, events=[meta_event(T0 + 10, CART), snapshot(T0 + 11),
                                                custom_event(T0 + 12, "$pageview", {"url": CART}),
                                                click_event(T0 + 3000, x=102, y=98)],
                          meta={"url": CART, "variants": {"checkout": "B"}, "viewport": {"w": 1024, "h": 700}})
    with app.app_context():
        db.session.add(Signal(session_id=second, kind="rage_click", ts=T0 + 3000, end_ts=T0 + 3500, url=CART, x=102, y=98,
                              count=3, target={"selector": "#apply"}, details={}))
        db.session.commit()
    return first, second


def _png(client, bearer, query: str):
    response = client.get(f"/api/v1/heatmap.png?{query}", headers=bearer)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "image/png"
    return response, Image.open(io.BytesIO(response.data))


def test_click_heatmap_in_page_coordinates(client, bearer, sessions):
    response, image = _png(client, bearer, f"url={CART}&kind=click&width=800&height=1200")
    assert image.size == (800, 1200) and image.mode == "RGBA"
    assert response.headers["X-Replaydesk-Points"] == "3"  # keyboard click at (0, 0) and other pages left out
    assert response.headers["X-Replaydesk-Sessions"] == "2"
    assert image.getpixel((100, 100))[3] > 100  # hot where two clicks landed
    assert image.getpixel((100, 500))[3] > 0  # the click after scrolling 400 px
    assert image.getpixel((700, 700))[3] == 0  # the click on the home page is not here
    assert image.getpixel((600, 1100))[3] == 0


def test_default_size_is_the_recorded_viewport(client, bearer, sessions):
    _, image = _png(client, bearer, f"url={CART}")
    assert image.size[0] == 1024 and image.size[1] >= 700


def test_rage_and_dead_come_from_signals_and_variants_filter(client, bearer, sessions):
    response, image = _png(client, bearer, f"url={CART}&kind=rage&width=400&height=400")
    assert response.headers["X-Replaydesk-Points"] == "1" and image.getpixel((102, 98))[3] > 0
    assert _png(client, bearer, f"url={CART}&kind=dead")[0].headers["X-Replaydesk-Points"] == "0"
    assert _png(client, bearer, f"url={CART}&kind=click&variant=checkout:A")[0].headers["X-Replaydesk-Points"] == "2"
    assert _png(client, bearer, f"url={CART}&kind=rage&variant=checkout:A")[0].headers["X-Replaydesk-Points"] == "0"


def test_sessions_behind_a_spot(client, bearer, sessions):
    first, second = sessions
    body = client.get(f"/api/v1/heatmap/sessions?url={CART}&kind=click&x=100&y=100&radius=10", headers=bearer).get_json()
    found = {s["session_id"]: s for s in body["sessions"]}
    assert set(found) == {first, second} and body["points"] == 2
    assert found[first]["offset_ms"] == 2000 and found[first]["link"] == f"/sessions/{first}?t=2000"
    scrolled = client.get(f"/api/v1/heatmap/sessions?url={CART}&x=100&y=500&radius=10", headers=bearer).get_json()
    assert [s["session_id"] for s in scrolled["sessions"]] == [first]
    far = client.get(f"/api/v1/heatmap/sessions?url={CART}&x=600&y=50", headers=bearer).get_json()
    assert far["sessions"] == []


def test_first_frame_of_a_page(client, bearer, sessions):
    body = client.get(f"/api/v1/heatmap/frame?url={CART}", headers=bearer).get_json()
    assert body["session_id"] in sessions
    assert [e["type"] for e in body["events"]][:2] == [4, 2]  # Meta, then the full snapshot to rebuild
    assert body["offset_ms"] > 0
    assert client.get("/api/v1/heatmap/frame?url=https://shop.test/never", headers=bearer).status_code == 404


@pytest.mark.parametrize("query", ["", "url=/cart", "url=javascript:alert(1)", f"url={CART}&kind=hover",
                                   f"url={CART}&variant=nocolon", f"url={CART}&width=0", f"url={CART}&height=999999"])
def test_bad_queries_are_400(client, bearer, sessions, query):
    response = client.get(f"/api/v1/heatmap.png?{query}", headers=bearer)
    assert response.status_code == 400 and response.get_json()["ok"] is False


def test_spot_needs_coordinates_and_everything_needs_a_reviewer(client, bearer, sessions):
    assert client.get(f"/api/v1/heatmap/sessions?url={CART}", headers=bearer).status_code == 400
    assert client.get(f"/api/v1/heatmap.png?url={CART}").status_code == 401
    assert client.get(f"/api/v1/heatmap/sessions?url={CART}&x=1&y=1").status_code == 401
