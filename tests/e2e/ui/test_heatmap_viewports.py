"""Heatmaps in Chromium, split by viewport: a visit recorded at 390 px is drawn over a
390 px backdrop and not over the desktop one, pages group by a URL pattern, and the
scroll-depth map says how many visits saw a spot."""
from __future__ import annotations

import gzip
import json
import re
import uuid
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.conftest import CORPUS_DIR
from tests.e2e.ui.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SITE = "http://127.0.0.1:8731"
CART = f"{SITE}/cart.html"


@pytest.fixture(scope="module")
def phone_session(ui_server, tmp_path_factory):
    """The coupon rager again, recorded on a 390 × 844 phone."""
    recording = json.load(gzip.open(CORPUS_DIR / "shop-04-coupon_rager_buys.json.gz"))
    recording["session_id"] = f"phone-{uuid.uuid4().hex[:12]}"
    recording["meta"]["viewport"] = {"w": 390, "h": 844}
    for event in recording["events"]:
        if event["type"] == 4:
            event["data"].update(width=390, height=844)
    path = tmp_path_factory.mktemp("phone") / "phone.json.gz"
    path.write_bytes(gzip.compress(json.dumps(recording).encode()))
    return ui_server.import_recording(path)


def open_heatmap(page, ui_server, url: str, **params) -> None:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    page.goto(f"{ui_server.url}/pages/heatmap?url={quote(url, safe='')}&{query}")
    expect(page.locator("#heatmap-stage .heatmap-overlay")).to_be_attached(timeout=15_000)


def total(page) -> tuple[int, int]:
    expect(page.locator("#heatmap-total")).to_have_text(re.compile(r"\d+ points · \d+ sessions"))
    points, sessions = re.findall(r"\d+", page.locator("#heatmap-total").inner_text())
    return int(points), int(sessions)


def test_each_viewport_gets_its_own_backdrop_and_clicks(page, ui_server, phone_session):
    open_heatmap(page, ui_server, CART, viewport="mobile")
    stage = page.locator("#heatmap-stage")
    expect(stage).to_have_attribute("data-width", "390")
    mobile_points, mobile_sessions = total(page)
    assert mobile_sessions == 1 and mobile_points > 0
    screenshot(page, "heatmap-mobile")

    page.select_option("#viewport", "desktop")
    expect(stage).not_to_have_attribute("data-width", "390")
    assert int(stage.get_attribute("data-width")) >= 1024
    desktop_points, desktop_sessions = total(page)
    assert desktop_sessions >= 1 and "viewport=desktop" in page.url
    page.select_option("#viewport", "")
    expect(page.locator("#heatmap-total")).to_have_text(
        f"{mobile_points + desktop_points} points · {mobile_sessions + desktop_sessions} sessions")  # no tablet visits
    page.select_option("#viewport", "390")  # an exact width, offered from the recorded ones
    expect(stage).to_have_attribute("data-width", "390")
    assert total(page) == (mobile_points, mobile_sessions)
    screenshot(page, "heatmap-desktop")


def test_scroll_depth_and_a_pattern_of_pages(page, ui_server, phone_session):
    open_heatmap(page, ui_server, f"{SITE}/product.html*", kind="click")
    _, sessions = total(page)
    assert sessions >= 2  # product pages of several visitors, one map
    page.click(".segmented button[data-kind=scroll]")
    expect(page.locator("#scroll-legend")).to_be_visible()
    expect(page.locator("#heatmap-total")).to_have_text(re.compile(r"^\d+ visits$"))
    overlay = page.locator(".heatmap-overlay")
    box = overlay.bounding_box()
    page.mouse.click(box["x"] + 30, box["y"] + 20)
    expect(page.locator("#spot-hint")).to_have_text(re.compile(r"^\d+ % of \d+ visits? saw this far\.$"))
    assert "100 %" in page.locator("#spot-hint").inner_text()  # the top of the page: everyone
    screenshot(page, "heatmap-scroll")


def test_the_heatmap_at_390_px(browser, ui_server, phone_session):
    from tests.e2e.server import sign_in
    from tests.e2e.ui.conftest import EMAIL, PASSWORD

    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = sign_in(context, ui_server.url, EMAIL, PASSWORD)
        open_heatmap(page, ui_server, CART, viewport="mobile")
        assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        screenshot(page, "heatmap-390")
    finally:
        context.close()
