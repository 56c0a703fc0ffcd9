"""A visitor who opted out, or a session sampled out (sample rate 0), is not recorded
at all: no ingest request leaves the browser and the server has no session of it."""
from __future__ import annotations

import time

import pytest

from tests.e2e.sdk.ingest import sessions
from tests.e2e.sdk.site import wait_until_loaded

pytestmark = pytest.mark.browser


def requests_to(context, server) -> list:
    """Every request the context makes to the server, apart from loading the bundle."""
    seen = []
    context.on("request", lambda request: request.url.startswith(server.url) and "/sdk/" not in request.url
               and seen.append(f"{request.method} {request.url}"))
    return seen


def visit(page, site, first_page: str) -> list:
    """Browse like test_journey's visitor; return Replaydesk.isRecording() on each page."""
    recording = []
    page.goto(site.url(first_page))
    wait_until_loaded(page)
    recording.append(page.evaluate("Replaydesk.isRecording()"))
    page.click("#add")
    page.click("#to-form")
    page.wait_for_url("**/form.html")
    wait_until_loaded(page)
    recording.append(page.evaluate("Replaydesk.isRecording()"))
    page.locator("#name").press_sequentially("Not Recorded")
    page.click("#continue")
    page.wait_for_url("**/app/")
    wait_until_loaded(page)
    recording.append(page.evaluate("Replaydesk.isRecording()"))
    page.click("#nav-cart")
    page.evaluate("Replaydesk.track('should_not_leave', {})")
    page.wait_for_timeout(2500)  # more than a flush interval
    return recording


def assert_nothing_recorded(page, site, tap, server, outgoing) -> None:
    assert page.evaluate("sessionStorage.getItem('__rd_tap_beacons')") is None, "not even a beacon"
    page.close()  # page hide: a recorder would beacon what it buffered now
    time.sleep(1)
    assert outgoing == [], "no request to the server"
    assert tap.sent == []
    assert sessions(server, url=site.origin) == []


def test_sample_rate_zero_records_nothing(site, context, tap, server):
    outgoing = requests_to(context, server)
    site.init_options = {"sampleRate": 0}
    page = context.new_page()
    assert visit(page, site, "index.html") == [False, False, False], "the tab's session is sampled out on every page"
    assert_nothing_recorded(page, site, tap, server, outgoing)


def test_an_opted_out_visitor_is_not_recorded(site, context, tap, server):
    outgoing = requests_to(context, server)
    page = context.new_page()
    # optout.html calls Replaydesk.optOut() before the bundle arrives; the next pages
    # carry the ordinary snippet and remember the choice.
    assert visit(page, site, "optout.html") == [False, False, False]
    assert page.evaluate("localStorage.getItem('rd_opt_out')") == "1"
    assert_nothing_recorded(page, site, tap, server, outgoing)
