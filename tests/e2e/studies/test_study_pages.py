"""Studies in real Chromium: create a study with tasks in the form, add a participant
and copy the invite link, then the participant walks the tasks with the keyboard only
(Start task, Done, Give up) and the study page reports it."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.live.helpers import OBSERVERS, screenshot, sign_in, wait_for
from tests.e2e.sdk.site import ProductSite, pump, wait_until_recording

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_create_invite_and_walk_the_tasks_by_keyboard(browser, server):
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    participant_context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        with ProductSite(server) as site:
            page = sign_in(context, server.url, OBSERVERS[0])
            page.click("nav >> text=Studies")
            page.click("#new-study")
            page.fill("#study-name", "Towel shop <round 1>")
            page.fill("#study-url", site.url("index.html"))
            page.select_option("#study-project", label="research-e2e")
            rows = page.locator(".task-row")
            rows.nth(0).locator("input[name=title]").fill("Add a towel")
            rows.nth(0).locator("textarea").fill("Put any towel in the cart.")
            page.click("#add-task-row")
            rows.nth(1).locator("input[name=title]").fill("Find the returns policy")
            expect(page.locator("#study-consent")).to_be_disabled()  # think-aloud is a choice: off here
            page.check("#study-think-aloud")
            expect(page.locator("#study-consent")).to_be_enabled()
            screenshot(page, "studies-01-new")
            page.uncheck("#study-think-aloud")
            page.click("#study-form button[type=submit]")
            page.wait_for_url(f"{server.url}/studies/*")
            expect(page.locator("h1")).to_have_text("Towel shop <round 1>")

            page.fill("#participant-label", "P1 · Rosa")
            page.click("#participant-form button[type=submit]")
            invite = page.locator(".invite", has_text="P1 · Rosa")
            invite.locator(".copy-invite").click()
            expect(invite.locator(".copy-invite")).to_have_text("Copied")
            link = page.evaluate("navigator.clipboard.readText()")
            assert "rd_study=" in link and "rd_participant=" in link and link == invite.locator("input").input_value()

            participant = participant_context.new_page()
            participant.goto(link)
            wait_until_recording(participant)
            widget = participant.locator("[data-rd-widget] .panel")
            expect(widget).to_contain_text("Task 1 of 2")
            participant.get_by_role("button", name="Start task").focus()
            participant.keyboard.press("Enter")
            expect(participant.get_by_role("button", name="Done")).to_be_focused()  # focus follows, nothing lost
            participant.click("#add")
            participant.get_by_role("button", name="Done").focus()
            participant.keyboard.press("Enter")
            expect(widget).to_contain_text("how difficult or easy")  # the SEQ (test_study_questions answers it)
            participant.get_by_role("button", name="Skip").focus()
            participant.keyboard.press("Enter")
            expect(widget).to_contain_text("Task 2 of 2")
            participant.keyboard.press("Enter")  # focus moved to "Start task"
            participant.get_by_role("button", name="Give up").focus()
            participant.keyboard.press("Enter")
            for _ in range(12):  # the SEQ, ten SUS statements and the comment, skipped
                participant.get_by_role("button", name="Skip").focus()
                participant.keyboard.press("Enter")
            expect(widget).to_contain_text("All done")

            study_id = int(page.url.rsplit("/", 1)[1])

            def reported():
                report = server.api("GET", f"/api/v1/studies/{study_id}/report").json()
                return report if all(t["completion"]["n"] == 1 for t in report["tasks"]) else None

            report = wait_for(reported, what="both attempts in the report", pump=pump(participant))
            assert [t["completion"]["successes"] for t in report["tasks"]] == [1, 0]
            page.reload()
            expect(page.locator("tr[data-task] .completion")).to_have_text(["100%", "0%"])
            expect(page.locator("table.participant-report")).to_contain_text("P1 · Rosa")
            screenshot(page, "studies-02-report")
    finally:
        participant_context.close()
        context.close()
