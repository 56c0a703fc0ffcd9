"""Webhooks from the UI of a running server: a reviewer adds two webhooks on the
webhooks page (one receiver answers 200, one 500), makes a finding from a note on the
Notes page, and the working receiver gets it signed while the page's delivery log shows
the failing one's answer and its next try."""
from __future__ import annotations

import json
import re
import time

import requests
from playwright.sync_api import expect

from tests.e2e.ui.conftest import screenshot
from tests.webhook_receiver import receiver
from server.webhooks.signing import is_valid


def add_webhook(page, url: str) -> str:
    page.click(".new-webhook")
    page.fill("#webhook-url", url)
    page.uncheck("input[name=events][value='signal.spike']")
    page.click("#webhook-form button[type=submit]")
    page.wait_for_selector("#secret-dialog[open]")
    secret = page.inner_text("#webhook-secret")
    assert secret.startswith("whsec_")
    page.click("#secret-done")
    page.wait_for_load_state()
    return secret


def wait_for(condition, timeout_s: float = 10.0):
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_a_finding_made_in_the_ui_reaches_the_receiver_and_failures_show_in_the_log(page, ui_server, dialogs):
    session = next(iter(ui_server.sessions.values()))
    note = requests.post(f"{ui_server.url}/api/v1/sessions/{session}/annotations", timeout=10,
                         headers={"Authorization": f"Bearer {ui_server.token}"},
                         json={"ts": 1000, "text": "Webhook test: checkout button looks disabled"}).json()
    with receiver() as (good_url, received), receiver(statuses=(500,)) as (bad_url, failed):
        page.goto(f"{ui_server.url}/webhooks")
        secret = add_webhook(page, good_url)
        add_webhook(page, bad_url)
        expect(page.locator(".webhook")).to_have_count(2)

        page.goto(f"{ui_server.url}/notes")
        page.locator(f"input.pick[value='{note['id']}']").check()
        page.click("#new-finding")
        page.fill("#finding-title", "Checkout button looks disabled")
        page.click("#finding-form button[type=submit]")
        page.wait_for_url(re.compile(r"/findings/\d+$"))
        finding_id = int(page.url.rsplit("/", 1)[1])

        wait_for(lambda: received and failed)  # the server's background worker sends within a second or two
        headers, body = received[0]
        assert is_valid(secret, body, headers["x-replaydesk-signature"])
        sent = json.loads(body)
        assert (sent["event"], sent["data"]["id"]) == ("finding.created", finding_id)
        assert sent["text"].startswith("New finding in E2E: “Checkout button looks disabled”")

    page.goto(f"{ui_server.url}/webhooks")
    bad = page.locator(".webhook", has_text=bad_url)
    expect(bad.locator(".chip.delivery-pending")).to_have_text("pending")
    expect(bad.locator(".answer")).to_have_text("500")
    expect(bad.locator("text=next try")).to_be_visible()
    good = page.locator(".webhook", has_text=good_url)
    good.locator("summary").click()
    expect(good.locator(".chip.delivery-delivered")).to_have_text("delivered")
    screenshot(page, "20-webhooks")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "21-webhooks-390")
    assert dialogs == []
