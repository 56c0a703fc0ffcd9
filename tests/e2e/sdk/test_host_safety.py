"""The SDK never breaks its host: stop() takes every hook back off, misuse and a page
that breaks its own environment see no SDK error, and neither do server failures or
garbage answers."""
from __future__ import annotations

import json

import pytest

from tests.e2e.sdk.ingest import wait_for_sessions, wait_for_stored
from tests.e2e.sdk.site import pump, tab_session_id, wait_until_recording

pytestmark = pytest.mark.browser

CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "Retry-After"}


def tags(events: list) -> list:
    return [e["data"]["tag"] for e in events if e["type"] == 5]


def watch_page(page) -> dict:
    """Uncaught errors and console errors of the page, as Playwright sees them."""
    seen = {"pageerrors": [], "console_errors": []}
    page.on("pageerror", lambda error: seen["pageerrors"].append(error.message))
    page.on("console", lambda message: message.type == "error" and seen["console_errors"].append(message.text))
    return seen


def test_stop_takes_every_listener_observer_timer_and_patch_back_off(site, context, tap, server):
    page = context.new_page()
    page.goto(site.url("hooks.html"))
    wait_until_recording(page)
    session_id = tab_session_id(page)
    page.locator("#nickname").press_sequentially("towel fan")
    page.click("#add")
    page.evaluate("history.pushState({}, '', '/hooks.html?tab=2')")

    recording = page.evaluate("window.__hooks.diff()")
    # The instrumentation sees the SDK at work (else the check below proves nothing).
    assert recording["listeners"] and recording["observers"] >= 1
    assert {"history.pushState (added)", "History.prototype.pushState (changed)"} & set(recording["patched"])

    page.evaluate("Replaydesk.stop()")
    page.wait_for_timeout(600)  # one-shot timers the recorder had armed (throttles) run out
    after = page.evaluate("window.__hooks.diff()")
    assert after == {"listeners": [], "removedListeners": [], "observers": 0, "timers": [], "patched": []}
    assert page.evaluate("Replaydesk.isRecording()") is False
    assert page.evaluate("history.pushState === History.prototype.pushState")  # native again

    # What was buffered left at stop(); nothing is recorded or sent after it.
    requests_at_stop = len(tap.sent)
    page.click("#add")
    page.evaluate("Replaydesk.track('after_stop', {})")
    page.evaluate("history.pushState({}, '', '/hooks.html?tab=3')")
    tap.read_beacon_copies(page)
    sent = tap.events(session_id)
    assert "after_stop" not in tags(sent)
    stored = wait_for_stored(server, session_id, lambda events: len(events) >= len(sent), pump=pump(page))
    assert stored == sent
    page.wait_for_timeout(2500)  # a flush interval and more
    assert len(tap.sent) == requests_at_stop


