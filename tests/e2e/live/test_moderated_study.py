"""A whole moderated usability study in real Chromium (fake microphone), as issue 14's
"done when" asks: a think-aloud study with three tasks; participant Vera opens her
invite link, agrees to the consent text, thinks aloud while two observers watch the
live room and hear her over WebRTC (the task header following her, a private chat),
walks the three tasks with an SEQ after each, then the SUS; a second participant, Sam,
does the same without recording. The report's measures equal the values computed by
hand below, from what each of them did and answered."""
from __future__ import annotations

import math

import pytest
from playwright.sync_api import expect

from tests.e2e.live.helpers import ARTIFACTS, OBSERVERS, add_participant, prepare_server, screenshot, sign_in, wait_for
from tests.e2e.sdk.site import ProductSite, pump, tab_session_id, wait_until_recording
from tests.e2e.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SEEN_MS = 15_000
TASKS = [
    {"task_id": "find-checkout", "title": "Find the checkout", "instructions": "Get to where you would pay.",
     "success_url": "*/form.html"},
    {"task_id": "open-account", "title": "Open your account", "instructions": "Continue from the checkout.",
     "success_url": "*/app/*"},
    {"task_id": "apply-coupon", "title": "Apply a coupon", "instructions": "Use the code TOWELS10.",
     "success_event": "coupon_applied"},  # the shop has no coupon field: nobody can succeed
]
CONSENT = "We record your voice while you use the shop, and the research team listens live. Please think aloud."
VERA_SUS = [4, 1, 4, 1, 5, 2, 5, 1, 4, 1]  # (3+3+4+4+3) + (4+4+3+4+4) = 36 → × 2.5 = 90
SAM_SUS = [3] * 10  # 20 → 50


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Its own server: an 8-second live window, so the room says so soon after Vera leaves."""
    process = ServerProcess(tmp_path_factory.mktemp("moderated") / "data", env={"REPLAYDESK_LIVE_WINDOW": "8s"})
    review_server = prepare_server(process)
    yield review_server
    review_server.process.stop()


def widget(page):
    return page.locator("[data-rd-widget] .panel")


def press(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def answer_seq(page, value: int) -> None:
    expect(widget(page)).to_contain_text("how difficult or easy")
    page.get_by_role("radio", name=str(value) if 1 < value < 7 else ("1, very difficult" if value == 1 else "7, very easy")).check()
    press(page, "Next")


def answer_sus(page, values: list[int], comment: str = "") -> None:
    for item, value in enumerate(values, start=1):
        expect(widget(page)).to_contain_text(f"Last questions · {item} of 10")
        name = str(value) if 1 < value < 5 else ("1, strongly disagree" if value == 1 else "5, strongly agree")
        page.get_by_role("radio", name=name).check()
        press(page, "Next")
    if comment:
        page.get_by_role("textbox").fill(comment)
        press(page, "Send")
    else:
        press(page, "Skip")
    expect(widget(page)).to_contain_text("All done")


def open_room(context, server, session_id: str, email: str, participant):
    page = sign_in(context, server.url, email)
    page.goto(f"{server.url}/sessions/{session_id}/live")
    participant.mouse.move(200, 300)  # she moves: her next batch hears she is watched, and her page polls from then on
    participant.mouse.move(260, 320)
    expect(page.locator("#live-state")).to_have_attribute("data-state", "live", timeout=SEEN_MS)
    return page


def hears(room) -> None:
    """The observer's room plays the participant's voice: bytes arrive and they are not silence."""
    expect(room.locator("#live-voice")).to_have_attribute("data-state", "hearing", timeout=SEEN_MS)
    room.wait_for_function("() => { const v = document.querySelector('#live-voice');"
                           " return Number(v.dataset.bytes) > 2000 && Number(v.dataset.energy) > 0; }", timeout=SEEN_MS)
    assert room.evaluate("() => { const a = document.querySelector('#live-voice-audio');"
                         " return !a.paused && a.srcObject.getAudioTracks()[0].readyState === 'live'; }")


def task_times(server, session_id: str) -> dict[str, int]:
    """Each task's start to Done (or Give up), read from the stored $task events."""
    events = server.api("GET", f"/api/v1/sessions/{session_id}/events").json()
    marks = {}
    for event in events:
        payload = event.get("data", {}).get("payload", {}) if event["type"] == 5 else {}
        if event["type"] == 5 and event["data"].get("tag") == "$task":
            marks.setdefault(payload["task_id"], {})[payload["status"]] = event["timestamp"]
    return {task: found[next(s for s in ("complete", "give_up") if s in found)] - found["start"]
            for task, found in marks.items()}


