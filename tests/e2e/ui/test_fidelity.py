"""Replay fidelity in the browser: the server caches the recorded site's stylesheets,
fonts and images soon after the recording arrives, and plays use our copies after the
site changed or went away; canvases are painted without scripts in the replay frame."""
from __future__ import annotations

import http.server
import io
import json
import threading
import time

import pytest
from PIL import Image

from tests.e2e import fidelity
from tests.e2e.ui.conftest import screenshot, wait_for_first_frame
from tests.factories import T0

pytestmark = [pytest.mark.browser, pytest.mark.slow]

GREEN, RED = (20, 160, 90), (200, 30, 30)


class _Site(http.server.BaseHTTPRequestHandler):
    css = b""

    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(type(self).css)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    _Site.css = b"body { background: rgb(%d, %d, %d); margin: 0 } h1 { color: white }" % GREEN
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def share_of(png: bytes, colour: tuple[int, int, int]) -> float:
    image = Image.open(io.BytesIO(png)).convert("RGB").resize((100, 60))
    pixels = list(image.getcolors(maxcolors=10_000))
    near = sum(n for n, rgb in pixels if all(abs(a - b) < 12 for a, b in zip(rgb, colour)))
    return near / (100 * 60)


def test_replay_keeps_its_look_after_the_site_changes(page, ui_server, site, tmp_path):
    stylesheet = f"{site}/site.css"
    html = {"type": 2, "tagName": "html", "id": 2, "attributes": {}, "childNodes": [
        {"type": 2, "tagName": "head", "id": 3, "attributes": {}, "childNodes": [
            {"type": 2, "tagName": "link", "id": 4, "attributes": {"rel": "stylesheet", "href": stylesheet}, "childNodes": []}]},
        {"type": 2, "tagName": "body", "id": 5, "attributes": {}, "childNodes": [
            {"type": 2, "tagName": "h1", "id": 6, "attributes": {}, "childNodes": [{"type": 3, "id": 7, "textContent": "Checkout"}]}]}]}
    events = [{"type": 4, "timestamp": T0, "data": {"href": f"{site}/checkout", "width": 1024, "height": 640}},
              {"type": 2, "timestamp": T0 + 1, "data": {"node": {"type": 0, "id": 1, "childNodes": [html]},
                                                        "initialOffset": {"left": 0, "top": 0}}},
              {"type": 3, "timestamp": T0 + 2000, "data": {"source": 2, "type": 2, "id": 6, "x": 30, "y": 30}}]
    path = tmp_path / "styled.json"
    path.write_text(json.dumps({"session_id": "styled-session-0001", "events": events}))
    sid = ui_server.import_recording(path)

    page.goto(f"{ui_server.url}/sessions/{sid}")  # the background worker caches the stylesheet meanwhile
    wait_for_first_frame(page)
    assert share_of(page.locator("#stage iframe").screenshot(), GREEN) > 0.5
    deadline = time.monotonic() + 30
    while not page.request.get(f"{ui_server.url}/api/v1/sessions/{sid}/assets").json()["assets"]:
        assert time.monotonic() < deadline, "the stylesheet was not cached"
        time.sleep(0.3)

    _Site.css = b"body { background: rgb(%d, %d, %d) }" % RED  # the site is redesigned
    page.goto(f"{ui_server.url}/sessions/{sid}")
    wait_for_first_frame(page)
    link = page.frame_locator("#stage iframe").locator("link[rel=stylesheet]")
    assert link.get_attribute("href").startswith("/api/v1/assets/")
    page.wait_for_timeout(300)  # the cached stylesheet loads
    frame = page.locator("#stage iframe").screenshot()
    screenshot(page, "14-fidelity")
    assert share_of(frame, GREEN) > 0.5 and share_of(frame, RED) == 0


# --- the cheap cases of bench/fidelity.py: recorded with the real SDK, viewed with the site gone ---

CHEAP_PAGES = ["fonts", "images", "canvas", "spa-modal", "cross-origin-css"]
REVIEWER = ("fidelity@example.com", "fidelity reviewer")


@pytest.fixture(scope="module")
def recorder(tmp_path_factory):
    """A server of its own (the SDK posts to it) with a reviewer, and the recorded site."""
    from tests.e2e.server import ServerProcess
    from tests.e2e.sdk.site import snippet_with_options

    process = ServerProcess(tmp_path_factory.mktemp("fidelity") / "data")
    seed = process.seed("fidelity", users=[REVIEWER])
    process.start()
    yield process, seed, lambda page: snippet_with_options(process.url, seed.key, fidelity.INIT_OPTIONS.get(page, {}))
    process.stop()


@pytest.mark.parametrize("page_name", CHEAP_PAGES)
def test_the_first_view_with_the_site_gone_is_what_the_participant_saw(browser, recorder, page_name, tmp_path):
    """Web fonts (one on the site's own origin, which no other origin may load), images
    and CSS backgrounds, a canvas chart, a modal opened late, cross-origin stylesheets
    with their imports: the server caches them within seconds of the recording, the site
    then goes away, and the first view of the session shows every moment as it was."""
    from tests.e2e.server import sign_in

    process, seed, snippet = recorder
    site = fidelity.RecordedSite().start(snippet)
    try:
        recording = fidelity.record(browser, site, page_name)
        detail = fidelity.wait_until_stored(process.url, seed.token, recording.session_id)
    finally:
        site.stop()
    context = browser.new_context(viewport=fidelity.REVIEWER_VIEWPORT)
    try:
        page = sign_in(context, process.url, *REVIEWER)
        for moment, offset in zip(recording.moments, fidelity.offsets(recording, detail)):
            replay = fidelity.replay_frame_png(page, process.url, recording.session_id, offset)
            score = fidelity.similarity(moment.png, replay)
            if score < 0.99:
                screenshot_path = tmp_path / f"{page_name}-{moment.name}.png"
                screenshot_path.write_bytes(fidelity.comparison_png(moment.png, replay))
            assert score >= 0.99, f"{page_name} at {moment.name}: {score:.4f} (participant | replay | diff: {tmp_path})"
        sandbox = page.locator("#stage iframe").first.get_attribute("sandbox").split()
        assert "allow-scripts" not in sandbox  # canvases are painted from outside the frame
    finally:
        context.close()