def test_a_page_that_breaks_things_and_misuses_the_api_sees_no_sdk_error(site, context, server):
    page = context.new_page()
    seen = watch_page(page)
    page.goto(site.url("hostile.html"))
    wait_until_recording(page)  # with storage that throws and no CompressionStream
    thrown = page.evaluate("""async () => {
        const thrown = [];
        const attempt = async (label, call) => {
            try { await call(); } catch (error) { thrown.push(`${label}: ${error}`); }
        };
        const circular = {}; circular.self = circular;
        await attempt('track()', () => Replaydesk.track());
        await attempt('track($pageview)', () => Replaydesk.track('$pageview', {}));
        await attempt('track(circular)', () => Replaydesk.track('loop', circular));
        await attempt('track(BigInt)', () => Replaydesk.track('big', {n: 10n}));
        await attempt('identify()', () => Replaydesk.identify());
        await attempt('identify(object)', () => Replaydesk.identify({id: 1}));
        await attempt('setVariant(null)', () => Replaydesk.setVariant(null, 3));
        await attempt('task(bogus)', () => Replaydesk.task('t1', 'bogus'));
        await attempt('init()', () => Replaydesk.init());
        await attempt('init(null)', () => Replaydesk.init(null));
        await attempt('init again', () => Replaydesk.init({key: 'other', endpoint: 'not a url'}));
        await attempt('getVariant(number)', () => Replaydesk.getVariant(42));
        return thrown;
    }""")
    assert thrown == []
    page.click("#add")
    page.evaluate("Replaydesk.track('still_recording', {})")

    # The page's own errors stay the page's own, unchanged.
    page.evaluate("setTimeout(() => { throw new Error('the page has its own bug'); })")
    clone_error = page.evaluate("""() => {
        try { history.pushState({ callback() {} }, '', '/hostile.html?x=1'); return 'no error'; }
        catch (error) { return error.name; }
    }""")
    assert clone_error == "DataCloneError", "the host's pushState error reaches the host"
    # A router patches pushState after the SDK; stop() must not take the router's patch away.
    page.evaluate("""() => {
        const sdkPushState = history.pushState;
        window.routed = [];
        history.pushState = function routerPushState(state, title, url) {
            window.routed.push(String(url));
            return sdkPushState.apply(this, arguments);
        };
        window.routerPushState = history.pushState;
    }""")
    page.evaluate("history.pushState({}, '', '/hostile.html?view=cart')")
    page.evaluate("Replaydesk.stop()")
    assert page.evaluate("""() => {
        history.pushState({}, '', '/hostile.html?view=after-stop');
        return history.pushState === window.routerPushState && location.search === '?view=after-stop'
            && window.routed.join() === '/hostile.html?view=cart,/hostile.html?view=after-stop';
    }""")
    page.wait_for_timeout(300)
    assert page.evaluate("window.seenByPage") == ["error: Uncaught Error: the page has its own bug"]
    assert seen["pageerrors"] == ["the page has its own bug"]
    assert seen["console_errors"] == []
    # ... and the recording went on regardless, to the server (storage is broken, so the
    # session id lives in the SDK's memory only: find the session by the site it visited).
    found = wait_for_sessions(server, pump=pump(page), url=site.origin)
    assert len(found) == 1
    stored = wait_for_stored(server, found[0]["id"], lambda events: "still_recording" in tags(events), pump=pump(page))
    assert {"still_recording", "$pageview"} <= set(tags(stored))


def test_server_failures_and_garbage_answers_never_reach_the_page(site, context, tap, server):
    answers = [
        ("fail", 500, "<h1>Internal Server Error</h1>"),
        ("fail", 503, "\x00\xff not even text"),
        ("forward", 200, "{{{ not json"),
        ("forward", 200, json.dumps({"ok": "yes", "live": "very", "commands": "rm -rf /"})),
        ("forward", 200, json.dumps({"ok": True, "live": False, "commands": [None, 5, {"type": "task", "task": {"title": 7}}, {"type": "?"}]})),
    ]
    answered = []

    def answer(route) -> None:
        request = route.request
        if request.method != "POST" or not answers:
            route.continue_()
            return
        action, status, body = answers.pop(0)
        answered.append(status)
        if action == "forward":  # the server stores the batch; the SDK reads nonsense back
            route.fetch()
        route.fulfill(status=status, body=body, headers={**CORS, "Content-Type": "application/json"})

    context.route(f"{server.url}/api/v1/ingest*", answer)
    page = context.new_page()
    seen = watch_page(page)
    page.goto(site.url("index.html"))
    wait_until_recording(page)
    session_id = tab_session_id(page)
    # Three batches: the first meets 500, 503 and a garbage 200 (its retries), the next
    # two the 200s with nonsense in them.
    for step in range(3):
        page.click("#add")
        page.evaluate("step => Replaydesk.track('step', {step})", step)
        page.wait_for_timeout(2600)  # past the 2 s flush: one batch per step
    tap.wait_quiet(pump=pump(page))
    assert answers == [], f"answers left unused: {answers}"
    assert seen["pageerrors"] == []
    assert [text for text in seen["console_errors"] if not text.startswith("Failed to load resource")] == []
    assert page.evaluate("Replaydesk.isRecording()")

    tap.read_beacon_copies(page)
    sent = tap.events(session_id)
    assert [e["data"]["payload"]["step"] for e in sent if e["type"] == 5 and e["data"]["tag"] == "step"] == [0, 1, 2]
    stored = wait_for_stored(server, session_id, lambda events: len(events) >= len(sent), pump=pump(page))
    assert stored == sent, "failed batches were sent again; acknowledged ones once"
