"""The study report page in real Chromium, for four participants whose sessions go
through the real ingest route: the numbers the page shows are the hand-computed ones of
tests/server/reports/test_studies.py (same streams); the Markdown and CSV buttons give
the same figures; screenshots at 1280x800 and 390x844."""
from __future__ import annotations

import time
from pathlib import Path

import orjson
import pytest
import requests
from playwright.sync_api import expect

from analysis.event_builders import answer_event, custom_event, meta_event, pageview_event, task_event
from tests.e2e.live.helpers import ARTIFACTS, OBSERVERS, add_participant, create_study, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOP = "https://shop.test"
TASKS = [{"task_id": "buy", "title": "Buy a towel", "success_url": "*/thanks*"},
         {"task_id": "find", "title": "Find the FAQ", "success_event": "faq_opened"},
         {"task_id": "chat", "title": "Say hello"}]


def sus(t0: int, *values: int) -> list[dict]:
    return [answer_event(t0 + 200_000 + item, f"sus_{item}", value) for item, value in enumerate(values, start=1)]


def streams(t0: int) -> dict[str, list[dict]]:
    """Ana, Ben, Cy and Dee: the sessions of the unit test's facts, as the SDK sends them."""
    start = [meta_event(t0, f"{SHOP}/"), pageview_event(t0 + 5, f"{SHOP}/")]
    return {
        "Ana": [*start, task_event(t0 + 1_000, "buy", "start"), pageview_event(t0 + 11_000, f"{SHOP}/thanks"),
                task_event(t0 + 11_000, "buy", "complete"), answer_event(t0 + 12_000, "seq", 6, "buy"),
                task_event(t0 + 50_000, "find", "start"), custom_event(t0 + 60_000, "faq_opened", {}),
                task_event(t0 + 65_000, "find", "complete"), task_event(t0 + 70_000, "chat", "start"),
                task_event(t0 + 72_000, "chat", "complete"), *sus(t0, 4, 1, 4, 1, 5, 2, 5, 1, 4, 1)],
        "Ben": [*start, task_event(t0 + 1_000, "buy", "start"), pageview_event(t0 + 5_000, f"{SHOP}/p/1"),
                pageview_event(t0 + 8_000, f"{SHOP}/"), pageview_event(t0 + 21_000, f"{SHOP}/thanks"),
                task_event(t0 + 21_000, "buy", "complete"), answer_event(t0 + 22_000, "seq", 5, "buy"),
                task_event(t0 + 30_000, "find", "start"), task_event(t0 + 40_000, "find", "complete"),
                *sus(t0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3),
                answer_event(t0 + 250_000, "comment", "+1 for the towels, but where is the cart?")],
        "Cy": [*start, task_event(t0 + 1_000, "buy", "start"), pageview_event(t0 + 41_000, f"{SHOP}/thanks"),
               task_event(t0 + 45_000, "buy", "complete"), answer_event(t0 + 46_000, "seq", 7, "buy"),
               *sus(t0, 5, 2, 4, 2, 4, 2, 4, 2, 4, 2)],
        "Dee": [*start, task_event(t0 + 1_000, "buy", "start"), task_event(t0 + 9_000, "buy", "give_up"),
                answer_event(t0 + 10_000, "seq", 2, "buy"), *sus(t0, 2, 4, 2)],
    }


def ingest(server, session_id: str, events: list[dict], study: str, participant: str) -> None:
    body = {"session_id": session_id, "window_id": "window-0001", "seq": 0, "events": events,
            "meta": {"url": f"{SHOP}/", "study": study, "participant": participant}}
    answer = requests.post(f"{server.url}/api/v1/ingest", data=orjson.dumps(body),
                           headers={"X-Replaydesk-Key": server.key, "Content-Type": "application/json"}, timeout=10)
    assert answer.status_code == 200, answer.text


def test_the_report_page_shows_the_hand_computed_measures(browser, server):
    study = create_study(server, f"{SHOP}/", TASKS, name="Towel shop, round 2")
    t0 = int(time.time() * 1000) - 600_000
    for n, (label, events) in enumerate(streams(t0).items(), start=1):
        code = add_participant(server, study["id"], label)["code"]
        ingest(server, f"report-session-{n:04d}", events, study["slug"], code)
    # Signals come from analysis: Ben's quick back makes his success indirect once it ran.
    for n in range(1, 5):
        assert server.api("POST", f"/api/v1/sessions/report-session-{n:04d}/analyze").status_code == 200

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = sign_in(context, server.url, OBSERVERS[0])
        page.goto(f"{server.url}/studies/{study['id']}")
        buy = page.locator('tr[data-task="buy"]')
        expect(buy.locator(".completion")).to_have_text("75%")
        expect(buy.locator(".completion-count")).to_have_text("3 of 4 participants")
        expect(buy.locator(".completion-ci")).to_have_text("29%–97%")  # adjusted Wald 0.2891 … 0.9659
        expect(buy.locator(".outcome-line")).to_have_text("Success 3 (2 direct, 1 indirect) · Gave up 1")
        expect(buy.locator(".time-mean")).to_have_text("20.6 s")  # e^mean(ln 10, 20, 44 s)
        expect(buy.locator(".time-ci")).to_have_text("3.3–130.2 s")
        expect(buy.locator(".seq-mean")).to_have_text("5.0")
        find = page.locator('tr[data-task="find"]')
        expect(find.locator(".completion")).to_have_text("50%")
        expect(find.locator(".completion-ci")).to_have_text("9%–91%")
        expect(page.locator(".sus-score")).to_have_text("72.5")  # (90 + 50 + 77.5) / 3
        expect(page.locator(".sus-grade")).to_have_text("grade C+")
        ben = page.locator("tr[data-participant]", has_text="Ben")
        expect(ben).to_contain_text("Success (indirect)")
        expect(ben).to_contain_text("SEQ 5")
        expect(page.locator(".quote")).to_contain_text("+1 for the towels, but where is the cart?")
        page.locator('tr[data-task-attempts="buy"] summary').click()
        expect(page.locator('tr[data-task-attempts="buy"] .make-clip')).to_have_count(4)
        screenshot(page, "study-report-1280")

        with page.expect_download() as download:
            page.get_by_role("link", name="Markdown").click()
        markdown = Path(download.value.path()).read_text(encoding="utf-8")
        assert "| Buy a towel | 75% (3/4) | 29%–97% |" in markdown and "**SUS:** 72.5 (C+), n = 3" in markdown
        (ARTIFACTS / "study-report.md").write_text(markdown)  # the README shows it

        page.set_viewport_size({"width": 390, "height": 844})
        page.reload()
        expect(page.locator(".sus-score")).to_have_text("72.5")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways at 390 px"
        screenshot(page, "study-report-390")
    finally:
        context.close()
