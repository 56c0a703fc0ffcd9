"""The task widget's questions in real Chromium, by keyboard only: the Single Ease
Question after each task, the ten SUS statements and a comment at the end. Each is a
labelled radio group (or a labelled text field) inside the widget's shadow DOM; focus
follows from the button pressed to the question that replaces it; Enter sends, Skip
passes. The answers reach the server as `$answer` events and the study report lists
them. Screenshots of every step at 1280x800 and 390x844."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.live.helpers import add_participant, create_study, screenshot, wait_for
from tests.e2e.sdk.site import ProductSite, pump, wait_until_recording

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TASKS = [{"task_id": "add-towel", "title": "Add a towel to the cart", "instructions": "Any towel will do."},
         {"task_id": "checkout", "title": "Go to checkout", "instructions": "Start paying for your cart."}]
SEQ_QUESTION = "Overall, how difficult or easy was this task to complete?"
SUS_1 = "I think that I would like to use this website frequently."


def widget(page):
    return page.locator("[data-rd-widget] .panel")


def choose(page, value: int) -> None:
    """Pick `value` on the focused scale with the keyboard: Space takes the first point, arrows move."""
    page.keyboard.press("Space")
    for _ in range(value - 1):
        page.keyboard.press("ArrowRight")


def press(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).focus()
    page.keyboard.press("Enter")


@pytest.mark.parametrize("viewport, name", [({"width": 1280, "height": 800}, "desktop"),
                                            ({"width": 390, "height": 844}, "mobile")])
def test_seq_after_each_task_then_sus_and_a_comment_by_keyboard(browser, server, viewport, name):
    context = browser.new_context(viewport=viewport)
    try:
        with ProductSite(server) as site:
            study = create_study(server, site.url("index.html"), TASKS, name=f"Questions {name}")
            invite = add_participant(server, study["id"], f"P · {name}")
            page = context.new_page()
            page.goto(invite["invite_url"])
            wait_until_recording(page)
            expect(widget(page)).to_contain_text("Task 1 of 2")
            screenshot(page, f"study-widget-{name}-1-task")
            press(page, "Start task")
            expect(page.get_by_role("button", name="Done")).to_be_focused()
            page.click("#add")
            press(page, "Done")

            # SEQ: a group named by its question; focus lands on its first point.
            group = page.get_by_role("group", name=SEQ_QUESTION)
            expect(group).to_be_visible()
            expect(page.get_by_role("radio", name="1, very difficult")).to_be_focused()
            expect(group.get_by_role("radio")).to_have_count(7)
            expect(page.get_by_role("radio", name="7, very easy")).to_be_attached()
            expect(page.get_by_role("status")).to_contain_text("Choose 1, very difficult, to 7, very easy.")
            choose(page, 6)
            expect(page.get_by_role("radio", name="6")).to_be_checked()
            screenshot(page, f"study-widget-{name}-2-seq")
            page.keyboard.press("Enter")
            expect(widget(page)).to_contain_text("Task 2 of 2")
            expect(page.get_by_role("button", name="Start task")).to_be_focused()

            page.keyboard.press("Enter")
            press(page, "Give up")
            expect(page.get_by_role("group", name=SEQ_QUESTION)).to_be_visible()
            page.keyboard.press("Enter")  # nothing chosen: says so, keeps the place
            expect(widget(page)).to_contain_text("Choose a number, or press Skip.")
            expect(page.get_by_role("radio", name="1, very difficult")).to_be_focused()
            press(page, "Skip")

            # SUS: ten statements, 1-5; the answers below score (3+4+3+4+4+3+4+4+3+4) × 2.5 = 90.
            sus = [4, 1, 4, 1, 5, 2, 5, 1, 4, 1]
            for item, value in enumerate(sus, start=1):
                expect(widget(page)).to_contain_text(f"Last questions · {item} of 10")
                expect(page.get_by_role("radio", name="1, strongly disagree")).to_be_focused()
                choose(page, value)
                if item == 1:
                    expect(page.get_by_role("group", name=SUS_1)).to_be_visible()
                    screenshot(page, f"study-widget-{name}-3-sus")
                page.keyboard.press("Enter")

            comment = page.get_by_role("textbox", name="Anything else you would like to tell us? (optional)")
            expect(comment).to_be_focused()
            page.keyboard.type("I looked for the cart at the top.")
            screenshot(page, f"study-widget-{name}-4-comment")
            press(page, "Send")
            expect(widget(page)).to_contain_text("All done")
            screenshot(page, f"study-widget-{name}-5-done")

            def answered():
                report = server.api("GET", f"/api/v1/studies/{study['id']}/report").json()
                rows = [p for p in report["participants"] if p["participant"] == invite["code"]]
                return rows[0]["answers"] if rows and len(rows[0]["answers"]) == 12 else None

            answers = wait_for(answered, what="the twelve answers in the report", pump=pump(page))
            assert [(a["question"], a["task_id"], a["value"]) for a in answers] == [
                ("seq", "add-towel", "6"),
                *[(f"sus_{item}", None, str(value)) for item, value in enumerate(sus, start=1)],
                ("comment", None, "I looked for the cart at the top."),
            ]
    finally:
        context.close()
