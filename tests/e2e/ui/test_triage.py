"""Triage in Chromium: the session list fits 1280 px on every sort with its device and
browser columns and total, watched sessions look watched, a saved view comes back, and
the player's timeline clusters overlapping markers with a legend colour per kind."""
from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.ui.conftest import screenshot, wait_for_first_frame

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SORTS = ["-started_at", "-frustration", "-duration"]


def page_scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


@pytest.mark.parametrize("sort", SORTS)
def test_the_list_fits_1280_px_on_every_sort(page, ui_server, sort):
    page.goto(f"{ui_server.url}/?sort={sort}")
    scroll = page.locator(".table-scroll")
    assert scroll.evaluate("el => el.scrollWidth <= el.clientWidth"), "the table is wider than its card"
    assert not page_scrolls_sideways(page)
    score = page.locator("table.sessions th", has_text="Score")
    box, card = score.bounding_box(), page.locator("section.card").bounding_box()
    assert box["x"] + box["width"] <= card["x"] + card["width"]
    stored = requests.get(f"{ui_server.url}/api/v1/sessions?limit=200",
                          headers={"Authorization": f"Bearer {ui_server.token}"}).json()["sessions"]
    expect(page.locator("#total")).to_have_text(f"{len(stored)} sessions")  # other tests of the package add some
    rager = page.locator(f'tr[data-href="/sessions/{ui_server.sessions["shop-04-coupon_rager_buys"]}"]')
    expect(rager.locator("td.device")).to_contain_text("Desktop")
    screenshot(page, f"sessions-1280-{sort.strip('-')}")


def test_the_list_at_390_px_scrolls_its_table_not_the_page(browser, ui_server):
    from tests.e2e.server import sign_in
    from tests.e2e.ui.conftest import EMAIL, PASSWORD

    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = sign_in(context, ui_server.url, EMAIL, PASSWORD)
        page.goto(f"{ui_server.url}/?sort=-frustration")
        assert not page_scrolls_sideways(page)
        screenshot(page, "sessions-390")
    finally:
        context.close()


def test_opening_a_session_marks_it_watched_and_a_view_comes_back(page, ui_server):
    sid = ui_server.sessions["shop-10-promo_rager"]
    page.goto(f"{ui_server.url}/?signal=rage_click&sort=-frustration")
    row = page.locator(f'tr[data-href="/sessions/{sid}"]')
    if "watched" in (row.get_attribute("class") or "").split():  # another test opened it already
        pass
    page.click("#save-view")
    page.fill("#view-name", "Rage, worst first")
    page.click("#save-view-form button[type=submit]")
    saved = page.locator(".saved-view-list a", has_text="Rage, worst first")
    expect(saved).to_have_attribute("aria-current", "true")
    row.locator("a.session-title").click()
    wait_for_first_frame(page)
    page.goto(f"{ui_server.url}/")
    page.locator(".saved-view-list a", has_text="Rage, worst first").click()
    page.wait_for_url(re.compile(r"signal=rage_click&sort=-frustration$"))
    expect(page.locator(f'tr[data-href="/sessions/{sid}"]')).to_have_class("watched")
    page.select_option("#f-watched", "0")
    page.click("text=Apply filters")
    expect(page.locator(f'tr[data-href="/sessions/{sid}"]')).to_have_count(0)
    screenshot(page, "sessions-unwatched-rage")
    views = requests.get(f"{ui_server.url}/api/v1/views", headers={"Authorization": f"Bearer {ui_server.token}"}).json()
    assert views["views"] == []  # the token's owner has views of their own: none


def test_several_signals_say_all_of_them(page, ui_server):
    page.goto(f"{ui_server.url}/")
    page.check("input[name=signal][value=rage_click]")
    page.check("input[name=signal][value=dead_end]")
    page.click("text=Apply filters")
    expect(page.locator(".filter-summary")).to_contain_text("all of them, not any")


def test_markers_cluster_at_390_px_and_every_kind_has_its_colour(browser, ui_server):
    from tests.e2e.server import sign_in
    from tests.e2e.ui.conftest import EMAIL, PASSWORD

    sid = ui_server.sessions["shop-06-coupon_rager_leaves"]
    bearer = {"Authorization": f"Bearer {ui_server.token}"}
    mine = []
    for n in range(4):  # four notes within a second: one cluster on a phone-wide track
        made = requests.post(f"{ui_server.url}/api/v1/sessions/{sid}/annotations", headers=bearer,
                             json={"ts": 11_000 + 250 * n, "text": f"note {n}"})
        made.raise_for_status()
        mine.append(f"note-{made.json()['id']}")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = sign_in(context, ui_server.url, EMAIL, PASSWORD)
        page.goto(f"{ui_server.url}/sessions/{sid}?t=0:05")
        wait_for_first_frame(page)
        cluster = page.locator('.marker.cluster[data-count]').filter(has_text=re.compile(r"^\d+$"))
        expect(cluster.first).to_be_visible()
        notes = page.locator(f'.marker.cluster[data-id~="{mine[0]}"]')
        expect(notes).to_have_count(1)
        for marker in mine:  # none alone: they overlap (other tests' notes may be elsewhere)
            assert page.locator(f'.marker:not(.cluster)[data-id="{marker}"]').count() == 0
            assert page.locator(f'.marker.cluster[data-id~="{marker}"]').count() == 1
        first = notes.first
        assert re.match(r"\d+ markers (from|at) \d:\d\d", first.get_attribute("aria-label"))
        first.click()
        expect(page.locator("#clock")).to_have_text(re.compile(rf"^{first.get_attribute('aria-label').split(' ')[3]} / "))
        assert not page_scrolls_sideways(page)
        screenshot(page, "player-390-clusters")

        colours = page.evaluate("""() => [...document.querySelectorAll('.legend [data-kind]')].map(
            (el) => [el.dataset.kind, getComputedStyle(el, '::before').backgroundColor])""")
        kinds = [kind for kind, _ in colours]
        for kind in ("rage_click", "dead_click", "error_click", "quick_back", "dead_end", "thrashed_cursor",
                     "excessive_scroll", "form_abandon", "note", "pageview", "task", "error", "console_error",
                     "failed_request", "cluster"):
            assert kind in kinds
        assert len({colour for _, colour in colours}) == len(colours), colours
    finally:
        context.close()
