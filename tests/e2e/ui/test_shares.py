"""A share link in a fresh browser with no login: the read-only player shows the
session's replay from the shared moment; nothing of the review UI opens with it; once
revoked the link answers 410."""
from __future__ import annotations

import requests
from playwright.sync_api import expect

from tests.e2e.ui.conftest import screenshot, wait_for_first_frame


def test_a_share_link_plays_without_login_then_stops_when_revoked(browser, ui_server):
    session = ui_server.sessions["shop-04-coupon_rager_buys"]
    bearer = {"Authorization": f"Bearer {ui_server.token}"}
    link = requests.post(f"{ui_server.url}/api/v1/sessions/{session}/shares", headers=bearer, timeout=10,
                         json={"from_ms": 4000, "to_ms": 12_000}).json()
    stranger = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = stranger.new_page()
        answer = page.goto(link["url"])
        assert answer.status == 200
        wait_for_first_frame(page)
        expect(page.locator("#clock")).to_have_text("0:04 / 0:12")
        frame = page.frame_locator("#stage iframe")
        expect(frame.locator("body")).not_to_be_empty()
        assert page.locator("#add-note, .side, nav.nav").count() == 0  # no notes, panels or review navigation
        screenshot(page, "30-share")
        page.click("#play")
        expect(page.locator("#play")).to_have_attribute("aria-label", "Pause")
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "31-share-390")

        assert page.goto(f"{ui_server.url}/sessions/{session}").url.startswith(f"{ui_server.url}/auth/login")
        assert page.request.get(f"{ui_server.url}/api/v1/sessions/{session}/events").status == 401

        assert requests.delete(f"{ui_server.url}/api/v1/shares/{link['token']}", headers=bearer, timeout=10).status_code == 204
        gone = page.goto(link["url"])
        assert gone.status == 410 and "revoked" in page.content()
    finally:
        stranger.close()
