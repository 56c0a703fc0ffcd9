"""A moderated study session in real Chromium: the participant's page (snippet, task
widget) on the product's origin; two observers in the review UI's live room.

One flow, because each step needs the ones before it: the observers join late and get
the backlog first, then the stream; their notes reach each other at once and are
stored at the session time; the participant's Done is a `$task complete` the study
report counts; the moderator's next task appears in the participant's widget."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.live.helpers import OBSERVERS, add_participant, create_study, screenshot, sign_in, wait_for
from tests.e2e.sdk.site import pump, tab_session_id, wait_until_recording

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TASKS = [{"task_id": "add-towel", "title": "Add a towel to the cart", "instructions": "Any towel will do."},
         {"task_id": "checkout", "title": "Go to checkout", "instructions": "Start paying for your cart."}]
SEEN_MS = 10_000  # generous: the SDK flushes every 2 s until the room is watched, then every 500 ms


def widget(page):
    return page.locator("[data-rd-widget] .panel")


def open_live_room(context, server, session_id: str, email: str):
    page = sign_in(context, server.url, email)
    page.goto(f"{server.url}/sessions/{session_id}/live")
    expect(page.locator("#live-state")).to_have_attribute("data-state", "live", timeout=SEEN_MS)
    page.wait_for_selector("html[data-first-frame]", state="attached", timeout=SEEN_MS)
    return page


def replayed_cart(page):
    return page.frame_locator("#stage iframe").locator("#cart")


def share_note(page, text: str) -> None:
    page.keyboard.press("n")  # focuses the note field
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def test_moderated_session_with_two_observers(new_context, server, site):
    study = create_study(server, site.url("index.html"), TASKS)
    invite = add_participant(server, study["id"], "Ana's participant")["invite_url"]

    participant = new_context().new_page()
    participant.goto(invite)
    wait_until_recording(participant)
    expect(widget(participant)).to_contain_text("Task 1 of 2")
    expect(widget(participant)).to_contain_text("Add a towel to the cart")
    participant.click("#add")
    participant.click("#add")
    session_id = tab_session_id(participant)
    wait_for(lambda: server.api("GET", f"/api/v1/sessions/{session_id}").status_code == 200, what="the first batch",
             pump=pump(participant))

    # Late joiners: the backlog first (two clicks ago), then the stream.
    ana = open_live_room(new_context(), server, session_id, OBSERVERS[0])
    ben = open_live_room(new_context(), server, session_id, OBSERVERS[1])
    for observer in (ana, ben):
        expect(replayed_cart(observer)).to_have_text("Cart: 2", timeout=SEEN_MS)
    participant.click("#add")
    for observer in (ana, ben):
        expect(replayed_cart(observer)).to_have_text("Cart: 3", timeout=SEEN_MS)

    # Notes typed by one observer appear for the other, stored at the session time.
    share_note(ana, "She found the towels at once <b>nice</b>")
    expect(ben.locator("#live-notes .live-note")).to_contain_text(["She found the towels at once <b>nice</b>"], timeout=5_000)
    share_note(ben, "Hesitates over the cart")
    expect(ana.locator("#live-notes .note-text")).to_have_text(["She found the towels at once <b>nice</b>", "Hesitates over the cart"])
    expect(ana.locator("#notes-count")).to_have_text("2")
    notes = server.api("GET", f"/api/v1/sessions/{session_id}/annotations").json()
    notes = notes.get("annotations", notes) if isinstance(notes, dict) else notes
    assert sorted(n["author"] for n in notes) == sorted(OBSERVERS)
    session = server.api("GET", f"/api/v1/sessions/{session_id}").json()
    assert all(session["started_at"] <= n["ts"] <= session["ended_at"] + 1000 for n in notes), notes

    # A private chat: the other observer reads it; the participant's page never gets it.
    ana.fill("#live-chat-text", "Ask her where she expects the cart")
    ana.press("#live-chat-text", "Enter")
    expect(ben.locator("#live-chat .chat-line")).to_contain_text(["Ask her where she expects the cart"], timeout=5_000)
    expect(ben.locator("#live-chat .chat-line strong")).to_have_text([OBSERVERS[0]])

    # Signals are flagged as they happen: four quick clicks on the title change nothing (a
    # rage click), shown once the 2.5 s after them have arrived.
    for _ in range(4):
        participant.click("h1", delay=20)
    participant.wait_for_timeout(3_000)
    participant.mouse.move(200, 400)
    for observer in (ana, ben):
        expect(observer.locator("#live-signals .live-signal")).to_contain_text(["Rage click ×4"], timeout=SEEN_MS)

    # The participant does task 1 with the widget: Start, then Done (by keyboard); the
    # room's task header follows.
    expect(ana.locator("#current-task")).to_have_text("No task yet.")
    participant.get_by_role("button", name="Start task").click()
    expect(widget(participant)).to_contain_text("Done")
    expect(ana.locator("#current-task")).to_contain_text("Task 1 of 2: Add a towel to the cart · working on it",
                                                         timeout=SEEN_MS)
    participant.get_by_role("button", name="Done").focus()
    participant.keyboard.press("Enter")
    expect(widget(participant)).to_contain_text("how difficult or easy")  # the SEQ
    participant.get_by_role("radio", name="7, very easy").check()
    participant.get_by_role("button", name="Next").click()
    expect(widget(participant)).to_contain_text("Task 2 of 2")
    expect(ana.locator("#current-task")).to_have_text("Task 1 of 2: Add a towel to the cart · said done, answering questions",
                                                      timeout=SEEN_MS)
    expect(ana.locator('.live-task[data-task="add-towel"] .task-state')).to_have_text("said done", timeout=SEEN_MS)

    # The moderator sends the next task; the participant's widget shows it (delivered
    # with the answer to the participant's next batch).
    expect(ana.locator("#send-next-task")).to_have_text("Send the next task: Go to checkout")
    ana.click("#send-next-task")
    expect(ben.locator("#sent-commands")).to_contain_text("Task: Go to checkout", timeout=5_000)
    participant.mouse.move(300, 300)
    participant.mouse.move(320, 340)
    expect(widget(participant)).to_contain_text("Start paying for your cart.", timeout=SEEN_MS)
    expect(participant.get_by_role("button", name="Done")).to_be_visible()
    screenshot(participant, "live-01-participant-widget")
    screenshot(ana, "live-02-observer-room")
    participant.get_by_role("button", name="Done").click()
    for _ in range(12):  # SEQ, the ten SUS statements and the comment, skipped here (test_study_questions answers them)
        participant.get_by_role("button", name="Skip").click()
    expect(widget(participant)).to_contain_text("All done")

    # The study report counts both completions.
    def both_counted():
        report = server.api("GET", f"/api/v1/studies/{study['id']}/report").json()
        done = {t["task_id"]: t["completion"]["successes"] for t in report["tasks"]}
        return report if done == {"add-towel": 1, "checkout": 1} else None

    report = wait_for(both_counted, what="both $task complete in the study report", pump=pump(participant))
    assert report["participants"][0]["tasks"]["add-towel"]["status"] == "complete"
    study_page = ana
    study_page.goto(f"{server.url}/studies/{study['id']}")
    expect(study_page.locator('tr[data-task="add-towel"] .completion')).to_have_text("100%")
    assert re.search(r"1 of 1 participant", study_page.locator('tr[data-task="checkout"]').inner_text())
    screenshot(study_page, "live-03-study-report")
