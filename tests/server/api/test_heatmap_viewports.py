"""Heatmaps split by viewport class or exact width, pages grouped by a URL pattern, and
the scroll-depth map: how far down each visit saw the page."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.factories import T0, click_event, make_project, make_session, meta_event

SHOP = "https://shop.test"


def snapshot(ts: int) -> dict:
    return {"type": 2, "timestamp": ts, "data": {"node": {"type": 0, "id": 1, "childNodes": [
        {"type": 2, "tagName": "html", "id": 2, "attributes": {}, "childNodes": []}]}, "initialOffset": {"left": 0, "top": 0}}}


def scroll(ts: int, y: int) -> dict:
    return {"type": 3, "timestamp": ts, "data": {"source": 3, "id": 1, "x": 0, "y": y}}


def visit(app, project, path: str, width: int, height: int, *, click=(50, 60), scrolled: int = 0) -> str:
    events = [meta_event(T0, f"{SHOP}{path}"), snapshot(T0 + 1), click_event(T0 + 100, x=click[0], y=click[1])]
    events[0]["data"].update(width=width, height=height)
    if scrolled:
        events.append(scroll(T0 + 200, scrolled))
    return make_session(app, project, events=events, meta={"url": f"{SHOP}{path}", "viewport": {"w": width, "h": height}})


@pytest.fixture
def visits(app):
    project = make_project(app)
    return {
        "phone": visit(app, project, "/product/1", 390, 844, click=(20, 30), scrolled=1200),
        "phone2": visit(app, project, "/product/2?ref=mail", 390, 844, click=(22, 31)),
        "tablet": visit(app, project, "/product/1", 800, 1000, click=(300, 40), scrolled=500),
        "desk": visit(app, project, "/product/1", 1280, 800, click=(900, 50)),
        "cart": visit(app, project, "/cart", 390, 844, click=(10, 10)),
    }


def heat(client, bearer, query: str):
    response = client.get(f"/api/v1/heatmap.png?{query}", headers=bearer)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


@pytest.mark.parametrize("viewport, points", [("", 3), ("mobile", 1), ("tablet", 1), ("desktop", 1), ("390", 1),
                                              ("800", 1), ("1024", 0)])
def test_a_page_split_by_viewport(client, bearer, visits, viewport, points):
    response = heat(client, bearer, f"url={SHOP}/product/1&kind=click&viewport={viewport}")
    assert response.headers["X-Replaydesk-Points"] == str(points)


def test_a_pattern_groups_pages_and_combines_with_the_viewport(client, bearer, visits):
    assert heat(client, bearer, f"url={SHOP}/product/*&kind=click").headers["X-Replaydesk-Points"] == "4"
    mobile = heat(client, bearer, f"url={SHOP}/product/*&kind=click&viewport=mobile")
    assert (mobile.headers["X-Replaydesk-Points"], mobile.headers["X-Replaydesk-Sessions"]) == ("2", "2")
    frame = client.get(f"/api/v1/heatmap/frame?url={SHOP}/product/*&viewport=mobile", headers=bearer).get_json()
    assert frame["width"] == 390  # the backdrop at the chosen width
    assert client.get(f"/api/v1/heatmap/frame?url={SHOP}/product/*&viewport=desktop", headers=bearer).get_json()["width"] == 1280


def test_the_scroll_depth_map(client, bearer, visits):
    depths = client.get(f"/api/v1/heatmap/scroll?url={SHOP}/product/1", headers=bearer).get_json()
    assert depths == {"depths": [2044.0, 1500.0, 800.0], "sessions": 3}  # scroll + viewport height, deepest first
    response = heat(client, bearer, f"url={SHOP}/product/1&kind=scroll&width=400&height=2100")
    image = Image.open(io.BytesIO(response.data))
    assert image.size == (400, 2100) and response.headers["X-Replaydesk-Sessions"] == "3"
    seen_by_all, seen_by_one, seen_by_none = (image.getpixel((5, y)) for y in (100, 1900, 2090))
    assert seen_by_all[3] > 0 and seen_by_one[3] > 0 and seen_by_none[3] == 0
    assert seen_by_all[:3] != seen_by_one[:3]  # warm where everyone looked, cool where one did


def test_viewport_widths_of_a_page_and_bad_values(client, bearer, visits):
    widths = client.get(f"/api/v1/heatmap/viewports?url={SHOP}/product/*", headers=bearer).get_json()["widths"]
    assert widths[0] == {"width": 390, "sessions": 2} and {w["width"] for w in widths} == {390, 800, 1280}
    for bad in ("phone", "-5", "0", "9999999", "390.5"):
        assert client.get(f"/api/v1/heatmap.png?url={SHOP}/product/1&viewport={bad}", headers=bearer).status_code == 400
