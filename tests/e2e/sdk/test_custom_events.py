"""The SDK's own events in the stored stream: `$pageview` on load and on SPA navigation,
`$error` for an uncaught error and for a `Response.json()` rejection nobody handles."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.sdk.ingest import wait_for_stored
from tests.e2e.sdk.site import pump, tab_session_id, wait_until_recording

pytestmark = pytest.mark.browser


def payloads(events: list, tag: str) -> list:
    return [e["data"]["payload"] for e in events if e["type"] == 5 and e["data"]["tag"] == tag]


def relative(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def settle_and_read(page, tap, server, session_id: str) -> list:
    tap.wait_quiet(pump=pump(page))
    tap.read_beacon_copies(page)
    sent = tap.events(session_id)
    stored = wait_for_stored(server, session_id, lambda events: len(events) >= len(sent), pump=pump(page))
    assert stored == sent
    return stored


def test_pageviews_on_load_and_on_spa_navigation(site, context, tap, server):
    page = context.new_page()
    page.goto(site.url("app/"), referer="https://search.example/?q=towels")
    wait_until_recording(page)
    session_id = tab_session_id(page)
    page.click("#nav-cart")  # pushState
    page.click("#nav-pay")  # pushState
    page.evaluate("history.replaceState({scroll: 120}, '')")  # a router storing state: same URL, no view
    page.evaluate("history.replaceState({}, '', '/app/pay?step=2'); document.title = 'Towel shop · Payment, step 2'")
    page.go_back()  # popstate
    page.wait_for_url("**/app/cart")

    views = payloads(settle_and_read(page, tap, server, session_id), "$pageview")
    assert [(relative(v["url"]), v["referrer"] and relative(v["referrer"]), v["title"]) for v in views] == [
        ("/app/", "/?q=towels", "Towel shop · Overview"),  # the landing view's referrer is document.referrer
        ("/app/cart", "/app/", "Towel shop · Your cart"),
        ("/app/pay", "/app/cart", "Towel shop · Payment"),
        ("/app/pay?step=2", "/app/pay", "Towel shop · Payment, step 2"),
        ("/app/cart", "/app/pay?step=2", "Towel shop · Your cart"),
    ]
    assert views[0]["referrer"] == "https://search.example/?q=towels"


def test_errors_thrown_and_json_rejections_are_recorded(site, context, tap, server):
    page = context.new_page()
    page_errors = []
    page.on("pageerror", lambda error: page_errors.append(error.message))
    page.goto(site.url("errors.html"))
    wait_until_recording(page)
    session_id = tab_session_id(page)
    page.click("#throw")
    page.click("#bad-json")
    page.click("#handled-json")
    page.wait_for_function("window.caughtByPage !== undefined")
    assert page.evaluate("window.caughtByPage") == "SyntaxError: true", "the page's catch still gets a SyntaxError"

    errors = payloads(settle_and_read(page, tap, server, session_id), "$error")
    assert [(e["kind"], e["message"].split(":")[0]) for e in errors] == [
        ("error", "Uncaught Error"),
        ("unhandledrejection", "SyntaxError"),  # only the unhandled one of the two json() failures
    ]
    thrown, rejected = errors
    assert thrown["message"] == "Uncaught Error: reorder exploded"
    assert relative(thrown["source"]) == "/errors.html" and thrown["lineno"] > 0 and thrown["colno"] > 0
    assert "reorder exploded" in thrown["stack"]
    assert rejected["message"].startswith("SyntaxError: Unexpected token '<'") and "not valid JSON" in rejected["message"]
    assert rejected["stack"]
    # The page's own view of its errors: the SDK adds none and hides none.
    assert page_errors[0] == "reorder exploded" and len(page_errors) == 2
