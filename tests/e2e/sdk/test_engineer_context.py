"""Console and network capture in real Chromium: the page's fetch and XMLHttpRequest
behave exactly as without the SDK (a 200, a 404, a network error, an aborted fetch, a
body streamed by the page, a Request object, async, synchronous, aborted and timed-out
XHRs), and the stored session holds the console lines and the requests as rrweb plugin
events, secret query values masked."""
from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import requests as requests_lib
from playwright.sync_api import expect

from tests.e2e.sdk.ingest import wait_for_stored
from tests.e2e.sdk.site import ProductSite, pump, tab_session_id, wait_until_recording
from tests.e2e.server import sign_in

pytestmark = pytest.mark.browser

CONSOLE_PLUGIN = "rrweb/console@1"
NETWORK_PLUGIN = "rrweb/network@1"
SECRETS_IN_REQUESTS = ["s3cr3t-t0ken", "port-secret", "xhr-secret", "sync-secret"]
SECRET_IN_MARKUP = "img-secret-42"  # also in the <img src> attribute, which the DOM snapshot records as it is
PIXEL = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


class EngineerSite(ProductSite):
    """The product site plus the small API its scenario page (pages/engineer.js) calls.
    `/plain/<page>` is the page without the snippet: the same origin, no SDK."""

    def respond(self, path: str) -> tuple[int, bytes, str]:
        if path.startswith("/plain/"):
            name = path[len("/plain/"):]
            return 200, (self.render(name).decode().replace(self.snippet(), "")).encode(), "text/html; charset=utf-8"
        if path == "/api/items":
            return 200, json.dumps({"items": ["blue towel", "green towel"]}).encode(), "application/json"
        if path == "/api/missing":
            return 404, json.dumps({"error": "not_found"}).encode(), "application/json"
        if path == "/api/pixel.gif":
            return 200, PIXEL, "image/gif"
        return super().respond(path)

    def snippet(self) -> str:
        from tests.e2e.sdk.site import snippet_with_options

        return snippet_with_options(self.server.url, self.server.key, self.init_options)

    def _handler(self):
        site = self
        base = super()._handler()

        class Handler(base):
            def do_GET(self) -> None:  # noqa: N802
                path = urlsplit(self.path).path
                if path == "/api/stream":
                    self._stream()
                elif path == "/api/slow":
                    time.sleep(2)
                    self._quietly(200, b'{"slow": true}', "application/json")
                else:
                    self._quietly(*site.respond(path))

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if urlsplit(self.path).path == "/api/echo":
                    self._quietly(200, b"echo: " + body, "text/plain")
                else:
                    self._quietly(404, b'{"error": "not_found"}', "application/json")

            def _stream(self) -> None:
                """Three parts 400 ms apart, flushed one by one (HTTP/1.0: the body ends when the connection closes)."""
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Cache-Control", "no-store")
                    self.end_headers()
                    for part in (b"part 1\n", b"part 2\n", b"part 3\n"):
                        self.wfile.write(part)
                        self.wfile.flush()
                        time.sleep(0.4)
                except OSError:
                    pass

            def _quietly(self, status: int, body: bytes, content_type: str) -> None:
                try:
                    self._send(status, body, content_type)
                except OSError:
                    pass  # the page aborted the request

        return Handler


def without_timing(results: dict) -> dict:
    return json.loads(json.dumps(results))


def run_scenario(page) -> dict:
    return page.evaluate("window.runScenario()")


def plugin_payloads(events: list, plugin: str) -> list:
    return [e["data"]["payload"] for e in events if e["type"] == 6 and e["data"]["plugin"] == plugin]


@pytest.fixture
def engineer_site(server):
    with EngineerSite(server, init_options={"captureNetwork": {"allowQueryParams": ["page", "size"]}}) as site:
        yield site


