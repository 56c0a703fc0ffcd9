"""Think-aloud in real Chromium (a fake microphone): the participant agrees to the
study's consent text, the widget records the voice while they work and uploads it
with the session; a reviewer's player plays it in step with the replay (seek, pause,
speed with the pitch kept); deleting the session deletes the recording."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.live.helpers import OBSERVERS, add_participant, create_study, screenshot, sign_in, wait_for
from tests.e2e.sdk.site import ProductSite, pump, tab_session_id, wait_until_recording

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TASKS = [{"task_id": "add-towel", "title": "Add a towel to the cart", "instructions": "Any towel will do."}]
CONSENT = "We record your voice while you use the shop. Say what you are looking for."


def widget(page):
    return page.locator("[data-rd-widget] .panel")


def test_the_voice_is_recorded_uploaded_and_played_in_step(media_browser, server):
    participant_context = media_browser.new_context(viewport={"width": 1280, "height": 800})
    reviewer_context = media_browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        with ProductSite(server) as site:
            study = server.api("POST", "/api/v1/studies", json={
                "name": "Spoken study", "product_url": site.url("index.html"), "project": server.project_id,
                "tasks": TASKS, "think_aloud": True, "consent_text": CONSENT}).json()
            invite = add_participant(server, study["id"], "Vera")["invite_url"]
            page = participant_context.new_page()
            page.goto(invite)
            wait_until_recording(page)
            expect(widget(page)).to_contain_text(CONSENT)
            screenshot(page, "study-widget-desktop-0-consent")
            agree = page.get_by_role("button", name="Allow the microphone and start")
            agree.focus()
            page.keyboard.press("Enter")
            expect(widget(page)).to_contain_text("Recording your voice")
            expect(widget(page)).to_contain_text("Task 1 of 1")
            page.get_by_role("button", name="Start task").click()
            page.click("#add")
            page.wait_for_timeout(6_000)  # six seconds of (fake) voice
            page.get_by_role("button", name="Done").click()
            page.get_by_role("button", name="Stop recording").click()
            expect(widget(page)).not_to_contain_text("Recording your voice")
            session_id = tab_session_id(page)

            def uploaded():
                found = server.api("GET", f"/api/v1/sessions/{session_id}/media").json().get("recordings") or []
                return found if found and found[0]["chunks"] >= 4 else None

            [recording] = wait_for(uploaded, what="the recording's pieces", pump=pump(page), timeout=20)
            # The replay must reach past the voice's moments: wait for the batch with her Done.
            wait_for(lambda: server.api("GET", f"/api/v1/sessions/{session_id}").json()["duration_ms"] > 6_000,
                     what="the batch with Done", pump=pump(page))
            assert recording["kind"] == "audio" and recording["mime"].startswith("audio/webm")
            assert recording["offset_ms"] >= 0 and recording["size"] > 4 * 1000  # ~4 KB a second of Opus

        reviewer = sign_in(reviewer_context, server.url, OBSERVERS[0])
        reviewer.goto(f"{server.url}/sessions/{session_id}?t=0")
        expect(reviewer.locator("#voice")).to_be_checked(timeout=15_000)
        audio = reviewer.locator("audio[data-recording]")
        expect(audio).to_have_count(1)
        assert audio.evaluate("a => a.preservesPitch") is True
        duration = audio.evaluate("a => a.duration")
        assert 5.5 < duration < 30, duration  # the whole recording, its length learnt

        # Seek: the voice goes where the replay goes (the recording starts offset_ms into the session).
        moment = recording["offset_ms"] + 1_500
        reviewer.goto(f"{server.url}/sessions/{session_id}?t={moment}")
        expect(reviewer.locator("#voice")).to_be_checked(timeout=15_000)
        reviewer.wait_for_function("() => { const a = document.querySelector('audio[data-recording]');"
                                   " return a && Math.abs(a.currentTime - 1.5) < 0.4 && a.paused; }")
        # Play at 2x (the session runs 5 s more: 2.5 s of replay): the voice plays along,
        # faster, pitch kept; pause stops both.
        reviewer.select_option("#speed", "2")
        reviewer.click("#play")
        reviewer.wait_for_function("() => { const a = document.querySelector('audio[data-recording]');"
                                   " return !a.paused && a.playbackRate === 2 && a.currentTime > 1.8; }")
        screenshot(reviewer, "think-aloud-player")
        reviewer.click("#play")
        reviewer.wait_for_function("() => document.querySelector('audio[data-recording]').paused")

        # Deleting the session deletes its recording.
        assert server.api("DELETE", f"/api/v1/sessions/{session_id}").status_code in (200, 204)
        assert server.api("GET", f"/api/v1/sessions/{session_id}/media").status_code == 404
        assert not list((server.process.log_path.parent / "blobs" / "sessions").glob(f"{session_id}/media/*"))
    finally:
        participant_context.close()
        reviewer_context.close()
