"""The player keeps the keyboard while a recorded user clicks and focuses fields: every
shortcut acts mid-playback, and Tab never walks into the replayed page."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.ui.conftest import screenshot, wait_for_first_frame

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# shop-04: the user clicks and focuses the coupon field from 3.3 s on (rrweb Focus
# interactions the replayer used to apply inside its frame, taking the keyboard with them).
SESSION = "shop-04-coupon_rager_buys"
FIRST_FOCUS_S = 4


def clock_seconds(page) -> int:
    shown = page.locator("#clock").inner_text().split(" / ")[0]
    parts = [int(part) for part in shown.split(":")]
    return parts[-1] + 60 * parts[-2] + (3600 * parts[0] if len(parts) == 3 else 0)


def focus_is_outside_frame(page) -> bool:
    return page.evaluate("""() => {
        const frame = document.querySelector('#stage iframe');
        const inner = frame.contentDocument.activeElement;
        return document.activeElement !== frame && (!inner || inner === frame.contentDocument.body);
    }""")


def test_every_shortcut_acts_while_the_recorded_user_clicks(page, ui_server):
    page.goto(f"{ui_server.url}/sessions/{ui_server.sessions[SESSION]}")
    wait_for_first_frame(page)
    expect(page.locator("#play")).to_have_attribute("aria-label", "Pause")  # it plays on open
    for _ in range(200):
        if clock_seconds(page) >= FIRST_FOCUS_S + 1:
            break
        page.wait_for_timeout(100)
    assert clock_seconds(page) >= FIRST_FOCUS_S + 1
    assert focus_is_outside_frame(page)

    page.keyboard.press(" ")
    expect(page.locator("#play")).to_have_attribute("aria-label", "Play")
    paused_at = clock_seconds(page)
    page.keyboard.press("ArrowRight")
    expect(page.locator("#clock")).to_have_text(re.compile(rf"^0:{paused_at + 5:02d} / "))
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#clock")).to_have_text(re.compile(rf"^0:{paused_at:02d} / "))

    offsets = page.evaluate("""() => {
        const session = JSON.parse(document.getElementById('page-data').textContent).session;
        return session.signals.map((s) => s.ts - session.started_at).sort((a, b) => a - b);
    }""")
    assert offsets  # one rage click, at 0:17
    page.keyboard.press("Shift+ArrowLeft")  # 30 s back: the start
    expect(page.locator("#clock")).to_have_text(re.compile(r"^0:00 / "))
    page.keyboard.press("]")
    expect(page.locator("#clock")).to_have_text(re.compile(rf"^0:{offsets[0] // 1000:02d} / "))
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("[")
    expect(page.locator("#clock")).to_have_text(re.compile(rf"^0:{offsets[0] // 1000:02d} / "))

    skip = page.locator("#skip-inactive")
    was_skipping = skip.is_checked()
    page.keyboard.press("s")
    assert skip.is_checked() is not was_skipping
    speed = page.locator("#speed").input_value()
    page.keyboard.press(">")
    assert float(page.locator("#speed").input_value()) > float(speed)
    page.keyboard.press("<")
    assert page.locator("#speed").input_value() == speed

    page.keyboard.press(" ")  # playing again, through more clicks and focus changes
    expect(page.locator("#play")).to_have_attribute("aria-label", "Pause")
    page.wait_for_timeout(2500)
    assert focus_is_outside_frame(page)
    page.keyboard.press("?")
    expect(page.locator("#help-dialog")).to_be_visible()
    page.keyboard.press("Escape")
    page.keyboard.press("n")
    expect(page.locator("#note-dialog")).to_be_visible()
    assert page.evaluate("document.activeElement.id") == "note-text"  # typing goes to the note
    screenshot(page, "keyboard-note-mid-playback")
    page.keyboard.press("Escape")


def test_tab_order_skips_the_replayed_page(page, ui_server):
    page.goto(f"{ui_server.url}/sessions/{ui_server.sessions[SESSION]}?t=20000")
    wait_for_first_frame(page)
    frame = page.locator("#stage iframe")
    assert frame.get_attribute("tabindex") == "-1"
    assert frame.get_attribute("title")  # named for screen readers
    assert page.evaluate("document.querySelector('#stage iframe').inert") is True
    assert page.locator("#stage iframe").get_attribute("sandbox") == "allow-same-origin"

    visited = []
    page.locator(".session-head a.back").focus()
    for _ in range(40):
        page.keyboard.press("Tab")
        visited.append(page.evaluate("document.activeElement.id || document.activeElement.tagName"))
        assert focus_is_outside_frame(page), visited
    assert "play" in visited and "IFRAME" not in visited

    # Something inside the frame that grabs focus anyway gets none, and keys still act.
    page.evaluate("""() => {
        const doc = document.querySelector('#stage iframe').contentDocument;
        (doc.querySelector('button, a, input') || doc.body).focus();
    }""")
    assert focus_is_outside_frame(page)
    before = page.locator("#clock").inner_text()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#clock")).not_to_have_text(before)
