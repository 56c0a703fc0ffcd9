"""A visit across three pages (two full loads, then SPA views) arrives on the server
exactly as the SDK sent it, as one session per tab."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e.sdk.ingest import session_detail, wait_for_stored
from tests.e2e.sdk.site import pump, tab_session_id, wait_until_recording

pytestmark = pytest.mark.browser

CLICK, INPUT, MOUSE_INTERACTION = 2, 5, 2


def path_of(url: str) -> str:
    return urlsplit(url).path if url else ""


def clicks(events: list) -> list:
    return [e for e in events if e["type"] == 3 and e["data"]["source"] == MOUSE_INTERACTION and e["data"]["type"] == CLICK]


def custom(events: list, tag: str) -> list:
    return [e["data"]["payload"] for e in events if e["type"] == 5 and e["data"]["tag"] == tag]


def test_clicks_typing_and_navigation_arrive_exactly_as_recorded(site, context, tap, server):
    page = context.new_page()
    page.goto(site.url("index.html"))
    wait_until_recording(page)
    session_id = tab_session_id(page)
    page.click("#add")
    page.click("#add")
    page.click("#to-form")  # full page load: the last batch of the page leaves by beacon
    page.wait_for_url("**/form.html")
    wait_until_recording(page)
    page.locator("#name").press_sequentially("Ada Lovelace")
    page.locator("#email").press_sequentially("ada@example.com")
    page.click("#continue")  # full page load into the single-page app
    page.wait_for_url("**/app/")
    wait_until_recording(page)
    page.click("#nav-cart")  # pushState
    page.click("#nav-pay")  # pushState
    page.go_back()  # popstate
    page.wait_for_url("**/app/cart")
    assert tab_session_id(page) == session_id, "the tab keeps its session across full page loads"

    tap.wait_quiet(pump=pump(page))
    tap.read_beacon_copies(page)
    assert not tap.problems and tap.unread_blob_beacons == 0
    assert tap.session_ids() == {session_id}
    windows = tap.windows(session_id)
    assert len(windows) == 3, "one window per page load"
    for window in windows:
        seqs = sorted(key[2] for key in tap.batches() if key[1] == window)
        assert seqs == list(range(len(seqs))), f"window {window} sent seq {seqs}"

    sent = tap.events(session_id)
    stored = wait_for_stored(server, session_id, lambda events: len(events) >= len(sent), pump=pump(page))
    assert stored == sent

    # ... and what was sent is the visit we made.
    assert [path_of(e["data"]["href"]) for e in stored if e["type"] == 4] == ["/index.html", "/form.html", "/app/"]
    assert sum(e["type"] == 2 for e in stored) == 3, "a full snapshot per page load"
    assert [(path_of(view["url"]), path_of(view["referrer"]), view["title"]) for view in custom(stored, "$pageview")] == [
        ("/index.html", "", "Towel shop · Home"),
        ("/form.html", "/index.html", "Towel shop · Checkout"),
        ("/app/", "/form.html", "Towel shop · Overview"),
        ("/app/cart", "/app/", "Towel shop · Your cart"),  # the title the router set after pushState
        ("/app/pay", "/app/cart", "Towel shop · Payment"),
        ("/app/cart", "/app/pay", "Towel shop · Your cart"),
    ]
    assert len(clicks(stored)) == 6  # add, add, checkout, continue, cart, pay
    typed = [e["data"]["text"] for e in stored if e["type"] == 3 and e["data"]["source"] == INPUT]
    assert typed == ["*" * len("Ada Lovelace"), "*" * len("ada@example.com")]
    pages = session_detail(server, session_id)["pages"]
    assert [(path_of(p["url"]), p["title"]) for p in pages] == [
        (path_of(view["url"]), view["title"]) for view in custom(stored, "$pageview")]


def test_each_tab_has_its_own_session_and_keeps_it_across_reloads(site, context):
    first = context.new_page()
    first.goto(site.url("index.html"))
    wait_until_recording(first)
    session_id = tab_session_id(first)
    first.reload()
    wait_until_recording(first)
    assert tab_session_id(first) == session_id

    second = context.new_page()
    second.goto(site.url("index.html"))
    wait_until_recording(second)
    assert tab_session_id(second) != session_id
