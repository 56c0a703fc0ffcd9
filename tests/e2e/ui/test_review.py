"""The review UI in Debian's Chromium: sign-in gates, the rage-click review flow from
the session list to an exported finding, inert hostile text, the heatmap page."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.ui.conftest import FIRST_FRAME_TIMEOUT_MS, screenshot, wait_for_first_frame

pytestmark = [pytest.mark.browser, pytest.mark.slow]

def format_offset(ms: int) -> str:
    seconds = max(0, ms) // 1000
    return f"{seconds // 60}:{seconds % 60:02d}"


def is_not_blank(png: bytes) -> bool:
    """More than a handful of colours: a rendered page, not an empty frame."""
    image = Image.open(io.BytesIO(png)).convert("RGB").resize((160, 100))
    return len(image.getcolors(maxcolors=100_000) or []) > 40


@pytest.mark.parametrize("path", ["/", "/sessions", "/sessions/any-session-id", "/notes", "/findings", "/findings/1",
                                  "/pages", "/pages/heatmap?url=http%3A%2F%2F127.0.0.1%3A8731%2Fcart.html"])
def test_every_page_redirects_to_login_when_logged_out(context, ui_server, path):
    page = context.new_page()
    page.goto(f"{ui_server.url}{path}")
    assert re.search(r"/auth/login\?next=", page.url), page.url
    assert page.locator("h1").inner_text() == "Sign in"


def test_rage_click_review_from_list_to_exported_finding(page, ui_server, dialogs):
    screenshot(page, "01-sessions")
    page.check("input[name=signal][value=rage_click]")
    page.click("text=Apply filters")
    page.wait_for_url(re.compile(r"signal=rage_click"))
    rows = page.locator("table.sessions tbody tr")
    listed = {href.rsplit("/", 1)[1] for href in (row.get_attribute("data-href") for row in rows.all())}
    ragers = {ui_server.sessions[name] for name in ("shop-04-coupon_rager_buys", "shop-06-coupon_rager_leaves",
                                                    "shop-10-promo_rager")}
    assert ragers <= listed  # other tests of the package may import more ragers
    assert ui_server.sessions["shop-01-happy_buyer"] not in listed  # the happy buyer is filtered out
    assert rows.locator('.badge[data-kind="rage_click"]').count() == rows.count()
    screenshot(page, "02-sessions-rage")

    rows.first.locator("a.session-title").click()
    wait_for_first_frame(page)
    frame = page.locator("#stage iframe")
    assert frame.get_attribute("sandbox") == "allow-same-origin"  # no scripts in the replay, ever
    assert is_not_blank(page.locator("#stage").screenshot())
    screenshot(page, "03-player")

    if page.get_attribute("#play", "aria-label") == "Pause":
        page.click("#play")
    marker = page.locator('.marker[data-kind="rage_click"]').first
    offset = int(marker.get_attribute("data-offset"))
    marker.click()
    expect(page.locator("#clock")).to_have_text(re.compile(rf"^{format_offset(offset)} / "))
    screenshot(page, "04-player-at-rage")

    page.keyboard.press("n")
    page.wait_for_selector("#note-dialog[open]")
    page.fill("#note-text", "Apply coupon gives no feedback <script>alert('note')</script>")
    page.fill("#note-tags", "coupon, feedback")
    page.click(".severity-choice label:has-text('Major')")
    screenshot(page, "05-note-dialog")
    page.click("#note-save")
    page.wait_for_selector("#list-notes .note-text")
    assert "<script>alert('note')</script>" in page.locator("#list-notes .note-text").first.inner_text()
    expect(page.locator('.marker[data-id*="note-"]')).to_have_count(1)  # alone, or in a cluster with the rage click
    screenshot(page, "06-player-with-note")

    page.click("nav >> text=Notes")
    page.locator("input.pick").first.check()
    page.click("#new-finding")
    page.fill("#finding-title", "Coupon button gives no feedback")
    page.fill("#finding-description", "People press Apply again and again; nothing tells them it is working.")
    page.select_option("#finding-severity", "3")
    page.fill("#finding-variant", "checkout-redesign:A")
    screenshot(page, "07-new-finding")
    page.click("#finding-form button[type=submit]")
    page.wait_for_url(re.compile(r"/findings/\d+$"))
    assert "Apply coupon gives no feedback" in page.content()
    screenshot(page, "08-finding")

    page.click("nav >> text=Findings")
    assert page.locator(".finding-card h3").first.inner_text() == "Coupon button gives no feedback"
    screenshot(page, "09-board")
    export = page.request.get(f"{ui_server.url}/api/v1/findings/export?format=md")
    assert export.ok and re.search(r"^## \d+\. Coupon button gives no feedback$", export.text(), re.M)
    assert re.search(rf"\({re.escape(ui_server.url)}/sessions/[\w-]+\?t=\d+\)", export.text())
    assert dialogs == []


def test_hostile_text_stays_inert(page, ui_server, dialogs, tmp_path):
    """Recorded text, a recorded script and handler attributes, and a note: none runs."""
    import json

    from tests.factories import T0

    html = {"type": 2, "tagName": "html", "id": 2, "attributes": {}, "childNodes": [
        {"type": 2, "tagName": "head", "id": 3, "attributes": {}, "childNodes": [
            {"type": 2, "tagName": "script", "id": 4, "attributes": {}, "childNodes": [{"type": 3, "id": 5, "textContent": "alert('recorded script')"}]}]},
        {"type": 2, "tagName": "body", "id": 6, "attributes": {"onload": "alert('onload')", "style": "background:#fde"}, "childNodes": [
            {"type": 2, "tagName": "h1", "id": 7, "attributes": {}, "childNodes": [{"type": 3, "id": 8, "textContent": "<script>alert('text')</script>"}]},
            {"type": 2, "tagName": "img", "id": 9, "attributes": {"src": "x", "onerror": "alert('onerror')"}, "childNodes": []}]}]}
    events = [{"type": 4, "timestamp": T0, "data": {"href": "http://127.0.0.1:9/evil", "width": 1024, "height": 600}},
              {"type": 2, "timestamp": T0 + 1, "data": {"node": {"type": 0, "id": 1, "childNodes": [html]}, "initialOffset": {"left": 0, "top": 0}}},
              {"type": 3, "timestamp": T0 + 3000, "data": {"source": 2, "type": 2, "id": 7, "x": 20, "y": 20}}]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps({"session_id": "hostile-session-0001", "events": events}))
    sid = ui_server.import_recording(path)
    page.goto(f"{ui_server.url}/sessions/{sid}")
    wait_for_first_frame(page)
    page.keyboard.press("n")
    page.fill("#note-text", "<img src=x onerror=\"alert('note')\"><script>alert('note')</script>")
    page.click("#note-save")
    page.wait_for_selector("#list-notes .note-text")
    page.wait_for_timeout(1500)  # give anything that would run the time to run
    replay = page.frame_locator("#stage iframe")
    assert "<script>alert('text')</script>" in replay.locator("h1").inner_text()
    page.goto(f"{ui_server.url}/notes")
    page.goto(f"{ui_server.url}/sessions/{sid}")
    wait_for_first_frame(page)
    screenshot(page, "10-hostile")
    assert dialogs == []


def test_pages_and_heatmap_list_the_sessions_behind_a_spot(page, ui_server):
    page.click("nav >> text=Pages")
    page.wait_for_selector("#pages-table tbody tr")
    screenshot(page, "11-pages")
    page.click("#pages-table tbody tr:has-text('/cart.html') >> text=Heatmap")
    overlay = page.locator(".heatmap-overlay")
    overlay.wait_for(state="visible", timeout=FIRST_FRAME_TIMEOUT_MS)
    expect(page.locator("#heatmap-total")).to_have_text(re.compile(r"^[1-9]\d* points"))
    screenshot(page, "12-heatmap-clicks")

    page.click(".segmented >> text=Rage clicks")
    expect(page.locator("#heatmap-total")).to_have_text(re.compile(r"^[1-9]\d* points"))
    rage = page.request.get(f"{ui_server.url}/api/v1/heatmap/sessions?url=http%3A%2F%2F127.0.0.1%3A8731%2Fcart.html"
                            "&kind=rage&x=0&y=0&radius=2000").json()["sessions"]
    assert rage, "the coupon ragers clicked on the cart page"
    box = overlay.bounding_box()
    frame = page.request.get(f"{ui_server.url}/api/v1/heatmap/frame?url=http%3A%2F%2F127.0.0.1%3A8731%2Fcart.html").json()
    scale = box["width"] / frame["width"]
    # click where a rage click happened (signal coordinates are page pixels on this unscrolled page)
    signals = page.request.get(f"{ui_server.url}/api/v1/sessions/{rage[0]['session_id']}/signals").json()["signals"]
    target = next(s for s in signals if s["kind"] == "rage_click" and s["url"].endswith("/cart.html"))
    page.mouse.click(box["x"] + target["x"] * scale, box["y"] + target["y"] * scale)
    expect(page.locator("#spot-hint")).to_have_text(re.compile(r"^\d+ sessions? near this spot"))
    expect(page.locator("#spot-sessions li").first).to_be_visible()
    screenshot(page, "13-heatmap-spot")
