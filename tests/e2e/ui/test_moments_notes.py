"""Moments and notes in Chromium: `?t=` in every moment form, "Copy link" in the player
and on a note, notes edited in place, reviewers' Markdown rendered safely in the player,
the notes inbox and a finding (and kept in the export), and the live room's badge
following the server's live window."""
from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.ui.conftest import screenshot, wait_for_first_frame

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SESSION = "shop-01-happy_buyer"
MARKDOWN_NOTE = ("The **Apply** button says nothing:\n- no spinner\n- no `aria-live` message\n"
                 "See [the guideline](https://example.test/feedback) or [this](javascript:alert('md')) <img src=x onerror=alert('img')>")


@pytest.fixture
def clipboard_context(browser, ui_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, permissions=["clipboard-read", "clipboard-write"])
    yield context
    context.close()


def open_player(page, ui_server, t: str) -> None:
    page.goto(f"{ui_server.url}/sessions/{ui_server.sessions[SESSION]}?t={t}")
    wait_for_first_frame(page)


@pytest.mark.parametrize("t, shown", [("17000", "0:17"), ("17s", "0:17"), ("17.5s", "0:17"), ("0:23", "0:23"),
                                      ("0:00:31", "0:31")])
def test_a_moment_opens_in_any_form(page, ui_server, t, shown):
    open_player(page, ui_server, t)
    expect(page.locator("#clock")).to_have_text(re.compile(rf"^{shown} / "))
    assert page.get_attribute("#play", "aria-label") == "Play"  # a shared moment opens paused


def test_an_unreadable_moment_says_why_and_plays_from_the_start(page, ui_server):
    open_player(page, ui_server, "soon")
    expect(page.locator(".toast.error")).to_contain_text("t=soon is not a moment")


def test_copy_link_edit_and_markdown_notes(clipboard_context, ui_server, dialogs):
    from tests.e2e.server import sign_in
    from tests.e2e.ui.conftest import EMAIL, PASSWORD

    page = sign_in(clipboard_context, ui_server.url, EMAIL, PASSWORD)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sid = ui_server.sessions[SESSION]
    open_player(page, ui_server, "0:12")
    page.click("#copy-moment")
    assert page.evaluate("navigator.clipboard.readText()") == f"{ui_server.url}/sessions/{sid}?t=0:12"
    expect(page.locator(".toast").last).to_contain_text("Copied a link to 0:12")

    page.keyboard.press("n")
    page.fill("#note-text", MARKDOWN_NOTE)
    page.click("#note-save")
    note = page.locator("#list-notes li.item").last
    expect(note.locator("strong")).to_have_text("Apply")
    assert note.locator(".note-text li").all_inner_texts() == ["no spinner", "no aria-live message"]
    assert note.locator(".note-text code").inner_text() == "aria-live"
    links = note.locator(".note-text a")
    assert links.count() == 1 and links.get_attribute("href") == "https://example.test/feedback"
    assert "[this](javascript:alert('md'))" in note.inner_text()
    assert "<img src=x onerror=alert('img')>" in note.inner_text() and note.locator("img").count() == 0
    screenshot(page, "note-markdown")

    note.get_by_role("button", name="Copy link").click()
    assert page.evaluate("navigator.clipboard.readText()") == f"{ui_server.url}/sessions/{sid}?t=0:12"

    note.get_by_role("button", name="Edit").click()
    expect(page.locator("#note-dialog")).to_be_visible()
    assert page.input_value("#note-text") == MARKDOWN_NOTE
    expect(page.locator("#note-title")).to_have_text("Edit the note at 0:12")
    page.fill("#note-text", "Edited: *no feedback* on Apply")
    page.fill("#note-tags", "coupon")
    page.click(".severity-choice label:has-text('Critical')")
    page.click("#note-save")
    expect(note.locator("em")).to_have_text("no feedback")
    expect(note.locator(".severity")).to_have_text("S4")
    assert page.locator("#list-notes li.item").count() >= 1
    note_id = int(note.get_attribute("data-note"))
    stored = requests.get(f"{ui_server.url}/api/v1/annotations/{note_id}",
                          headers={"Authorization": f"Bearer {ui_server.token}"}).json()
    assert (stored["text"], stored["tags"], stored["severity"]) == ("Edited: *no feedback* on Apply", ["coupon"], 4)
    assert page.locator(f'.marker[data-id="note-{note_id}"]').count() == 1
    assert dialogs == []  # no alert ran from the Markdown


def test_markdown_in_the_notes_inbox_a_finding_and_its_export(page, ui_server, dialogs):
    bearer = {"Authorization": f"Bearer {ui_server.token}"}
    sid = ui_server.sessions[SESSION]
    note = requests.post(f"{ui_server.url}/api/v1/sessions/{sid}/annotations", headers=bearer,
                         json={"ts": 9000, "text": MARKDOWN_NOTE, "severity": 3}).json()
    finding = requests.post(f"{ui_server.url}/api/v1/findings", headers=bearer, json={
        "title": "Apply gives <b>no</b> feedback", "severity": 3, "evidence": [note["id"]],
        "description": "1. press **Apply**\n2. nothing\n\n```\n<b>raw</b>\n```"}).json()

    page.goto(f"{ui_server.url}/notes?show=all")
    row = page.locator(f"tr:has(input.pick[value='{note['id']}'])")
    expect(row.locator(".note-text strong")).to_have_text("Apply")
    assert row.locator(".note-text a").get_attribute("href") == "https://example.test/feedback"

    page.goto(f"{ui_server.url}/findings/{finding['id']}")
    description = page.locator(".description[data-markdown], .finding-layout .description").first
    assert description.locator("ol li").all_inner_texts() == ["press Apply", "nothing"]
    assert description.locator("pre code").inner_text() == "<b>raw</b>"
    assert page.locator(".clip .note-text li").count() == 2
    assert page.locator("h1").inner_text() == "Apply gives <b>no</b> feedback"
    screenshot(page, "finding-markdown")

    report = requests.get(f"{ui_server.url}/api/v1/findings/export?format=md", headers=bearer).text
    assert "1. press **Apply**  \n2. nothing\n\n```\n<b>raw</b>\n```" in report
    assert "[the guideline](https://example.test/feedback)" in report
    assert "\\[this\\](javascript:alert('md'))" in report and "\\<img src=x" in report
    assert dialogs == []


def test_the_live_room_of_an_ended_session_is_not_live(page, ui_server):
    page.goto(f"{ui_server.url}/sessions/{ui_server.sessions[SESSION]}/live")
    badge = page.locator("#live-state")
    expect(badge).to_have_attribute("data-state", "idle")
    expect(badge).to_have_text(re.compile(r"Not live · last batch \d+ (days|h|min) ago"))
    page.goto(f"{ui_server.url}/sessions/{ui_server.sessions[SESSION]}")
    assert page.locator(".session-head .live-badge").count() == 0
