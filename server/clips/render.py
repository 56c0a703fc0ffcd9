"""Render a clip with the real player: the app serves itself on an ephemeral port of
127.0.0.1 (so neither the CLI nor a job needs REPLAYDESK_PUBLIC_URL to be reachable),
each segment opens through a short-lived share link in its clip mode (``?clip=1``,
``review_ui/src/entries/clip.js``), and headless Chromium steps through the range
frame by frame, paused at each moment, its screenshots piped to ffmpeg.

Stepping paused moments, rather than filming playback, makes a video the same on a
slow machine as on a fast one. The links are revoked when the render ends, whatever
the outcome; they also expire on their own after RENDER_TIME_LIMIT_S.

The browser runs in a thread of its own: Playwright's synchronous API refuses to run
in a thread that already drives an event loop (a test's browser, say), and the
calling thread keeps its app context to record progress and the links.
"""
from __future__ import annotations

import base64
import contextlib
import logging
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence

from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from server.clips.encode import Encoder, RenderError
from server.clips.plan import Frame, frame_times, total_frames
from server.runtime import current_runtime
from server.storage import shares
from server.storage.clips import Segment

log = logging.getLogger(__name__)

CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright's own download is not used
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--hide-scrollbars",
                 "--force-color-profile=srgb"]
RENDER_TIME_LIMIT_S = 300
"""A render stops after this long (the job lease and RQ's job timeout are longer)."""
PAGE_LOAD_TIMEOUT_MS = 30_000  # a segment's replay loading and showing its first frame
PROGRESS_EVERY_S = 0.5
STUCK_GRACE_S = 60  # past the time limit, a browser that has not stopped is given up on
RENDERER = "clip renderer"  # the share links' author, as the project's link list shows them


@dataclass(frozen=True)
class Rendered:
    frames: int
    width: int
    height: int
    seconds: float  # wall time of the whole render


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # the browser's requests are ours: no access log
        pass


