"""Closing the tab right after an interaction still delivers the last events: the page
hides, and its last batch leaves by sendBeacon before the page is gone."""
from __future__ import annotations

import time

import pytest

from tests.e2e.sdk.ingest import wait_for_stored
from tests.e2e.sdk.site import tab_session_id, wait_until_recording

pytestmark = pytest.mark.browser

MOUSE_INTERACTION, CLICK = 2, 2


def test_closing_the_tab_delivers_the_last_batch(site, context, tap, server):
    page = context.new_page()
    page.goto(site.url("index.html"))
    wait_until_recording(page)
    session_id = tab_session_id(page)
    page.click("#add")
    page.evaluate("Replaydesk.track('last_words', {cart: 1})")
    page.close()  # well within the 2 s flush interval
    closed_at = time.monotonic()

    stored = wait_for_stored(server, session_id, lambda events: any(e["type"] == 5 and e["data"]["tag"] == "last_words"
                                                                  for e in events), timeout=10)
    assert [e["data"]["tag"] for e in stored if e["type"] == 5] == ["$pageview", "last_words"]
    assert [e["type"] for e in stored[:2]] == [4, 2], "the page's Meta + FullSnapshot"
    assert any(e["type"] == 3 and e["data"]["source"] == MOUSE_INTERACTION and e["data"]["type"] == CLICK for e in stored)
    assert any(add["node"].get("textContent") == "Cart: 1" for e in stored if e["type"] == 3 and e["data"]["source"] == 0
               for add in e["data"]["adds"]), "the click's effect on the page"
    assert tap.sent == [], "no fetch left the page: the batch went by beacon as the tab closed"
    assert time.monotonic() - closed_at < 10
