"""The engineer's context in Debian's Chromium: a session with console output, failed,
unanswered and slow requests and custom events, imported like any recording; the
player's Console, Network and Events panels list them in step with the replay, seek
on click and Enter, filter, and mark what failed; the session list finds the session
by its console errors, failed and slow requests and a custom event tag."""
from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.ui.conftest import screenshot, wait_for_first_frame
from tests.e2e.ui.context_session import (
    CHARGE_FAILED_AT, CONSOLE_LINES, COUPON_404_AT, DURATION_MS, SHIPPING_SLOW_AT, SITE, TYPE_ERROR_AT, write_recording,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FAIL_RED = "rgb(180, 35, 24)"  # --fail
SLOW_AMBER = "rgb(147, 55, 13)"  # --slow


def clock_at(ms: int) -> re.Pattern:
    seconds = ms // 1000
    return re.compile(rf"^{seconds // 60}:{seconds % 60:02d} / ")


@pytest.fixture(scope="module")
def context_session(ui_server, tmp_path_factory) -> str:
    session_id = ui_server.import_recording(write_recording(tmp_path_factory.mktemp("context")))
    analysed = requests.post(f"{ui_server.url}/api/v1/sessions/{session_id}/analyze",
                             headers={"Authorization": f"Bearer {ui_server.token}"}, timeout=60)
    assert analysed.ok, analysed.text
    return session_id


def open_player(page, ui_server, session_id: str, at_ms: int):
    page.goto(f"{ui_server.url}/sessions/{session_id}?t={at_ms}")  # opens paused on that moment
    wait_for_first_frame(page)
    expect(page.locator("#count-console")).to_have_text(str(CONSOLE_LINES))


def visible_in(row, container) -> bool:
    box, view = row.bounding_box(), container.bounding_box()
    return box is not None and view["y"] <= box["y"] and box["y"] + box["height"] <= view["y"] + view["height"]


def test_console_panel_follows_the_replay_seeks_and_filters(page, ui_server, context_session):
    open_player(page, ui_server, context_session, 6000)
    assert page.get_attribute("#count-console", "data-alert") is not None  # errors: the count is red
    expect(page.locator("#tab-console")).to_contain_text("2 errors")  # said to screen readers too
    page.click("#tab-console")
    expect(page.locator("#tab-console")).to_have_attribute("aria-selected", "true")
    rows = page.locator("#list-console > li")
    expect(rows).to_have_count(CONSOLE_LINES)
    errors = page.locator('#list-console > li[data-level="error"]')
    expect(errors).to_have_count(2)
    expect(errors.first.locator(".message")).to_have_css("color", FAIL_RED)
    # at 0:06 the entry at or before the moment is the TypeError of 0:05
    current = page.locator("#list-console > li.current")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("TypeError: Cannot read properties of undefined")
    expect(current.locator("button")).to_have_attribute("aria-current", "time")
    screenshot(page, "20-console")

    # a click seeks there and opens the stack
    rows.filter(has_text="Shipping rates took").locator("button").click()
    expect(page.locator("#clock")).to_have_text(clock_at(12_500))
    expect(current).to_contain_text("Shipping rates took")
    errors.first.locator("button").click()
    expect(page.locator("#clock")).to_have_text(clock_at(TYPE_ERROR_AT))
    expect(errors.first.locator(".entry-detail")).to_contain_text("at applyCoupon (http://shop.test/static/app.js:120:17)")
    expect(errors.first.locator("button")).to_have_attribute("aria-expanded", "true")

    # Enter on a focused entry seeks too
    rows.filter(has_text="cart ready").locator("button").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#clock")).to_have_text(clock_at(1500))

    # while playing the highlight moves on, focus stays on the play button
    page.uncheck("#skip-inactive")  # play the quiet seconds at their pace
    page.click("#play")
    expect(current).to_contain_text("TypeError", timeout=15_000)
    expect(page.locator("#play")).to_be_focused()
    page.click("#play")  # pause

    # 30 s on (Shift+→): the list follows to a line below its fold, the page does not move
    page.keyboard.press("Shift+ArrowRight")
    expect(current).to_contain_text(re.compile(r"poll \d+: cart unchanged"))
    page.wait_for_timeout(200)
    assert visible_in(current, page.locator("#list-console"))
    assert page.evaluate("window.scrollY") == 0
    screenshot(page, "21-console-followed")

    # filters: levels combine with the text
    page.click('#console-levels button[data-level="error"]')
    expect(page.locator('#console-levels button[data-level="error"]')).to_have_attribute("aria-pressed", "true")
    expect(rows).to_have_count(2)
    expect(page.locator("#status-console")).to_have_text(f"2 of {CONSOLE_LINES} shown.")
    page.fill("#console-text", "payment")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Payment failed: network error")
    page.fill("#console-text", "no such text")
    expect(rows).to_have_count(0)
    expect(page.locator("#status-console")).to_have_text(f"None of {CONSOLE_LINES} match the filter.")
    page.fill("#console-text", "")
    page.click('#console-levels button[data-level="error"]')
    expect(rows).to_have_count(CONSOLE_LINES)


def test_network_panel_marks_failed_and_slow_requests_and_seeks(page, ui_server, context_session):
    open_player(page, ui_server, context_session, 6000)
    expect(page.locator("#count-network")).to_have_text("6")
    page.click("#tab-network")
    rows = page.locator("#list-network > li")
    expect(rows).to_have_count(6)

    failed = page.locator("#list-network > li[data-failed]")
    expect(failed).to_have_count(2)
    coupon = rows.filter(has_text="/api/coupon")
    expect(coupon.locator(".status")).to_have_text("404")
    expect(coupon.locator(".status")).to_have_css("color", FAIL_RED)
    expect(coupon.locator(".method")).to_have_text("POST")
    expect(coupon.locator(".duration")).to_have_text("120 ms")
    expect(coupon.locator(".size")).to_have_text("310 B")
    assert coupon.locator("button").get_attribute("title").startswith(f"POST {SITE}/api/coupon?code=***&page=2")
    charge = rows.filter(has_text="api.pay.test/v1/charge")  # another origin: its host is shown
    expect(charge.locator(".error")).to_have_text("network error")
    expect(charge.locator(".status")).to_contain_text("ERR")
    assert charge.get_attribute("data-failed") is not None

    slow = page.locator("#list-network > li[data-slow]")
    expect(slow).to_have_count(1)
    expect(slow).to_contain_text("/api/shipping-rates?zip=***")
    expect(slow.locator(".duration")).to_have_text("2.40 s")
    expect(slow.locator(".duration")).to_have_css("color", SLOW_AMBER)
    # waterfall: the slow bar is wider than the quick one, and both sit inside their track
    slow_bar, quick_bar = slow.locator(".bar").bounding_box(), coupon.locator(".bar").bounding_box()
    track = slow.locator(".bar-track").bounding_box()
    assert slow_bar["width"] > 5 * quick_bar["width"] > 0
    assert track["x"] <= slow_bar["x"] and slow_bar["x"] + slow_bar["width"] <= track["x"] + track["width"] + 0.5
    assert quick_bar["x"] < slow_bar["x"]  # the coupon request started earlier
    expect(page.locator("#list-network > li.current")).to_contain_text("/api/coupon")
    screenshot(page, "22-network")

    # the click before each failed request is a dead click that names it
    signals = page.locator("#list-signals .failed-request")
    expect(signals).to_have_text(["Request failed: POST /api/coupon?code=***&page=2 → 404",
                                  "Request failed: POST api.pay.test/v1/charge → network error"])
    expect(signals.first).to_have_css("color", FAIL_RED)

    charge.locator("button").click()
    expect(page.locator("#clock")).to_have_text(clock_at(CHARGE_FAILED_AT))
    expect(charge.locator(".entry-detail")).to_contain_text("POST https://api.pay.test/v1/charge")
    expect(page.locator("#list-network > li.current")).to_contain_text("api.pay.test")

    status = page.locator("#network-status")
    for choice, expected in [("failed", 2), ("slow", 1), ("4xx", 1), ("none", 1), ("2xx", 4), ("5xx", 0), ("all", 6)]:
        status.select_option(choice)
        expect(rows).to_have_count(expected)
    page.fill("#network-text", "coupon")
    expect(rows).to_have_count(1)
    status.select_option("slow")
    expect(rows).to_have_count(0)

    # timeline: console errors and failed requests in their own lane, and in the legend
    expect(page.locator('.marker[data-kind="failed_request"]')).to_have_count(2)
    expect(page.locator('.marker[data-kind="console_error"]')).to_have_count(2)
    expect(page.locator('.legend [data-kind="failed_request"]')).to_have_text("Failed request")
    marker = page.locator('.marker[data-kind="failed_request"]').first
    assert "Failed request: POST /api/coupon?code=***&page=2 → 404" in marker.get_attribute("aria-label")
    marker.click()
    expect(page.locator("#clock")).to_have_text(clock_at(COUPON_404_AT))


def test_events_panel_lists_custom_events(page, ui_server, context_session):
    open_player(page, ui_server, context_session, SHIPPING_SLOW_AT)
    expect(page.locator("#count-events")).to_have_text("4")
    page.click("#tab-events")
    rows = page.locator("#list-events > li")
    expect(rows).to_have_count(4)
    expect(page.locator("#list-events > li.current")).to_contain_text("checkout_started")
    started = rows.filter(has_text="checkout_started")
    expect(started.locator(".payload")).to_have_text("cart_value: 42.5, items: 3, currency: EUR")
    assert rows.first.get_attribute("data-sdk") is not None  # the SDK's $pageview, shown muted
    screenshot(page, "23-events")

    page.select_option("#events-tag", "product")
    expect(rows).to_have_count(3)
    page.select_option("#events-tag", "tag:coupon_failed")
    expect(rows).to_have_count(1)
    rows.first.locator("button").click()
    expect(page.locator("#clock")).to_have_text(clock_at(6000))
    expect(rows.first.locator(".entry-detail pre")).to_contain_text('"reason": "not_found"')
    page.select_option("#events-tag", "all")
    page.fill("#events-text", "pay.test")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("payment_failed")


def test_session_list_finds_the_session_by_its_context(page, ui_server, context_session):
    title = page.locator(f'table.sessions tr[data-href$="/sessions/{context_session}"]')
    expect(title).to_have_count(1)
    expect(title.locator('.badge[data-kind="console_error"]')).to_have_text("2 console errors")
    expect(title.locator('.badge[data-kind="failed_request"]')).to_have_text("2 failed requests")

    page.check("input[name=console_errors]")
    page.check("input[name=failed_requests]")
    page.click("text=Apply filters")
    page.wait_for_url(re.compile(r"console_errors=1&failed_requests=1"))
    rows = page.locator("table.sessions tbody tr")
    expect(rows).to_have_count(1)  # the corpus sessions log nothing
    expect(title).to_have_count(1)

    page.fill("#f-slow", "2s")
    page.fill("#f-event", "checkout_started")
    page.click("text=Apply filters")
    page.wait_for_url(re.compile(r"slow_requests=2s"))
    expect(rows).to_have_count(1)
    expect(title).to_contain_text("slowest 2.4 s")
    page.click(".sort >> text=Most frustrated")  # the sort keeps the filters
    page.wait_for_url(re.compile(r"sort=-frustration"))
    expect(rows).to_have_count(1)
    assert page.input_value("#f-event") == "checkout_started"
    screenshot(page, "24-sessions-context-filters")

    page.fill("#f-slow", f"{DURATION_MS}")  # no request took 40 s
    page.click("text=Apply filters")
    expect(page.locator(".empty strong")).to_have_text("No sessions match")
    page.fill("#f-slow", "")
    page.fill("#f-event", "never_sent")
    page.click("text=Apply filters")
    expect(page.locator(".empty strong")).to_have_text("No sessions match")