def test_fetch_and_xhr_behave_exactly_as_without_the_sdk(engineer_site, context):
    plain = context.new_page()
    plain.goto(engineer_site.url("plain/engineer.html"))
    assert plain.evaluate("typeof window.Replaydesk") == "undefined"
    without_sdk = run_scenario(plain)
    plain.close()

    page = context.new_page()
    page.goto(engineer_site.url("engineer.html"))
    wait_until_recording(page)
    assert page.evaluate("window.fetch.toString().includes('[native code]')") is False, "the SDK wraps fetch (else this proves nothing)"
    with_sdk = run_scenario(page)

    # The scenario really went through every case.
    assert without_sdk["ok200"]["status"] == 200 and json.loads(without_sdk["ok200"]["text"])["items"]
    assert without_sdk["missing404"]["status"] == 404 and without_sdk["missing404"]["ok"] is False
    assert without_sdk["networkError"]["thrown"]["isTypeError"] is True
    assert without_sdk["request"]["text"] == "echo: towel=blue"
    assert without_sdk["aborted"]["thrown"]["name"] == "AbortError"
    assert without_sdk["stream"] == {"status": 200, "bodyUsed": True, "text": "part 1\npart 2\npart 3\n", "arrivedInParts": True}
    assert without_sdk["xhr"]["seen"][-2:] == ["load 40/40", "loadend 40/40"] and without_sdk["xhr"]["status"] == 200
    assert without_sdk["xhrJson"]["response"] == {"items": ["blue towel", "green towel"]}
    assert [without_sdk[name]["seen"][-2] for name in ("xhrAbort", "xhrNetworkError", "xhrTimeout")] == ["abort", "error", "timeout"]
    assert without_sdk["syncXhr"]["status"] == 200 and "blue towel" in without_sdk["syncXhr"]["response"]
    assert without_sdk["syncXhrError"]["thrown"]["name"] == "NetworkError"
    assert without_sdk["unhandled"] == ["TypeError: Failed to fetch"]

    assert with_sdk == without_sdk


