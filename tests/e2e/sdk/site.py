"""The product under test: tests/e2e/sdk/pages served by a small threaded HTTP server
on its own port, so the SDK is loaded and posts cross-origin, as on a real site.

Pages are templates: `{{SNIPPET}}` becomes the loader snippet that the server renders
for the project (`server.snippet.render_snippet`), with the `init({...})` call edited
when a test sets `init_options` (as a product engineer would edit the pasted snippet).
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional

from server.snippet import render_snippet

PAGES = Path(__file__).resolve().parent / "pages"
SNIPPET_MARKER = "{{SNIPPET}}"
SPA_PREFIX = "/app/"  # every URL below it is the single-page app (its router uses pushState)
NOT_JSON = b"<html>this is not JSON</html>"


def snippet_with_options(public_url: str, key: str, options: dict) -> str:
    """The rendered snippet, its `init({key, endpoint})` extended with `options`."""
    snippet = render_snippet(public_url, key)
    if not options:
        return snippet
    endpoint = f"endpoint:{json.dumps(public_url)}"
    if snippet.count(endpoint) != 1:
        raise AssertionError(f"cannot find {endpoint} in the snippet's init() call: {snippet}")
    extra = ",".join(f"{json.dumps(name)}:{json.dumps(value)}" for name, value in options.items())
    return snippet.replace(endpoint, f"{endpoint},{extra}")


class ProductSite:
    """`with ProductSite(server) as site: page.goto(site.url("index.html"))`."""

    def __init__(self, server, *, init_options: Optional[dict] = None) -> None:
        self.server = server
        self.init_options = dict(init_options or {})
        self._httpd: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    @property
    def origin(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str = "") -> str:
        return f"{self.origin}/{path.lstrip('/')}"

    def render(self, name: str) -> bytes:
        template = (PAGES / name).read_text()
        snippet = snippet_with_options(self.server.url, self.server.key, self.init_options)
        return template.replace(SNIPPET_MARKER, snippet).encode()

    def respond(self, path: str) -> tuple[int, bytes, str]:
        """(status, body, content type) for a GET of `path`."""
        name = path.lstrip("/")
        if path == "/not-json":
            return 200, NOT_JSON, "text/html"
        if path == "/favicon.ico":
            return 204, b"", "image/x-icon"
        if path == "/" or path == SPA_PREFIX.rstrip("/") or path.startswith(SPA_PREFIX):
            name = "index.html" if path == "/" else "app.html"
        if "/" in name or not (PAGES / name).is_file():
            return 404, b"not found", "text/plain"
        if name.endswith(".js"):  # test instrumentation (tap.js, hooks.js)
            return 200, (PAGES / name).read_bytes(), "text/javascript"
        if name.endswith(".html"):
            return 200, self.render(name), "text/html; charset=utf-8"
        return 404, b"not found", "text/plain"

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                self._send(*site.respond(self.path.split("?", 1)[0].split("#", 1)[0]))

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args) -> None:
                pass  # quiet test output

        return Handler

    def __enter__(self) -> "ProductSite":
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="product-site", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


# --- driving a page of the site ---------------------------------------------------

SDK_LOADED = "window.Replaydesk && window.Replaydesk.__replaydesk === true"


def wait_until_recording(page) -> None:
    """Wait for the bundle to replace the loader's stub and start recording."""
    page.wait_for_function(f"{SDK_LOADED} && window.Replaydesk.isRecording()")


def wait_until_loaded(page) -> None:
    """Wait for the bundle to replace the loader's stub (recording or not)."""
    page.wait_for_function(SDK_LOADED)


def tab_session_id(page) -> str:
    """The session id the SDK keeps for this tab."""
    return page.evaluate("JSON.parse(sessionStorage.getItem('rd_session')).id")


def pump(page):
    """A sleep that lets Playwright deliver the page's events meanwhile."""
    return lambda seconds: page.wait_for_timeout(seconds * 1000)