@contextlib.contextmanager
def serving(app: Flask) -> Iterator[str]:
    """The app on an ephemeral port of 127.0.0.1 while the block runs; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="clip-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextlib.contextmanager
def share_links(segments: Sequence[Segment], *, lifetime_s: int) -> Iterator[list[str]]:
    """A share link per segment (its range only) while the block runs, revoked after.

    :commits: the links, then their revocation.
    """
    runtime = current_runtime()
    tokens: list[str] = []
    try:
        for segment in segments:
            now = runtime.now_ms()
            link = shares.create_share(segment.session_id, from_ms=segment.from_ms, to_ms=segment.to_ms,
                                       expires_at=now + lifetime_s * 1000, created_by=RENDERER, now_ms=now)
            tokens.append(link.token)
        yield tokens
    finally:
        for token in tokens:
            try:
                shares.revoke_share(token, now_ms=runtime.now_ms())
            except Exception:  # noqa: BLE001 - the session may be gone; the link expires anyway
                log.warning("could not revoke a clip's share link", exc_info=True)


def find_chromium() -> str:
    """:raise RenderError: when Chromium is not installed."""
    found = shutil.which("chromium") or (CHROMIUM if Path(CHROMIUM).exists() else None)
    if not found:
        raise RenderError("Chromium is not installed: `apt-get install chromium` (or `make chromium`).")
    return found


class _Browsing(threading.Thread):
    """Chromium stepping through each segment's page, frames into the encoder."""

    def __init__(self, pages: list[tuple[str, Segment]], frame: Frame, fps: int, encoder: Encoder,
                 deadline: float) -> None:
        super().__init__(name="clip-browser", daemon=True)
        self.pages, self.frame, self.fps, self.encoder, self.deadline = pages, frame, fps, encoder, deadline
        self.frames_done = 0
        self.error: Optional[BaseException] = None
        self.chromium = find_chromium()

    def run(self) -> None:
        try:
            self._browse()
        except BaseException as error:  # noqa: BLE001 - handed to the calling thread, which raises it
            self.error = error

    def _browse(self) -> None:
        try:
            from playwright.sync_api import Error as PlaywrightError, sync_playwright
        except ImportError:
            raise RenderError("Playwright is not installed (pip install playwright).") from None
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=self.chromium, args=CHROMIUM_ARGS)
                try:
                    context = browser.new_context(viewport={"width": self.frame.width, "height": self.frame.height},
                                                  device_scale_factor=1, reduced_motion="no-preference")
                    page = context.new_page()
                    for url, segment in self.pages:
                        self._segment(page, url, segment)
                finally:
                    browser.close()
        except PlaywrightError as error:
            raise RenderError(f"The browser failed: {str(error).splitlines()[0][:200]}") from None

    def _segment(self, page, url: str, segment: Segment) -> None:
        answer = page.goto(url, timeout=PAGE_LOAD_TIMEOUT_MS)
        if answer is None or answer.status != 200:
            raise RenderError(f"The replay page answered {answer.status if answer else 'nothing'}.")
        page.wait_for_selector("html[data-clip-ready], html[data-clip-error]", state="attached",
                               timeout=PAGE_LOAD_TIMEOUT_MS)
        problem = page.get_attribute("html", "data-clip-error")
        if problem is not None:
            raise RenderError(f"The replay did not load: {problem[:200]}")
        page.evaluate("(text) => window.replaydeskClip.setCaption(text)", segment.caption)
        cdp = page.context.new_cdp_session(page)
        for moment in frame_times(segment.from_ms, segment.to_ms, self.fps):
            if time.monotonic() > self.deadline:
                raise RenderError(f"Rendering took longer than {RENDER_TIME_LIMIT_S} s.")
            page.evaluate("(offset) => window.replaydeskClip.seek(offset)", moment)
            self.encoder.add(self._screenshot(cdp))
            self.frames_done += 1

    @staticmethod
    def _screenshot(cdp) -> bytes:
        """The viewport as PNG, straight from the DevTools protocol: lossless like
        Playwright's screenshot, about twice as fast (a lighter zlib level, and none of
        its waiting for fonts, which the clip page's seek does itself)."""
        return base64.b64decode(cdp.send("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True})["data"])


def render_video(app: Flask, segments: Sequence[Segment], *, fmt: str, fps: int, frame: Frame, output: Path,
                 progress: Callable[[float], None] = lambda done: None) -> Rendered:
    """Render ``segments`` one after the other into ``output`` (mp4, webm or gif);
    ``progress`` hears the share of frames done (0..1) about twice a second, in the
    calling thread (which has an app context).

    :raise RenderError: saying what failed; no partial file is left at ``output``.
    :commits: the temporary share links and their revocation.
    """
    started = time.monotonic()
    total = total_frames(segments, fps)
    workdir = Path(tempfile.mkdtemp(prefix="replaydesk-clip-"))
    encoder: Optional[Encoder] = None
    try:
        encoder = Encoder(fmt, fps, output, workdir)
        with serving(app) as base_url, share_links(segments, lifetime_s=RENDER_TIME_LIMIT_S + 60) as tokens:
            pages = [(f"{base_url}/share/{token}?clip=1", segment) for token, segment in zip(tokens, segments)]
            browsing = _Browsing(pages, frame, fps, encoder, deadline=started + RENDER_TIME_LIMIT_S)
            browsing.start()
            while browsing.is_alive():
                browsing.join(PROGRESS_EVERY_S)
                progress(min(0.99, browsing.frames_done / total))
                if time.monotonic() > started + RENDER_TIME_LIMIT_S + STUCK_GRACE_S:
                    # Its every step has a timeout; this is the last resort if the browser
                    # itself hangs: the job ends and frees its runner (the thread is a daemon).
                    raise RenderError(f"The browser stopped answering; rendering took longer than "
                                      f"{RENDER_TIME_LIMIT_S} s.")
            if browsing.error is not None:
                raise browsing.error
        encoder.finish()
    except BaseException:
        if encoder is not None:
            encoder.abort()
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return Rendered(encoder.frames, frame.width, frame.height, time.monotonic() - started)
