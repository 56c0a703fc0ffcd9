"""The server down for 20 s while the visitor goes on (clicks, full page loads, typing,
SPA views) and back: every batch arrives, stored once, nothing lost.

The visitor leaves each page before its first flush, so the pages' last batches leave
by beacon into the outage, from pages that never saw a request fail: a beacon is never
confirmed, and only the outbox and the next page's resend bring them home."""
from __future__ import annotations

import time

import pytest

from tests.e2e.sdk.ingest import stored_events, wait_for_stored
from tests.e2e.sdk.site import pump, tab_session_id, wait_until_recording

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OUTAGE_SECONDS = 20
# After the restart the SDK's backoff (capped at 30 s, see sdk_js/src/constants.js)
# decides when the next attempt comes; the page is not touched meanwhile.
DELIVERY_TIMEOUT = 45


@pytest.fixture
def server(live_server):
    """This test kills the server: it gets one of its own."""
    return live_server


def markers(events: list) -> list:
    return [e["data"]["payload"]["n"] for e in events if e["type"] == 5 and e["data"]["tag"] == "during_outage"]


def test_a_20_second_outage_loses_no_batch(site, context, tap, server):
    page = context.new_page()
    page.goto(site.url("index.html"))
    wait_until_recording(page)
    session_id = tab_session_id(page)
    page.click("#add")
    wait_for_stored(server, session_id, lambda events: len(events) > 0, pump=pump(page))

    server.process.kill()
    down_at = time.monotonic()
    track = "n => Replaydesk.track('during_outage', {n})"
    for n in range(3):
        page.click("#add")
        page.evaluate(track, n)
    page.click("#to-form")  # before the 2 s flush: these events leave by beacon, to a dead server
    page.wait_for_url("**/form.html")
    wait_until_recording(page)
    page.locator("#name").press_sequentially("Grace Hopper")
    page.evaluate(track, 3)
    page.click("#continue")
    page.wait_for_url("**/app/")
    wait_until_recording(page)
    page.click("#nav-cart")
    page.evaluate(track, 4)
    page.wait_for_timeout(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_at)) * 1000)
    server.process.start()  # same port, same data dir

    stored = wait_for_stored(server, session_id, lambda events: markers(events) == [0, 1, 2, 3, 4],
                             timeout=DELIVERY_TIMEOUT, pump=pump(page))
    assert markers(stored) == [0, 1, 2, 3, 4], f"stored after {DELIVERY_TIMEOUT}s: {len(stored)} events"
    tap.wait_quiet(pump=pump(page))
    tap.read_beacon_copies(page)
    assert not tap.problems
    assert tap.session_ids() == {session_id}
    windows = tap.windows(session_id)
    assert len(windows) == 3
    for window in windows:
        seqs = sorted(key[2] for key in tap.batches() if key[1] == window)
        assert seqs == list(range(len(seqs))), f"window {window} sent seq {seqs}"
    assert stored_events(server, session_id) == tap.events(session_id)
    assert page.evaluate("key => localStorage.getItem('rd_outbox:' + key)", server.key) is None, "the outbox is empty"
