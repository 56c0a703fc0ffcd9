"""The Issues view in Chromium over the dev corpus: the coupon's Apply button is one
issue across the rage-clicking visitors, its sample moments open the player there, and
"Make a finding" makes one with a note at each of those moments."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.ui.conftest import screenshot, wait_for_first_frame

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ISSUES = "/issues?days=365"  # the corpus was recorded on fixed dates


def test_issues_from_the_corpus_lead_to_moments_and_a_finding(page, ui_server):
    page.goto(f"{ui_server.url}{ISSUES}")
    top = page.locator("table.issues tbody tr").first
    expect(top.locator(".badge")).to_have_text("Rage click")
    assert "/cart.html" in top.locator(".issue-page").inner_text()
    sessions = int(re.search(r"in (\d+) session", top.locator("td.num").inner_text()).group(1))
    assert sessions >= 2
    samples = top.locator(".samples a")
    assert samples.count() == min(3, sessions)
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    screenshot(page, "issues-1280")

    moment = samples.first.inner_text().replace("▶", "").strip()
    samples.first.click()
    wait_for_first_frame(page)
    expect(page.locator("#clock")).to_have_text(re.compile(rf"^{moment} / "))

    page.goto(f"{ui_server.url}{ISSUES}")
    page.locator("table.issues tbody tr").first.get_by_role("button", name="Make a finding").click()
    page.wait_for_url(re.compile(r"/findings/\d+$"))
    expect(page.locator("h1")).to_contain_text("Rage click on")
    expect(page.locator(".clip")).to_have_count(min(3, sessions))
    screenshot(page, "finding-from-issue")


def test_issues_at_390_px(browser, ui_server):
    from tests.e2e.server import sign_in
    from tests.e2e.ui.conftest import EMAIL, PASSWORD

    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = sign_in(context, ui_server.url, EMAIL, PASSWORD)
        page.goto(f"{ui_server.url}{ISSUES}")
        expect(page.locator("table.issues tbody tr").first).to_be_visible()
        screenshot(page, "issues-390")
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')].filter((el) => {
            if (el.getBoundingClientRect().right <= 392) return false;
            for (let up = el.parentElement; up; up = up.parentElement) if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(up).overflowX)) return false;
            return true; }).map((el) => el.tagName + '.' + el.className).slice(0, 8)""")
        assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"), wide
    finally:
        context.close()
