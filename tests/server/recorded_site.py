"""A recorded site for replay-fidelity tests: stylesheets, fonts and images on 127.0.0.1
that the asset cache fetches. The ``site`` fixture (tests/server/conftest.py) serves it."""
from __future__ import annotations

import contextlib
import http.server
import threading
from typing import Iterator

FONT_BYTES = b"wOF2" + b"\x00" * 60
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x01" * 40


class RecordedSite(http.server.BaseHTTPRequestHandler):
    """A stylesheet with a web font, and a few traps; tests change ``files`` to redesign it."""

    files: dict[str, tuple[bytes, str]] = {}

    def do_GET(self):  # noqa: N802 - http.server's name
        body, content_type = self.files.get(self.path, (b"missing", "text/plain"))
        self.send_response(200 if self.path in self.files else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve_site() -> Iterator[str]:
    """Serve the site; yields its base URL (``http://127.0.0.1:<port>``)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RecordedSite)
    RecordedSite.files = {
        "/site.css": (b'@font-face { font-family: Brand; src: url("fonts/brand.woff2") format("woff2") }\n'
                      b"body { font-family: Brand; color: rgb(200, 0, 0); background: url(/bg.png) }", "text/css; charset=utf-8"),
        "/fonts/brand.woff2": (FONT_BYTES, "font/woff2"),
        "/evil.css": (b"<script>alert(1)</script>", "text/html"),
        "/bg.png": (PNG_BYTES, "image/png"),
        "/hero.png": (PNG_BYTES + b"hero", "application/octet-stream"),  # sniffed: kept as image/png
        "/login.png": (b"<!doctype html><form>Sign in</form>", "text/html"),  # a redirect to a login page
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def page_with_stylesheets(ts: int, hrefs: list[str]) -> dict:
    """A full snapshot whose head links these stylesheets."""
    links = [{"type": 2, "tagName": "link", "id": 10 + n, "attributes": {"rel": "stylesheet", "href": href}, "childNodes": []}
             for n, href in enumerate(hrefs)]
    return {"type": 2, "timestamp": ts, "data": {"initialOffset": {"left": 0, "top": 0}, "node": {"type": 0, "id": 1, "childNodes": [
        {"type": 2, "tagName": "html", "id": 2, "attributes": {}, "childNodes": [
            {"type": 2, "tagName": "head", "id": 3, "attributes": {}, "childNodes": links},
            {"type": 2, "tagName": "body", "id": 4, "attributes": {}, "childNodes": []}]}]}}}