def test_the_stored_session_has_console_lines_and_requests_with_secrets_masked(engineer_site, context, tap, server):
    page = context.new_page()
    page_errors = []
    page.on("pageerror", lambda error: page_errors.append(error.message))
    page.goto(engineer_site.url("engineer.html"))
    wait_until_recording(page)
    session_id = tab_session_id(page)
    run_scenario(page)
    page.wait_for_function("document.getElementById('logo').complete")

    tap.wait_quiet(pump=pump(page))
    sent = tap.events(session_id)
    stored = wait_for_stored(server, session_id, lambda events: len(events) >= len(sent), pump=pump(page))
    assert stored == sent
    assert page_errors == []

    # Console: warn and error by default (not log), arguments as text, a trace from the page.
    lines = plugin_payloads(stored, CONSOLE_PLUGIN)
    assert [(line["level"], line["payload"][0]) for line in lines] == [
        ("warn", "low stock"),
        ("error", lines[1]["payload"][0]),
    ]
    assert lines[0]["payload"][1] == '{"sku":"T-1","left":2}'
    assert lines[1]["payload"][0].startswith("Error: payment failed\n")
    assert lines[1]["trace"] and "engineer.js" in lines[1]["trace"][0], lines[1]["trace"]
    assert not any("[replaydesk]" in "".join(line["payload"]) for line in lines)

    # Network: each request once, query values masked unless allow-listed (page, size).
    requests = [request for payload in plugin_payloads(stored, NETWORK_PLUGIN) for request in payload["requests"]]
    origin = engineer_site.origin

    def one(initiator: str, url: str, method: str = "GET") -> dict:
        found = [r for r in requests if r["initiator"] == initiator and r["url"] == url and r["method"] == method]
        assert len(found) == 1, (initiator, method, url, [(r["initiator"], r["method"], r["url"]) for r in requests])
        return found[0]

    ok = one("fetch", f"{origin}/api/items?token=***&page=2")
    assert ok["status"] == 200 and ok["transfer_bytes"] > 0 and ok["duration_ms"] >= 0 and "error" not in ok
    assert set(ok) == {"url", "method", "status", "initiator", "start_ms", "duration_ms", "transfer_bytes"}
    assert abs(ok["start_ms"] - time.time() * 1000) < 120_000
    assert one("fetch", f"{origin}/api/missing")["status"] == 404
    unreachable = one("fetch", "http://127.0.0.1:9/unreachable?token=***")
    assert (unreachable["status"], unreachable["error"]) == (None, "network error")
    assert one("fetch", f"{origin}/api/echo", "POST")["status"] == 200
    aborted = [r for r in requests if r["url"] == f"{origin}/api/slow" and r["initiator"] == "fetch"]
    assert [(r["status"], r["error"]) for r in aborted] == [(None, "aborted")]
    stream = one("fetch", f"{origin}/api/stream")
    assert stream["status"] == 200 and stream["duration_ms"] >= 700, "timed to the end of the body the page read"
    assert one("xhr", f"{origin}/api/items?token=***&page=3")["status"] == 200
    assert one("xhr", f"{origin}/api/missing", "POST")["status"] == 404
    xhr_slow = sorted((r["status"], r["error"]) for r in requests if r["url"] == f"{origin}/api/slow" and r["initiator"] == "xhr")
    assert xhr_slow == [(None, "aborted"), (None, "timeout")]
    assert one("xhr", "http://127.0.0.1:9/xhr")["error"] == "network error"
    assert one("xhr", f"{origin}/api/items?token=***")["status"] == 200  # the synchronous one
    assert one("xhr", "http://127.0.0.1:9/sync")["error"] == "network error"
    navigation = one("navigation", f"{origin}/engineer.html")
    assert navigation["status"] == 200 and navigation["transfer_bytes"] > 0
    assert one("script", f"{origin}/engineer.js")["status"] == 200
    assert one("img", f"{origin}/api/pixel.gif?token=***&size=2")["status"] == 200
    # Never the SDK's own requests: the bundle, ingest.
    assert not [r for r in requests if r["url"].startswith(server.url)]

    # The review API's context view reads the same events: the engineer's lists, in time order.
    context_view = requests_lib.get(f"{server.url}/api/v1/sessions/{session_id}/context", headers=server.bearer, timeout=10).json()
    assert [(c["level"], c["args"][0]) for c in context_view["console"]] == [("warn", "low stock"), ("error", lines[1]["payload"][0])]
    seen = {(n["initiator"], n["url"], n["status"], n["failed"]) for n in context_view["network"]}
    assert {("fetch", f"{origin}/api/items?token=***&page=2", 200, False), ("fetch", f"{origin}/api/missing", 404, True),
            ("xhr", f"{origin}/api/items?token=***&page=3", 200, False)} <= seen
    assert len(context_view["network"]) == len(requests)

    everything = json.dumps(stored)
    for secret in SECRETS_IN_REQUESTS:
        assert secret not in everything
    plugin_events = json.dumps([e for e in stored if e["type"] == 6])
    assert SECRET_IN_MARKUP not in plugin_events and "img-secret" not in json.dumps(requests)

    # The player's panels show the same session to a reviewer: console lines, and each
    # request with its secret masked, the 404 marked failed.
    server.process.cli("user", "create", "engineer@example.com", "--role", "admin", "--password-stdin",
                       input="correct horse battery\n")
    reviewer = sign_in(context, server.url, "engineer@example.com", "correct horse battery")
    reviewer.goto(f"{server.url}/sessions/{session_id}")
    expect(reviewer.locator("#count-console")).to_have_text("2")
    reviewer.click("#tab-console")
    expect(reviewer.locator("#list-console > li")).to_have_count(2)
    expect(reviewer.locator('#list-console > li[data-level="error"]')).to_contain_text("payment failed")
    reviewer.click("#tab-network")
    rows = reviewer.locator("#list-network > li")
    expect(rows).to_have_count(len(requests))
    for shown in ("/api/items?token=***&page=2", "/api/items?token=***&page=3"):
        row = rows.filter(has=reviewer.locator(f'[title^="GET {origin}{shown}"]'))
        expect(row).to_have_count(1)
        expect(row.locator(".status")).to_have_text("200")
    missing = rows.filter(has=reviewer.locator(f'[title^="GET {origin}/api/missing"]'))
    expect(missing).to_have_attribute("data-failed", "")
    expect(missing.locator(".status")).to_have_text("404")
    assert "s3cr3t" not in reviewer.content()