def test_a_moderated_think_aloud_study_from_invite_to_report(media_browser, server):
    contexts = []

    def context(width=1280, height=800):
        made = media_browser.new_context(viewport={"width": width, "height": height})
        contexts.append(made)
        return made

    try:
        with ProductSite(server) as site:
            study = server.api("POST", "/api/v1/studies", json={
                "name": "Towel shop, moderated", "product_url": site.url("index.html"), "project": server.project_id,
                "tasks": TASKS, "think_aloud": True, "consent_text": CONSENT}).json()
            vera_invite = add_participant(server, study["id"], "Vera")
            sam_invite = add_participant(server, study["id"], "Sam")

            # Vera: invite link, consent, recording.
            vera = context().new_page()
            vera.goto(vera_invite["invite_url"])
            wait_until_recording(vera)
            expect(widget(vera)).to_contain_text(CONSENT)
            press(vera, "Allow the microphone and start")
            expect(widget(vera)).to_contain_text("Recording your voice")
            vera_session = tab_session_id(vera)
            wait_for(lambda: server.api("GET", f"/api/v1/sessions/{vera_session}").status_code == 200,
                     what="Vera's first batch", pump=pump(vera))

            # Two observers join the live room; both hear her; the task header follows her.
            ana = open_room(context(), server, vera_session, OBSERVERS[0], vera)
            ben = open_room(context(390, 844), server, vera_session, OBSERVERS[1], vera)
            for room in (ana, ben):
                hears(room)
            press(vera, "Start task")
            for room in (ana, ben):
                expect(room.locator("#current-task")).to_contain_text("Task 1 of 3: Find the checkout · working on it",
                                                                      timeout=SEEN_MS)
            ana.fill("#live-chat-text", "She reads the menu first")
            ana.press("#live-chat-text", "Enter")
            expect(ben.locator("#live-chat .chat-line")).to_contain_text(["She reads the menu first"], timeout=5_000)
            screenshot(ana, "moderated-01-room-1280")
            screenshot(ben, "moderated-02-room-390")

            # Task 1: to the checkout page (its URL is the task's criterion), Done, SEQ 6.
            vera.click("#to-form")
            wait_until_recording(vera)
            expect(widget(vera)).to_contain_text("Recording your voice")  # a new page records again
            press(vera, "Done")
            answer_seq(vera, 6)
            for room in (ana, ben):  # the new page calls the observers again
                hears(room)
            # Task 2: on to the account (/app/), Done, SEQ 5.
            press(vera, "Start task")
            vera.click("#continue")
            wait_until_recording(vera)
            press(vera, "Done")
            answer_seq(vera, 5)
            # Task 3: there is no coupon field; she says Done anyway (the event never comes), SEQ 2.
            press(vera, "Start task")
            expect(ana.locator("#current-task")).to_contain_text("Task 3 of 3: Apply a coupon · working on it",
                                                                 timeout=SEEN_MS)
            press(vera, "Done")
            answer_seq(vera, 2)
            answer_sus(vera, VERA_SUS, "I could not find where to put the coupon.")
            vera.wait_for_timeout(1_500)  # the last pieces of voice and batch leave
            vera.close()
            for room in (ana, ben):  # the server's live window (8 s) decides, not the open socket
                expect(room.locator("#live-state")).to_contain_text("Not live", timeout=SEEN_MS)

            # Sam, unmoderated, no recording: checkout, gives up on the account, Done on the coupon.
            sam = context().new_page()
            sam.goto(sam_invite["invite_url"])
            wait_until_recording(sam)
            press(sam, "Continue without recording")
            press(sam, "Start task")
            sam.click("#to-form")
            wait_until_recording(sam)
            press(sam, "Done")
            answer_seq(sam, 7)
            press(sam, "Start task")
            press(sam, "Give up")
            answer_seq(sam, 3)
            press(sam, "Start task")
            press(sam, "Done")
            answer_seq(sam, 1)
            answer_sus(sam, SAM_SUS)
            sam_session = tab_session_id(sam)

            def reported():
                found = server.api("GET", f"/api/v1/studies/{study['id']}/report").json()
                answered = sum(len(p["answers"]) for p in found["participants"])
                return found if answered == 3 + 10 + 1 + 3 + 10 and found["sus"]["n"] == 2 else None

            report = wait_for(reported, what="every answer in the report", pump=pump(sam), timeout=30)

        # Vera's voice was recorded with her session: one recording per page she saw.
        recordings = server.api("GET", f"/api/v1/sessions/{vera_session}/media").json()["recordings"]
        assert len(recordings) == 3 and all(r["kind"] == "audio" and r["size"] > 1000 for r in recordings)
        assert server.api("GET", f"/api/v1/sessions/{sam_session}/media").json()["recordings"] == []

        # The measures, by hand.
        find, account, coupon = report["tasks"]
        # Completion, adjusted Wald (z = 1.96): 2 of 2 → p̂ = 3.9208 / 5.8416 = 0.67119 ± 1.96 × √(0.67119 × 0.32881
        # / 5.8416) = ± 0.38096 → 0.2902 … 1; 1 of 2 → 0.5 ± 0.40547; 0 of 2 → 0.32881 ± 0.38096 → 0 … 0.7098.
        assert find["completion"] == {"successes": 2, "n": 2, "rate": 1.0, "ci": [0.2902, 1.0]}
        assert account["completion"] == {"successes": 1, "n": 2, "rate": 0.5, "ci": [0.0945, 0.9055]}
        assert coupon["completion"] == {"successes": 0, "n": 2, "rate": 0.0, "ci": [0.0, 0.7098]}
        assert [t["outcomes"] for t in report["tasks"]] == [
            {"success": 2, "fail": 0, "give_up": 0, "abandon": 0},
            {"success": 1, "fail": 0, "give_up": 1, "abandon": 0},
            {"success": 0, "fail": 2, "give_up": 0, "abandon": 0},  # Done, but coupon_applied never came
        ]
        # Time on task: both pressed Done after the page that met the criterion, so start → Done.
        vera_times, sam_times = task_times(server, vera_session), task_times(server, sam_session)
        a, b = vera_times["find-checkout"], sam_times["find-checkout"]
        geometric = math.exp((math.log(a) + math.log(b)) / 2)  # = √(a·b)
        sd = abs(math.log(a) - math.log(b)) / math.sqrt(2)
        half = 12.7062 * sd / math.sqrt(2)  # t(0.975, 1 degree of freedom) = 12.7062
        assert find["time_on_task"]["n"] == 2
        assert find["time_on_task"]["geometric_mean_ms"] == round(geometric)
        low, high = find["time_on_task"]["ci_ms"]
        assert abs(low - math.exp((math.log(a) + math.log(b)) / 2 - half)) <= 1
        assert abs(high - math.exp((math.log(a) + math.log(b)) / 2 + half)) / high < 1e-4
        assert account["time_on_task"] == {"n": 1, "geometric_mean_ms": vera_times["open-account"], "ci_ms": None}
        # SEQ: (6 + 7) / 2, (5 + 3) / 2, (2 + 1) / 2.
        assert [t["seq"]["mean"] for t in report["tasks"]] == [6.5, 4.0, 1.5]
        # SUS: (90 + 50) / 2 = 70.0 → C (65.0-71.0 on the Sauro-Lewis curve).
        assert (report["sus"]["mean"], report["sus"]["grade"], report["sus"]["n"]) == (70.0, "C", 2)
        by_label = {p["label"]: p for p in report["participants"]}
        assert [by_label["Vera"]["tasks"][t["task_id"]]["words"] for t in TASKS] == ["Success (direct)", "Success (direct)",
                                                                                      "Failed"]
        assert [by_label["Sam"]["tasks"][t["task_id"]]["words"] for t in TASKS] == ["Success (direct)", "Gave up", "Failed"]
        assert by_label["Vera"]["quotes"][0]["text"] == "I could not find where to put the coupon."

        # The study page shows the same numbers; the Markdown export too.
        page = ana
        page.goto(f"{server.url}/studies/{study['id']}")
        expect(page.locator('tr[data-task="find-checkout"] .completion-ci')).to_have_text("29%–100%")
        expect(page.locator(".sus-score")).to_have_text("70.0")
        expect(page.locator(".sus-grade")).to_have_text("grade C")
        screenshot(page, "moderated-03-report-1280")
        markdown = server.api("GET", f"/api/v1/studies/{study['id']}/report?format=md").text
        assert "**SUS:** 70.0 (C), n = 2" in markdown
        (ARTIFACTS / "moderated-study-report.md").write_text(markdown)  # the README shows this report
    finally:
        for made in contexts:
            made.close()
