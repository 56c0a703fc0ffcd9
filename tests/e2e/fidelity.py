"""Replay fidelity, measured (bench/fidelity.py, and the cheap cases in
tests/e2e/ui/test_fidelity.py).

The pages under ``bench/fidelity/site`` are served as a recorded site, with a CDN on
another origin (``bench/fidelity/cdn``, plus images drawn here and system fonts). Each
page is recorded in Chromium with the real SDK while its scenario plays; at each moment
the participant's viewport is screenshotted and its clock read. The player then opens
the session at those moments (``?t=``) and its replay frame is screenshotted at the
same size. Similarity is the share of pixels whose grey levels differ by at most
``GREY_TOLERANCE``.

What the replay draws over the page (rrweb's mouse cursor and its tail) is hidden
before the screenshot: it is the reviewer's aid, not the participant's page.
"""
from __future__ import annotations

import io
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Optional

import numpy as np
import requests
from PIL import Image, ImageDraw

REPO = Path(__file__).resolve().parents[2]
PAGES = REPO / "bench" / "fidelity"
GREY_TOLERANCE = 40
PARTICIPANT_VIEWPORT = {"width": 1280, "height": 720}
REVIEWER_VIEWPORT = {"width": 1900, "height": 1200}  # the stage holds the participant's viewport at scale 1
SETTLE_MS = 700  # after an action, before a moment: transitions end, rrweb emits
FONTS = {"site": ("fonts/brand-serif.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"),
         "cdn": ("fonts/cdn-mono.ttf", "/usr/share/fonts/truetype/liberation/LiberationMono-Bold.ttf")}
HIDE_REPLAY_OVERLAYS = ".replayer-mouse, .replayer-mouse-tail { display: none !important; }"
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png",
         ".jpg": "image/jpeg", ".webp": "image/webp", ".ttf": "font/ttf", ".js": "text/javascript"}

# Steps: ("moment", name) | ("click", selector) | ("type", selector, text) | ("eval", script) | ("wait", ms)
SCENARIOS: dict[str, list[tuple]] = {
    "fonts": [("moment", "loaded"), ("click", "#more"), ("moment", "weights shown")],
    "css-in-js": [("moment", "loaded"), ("click", "#theme"), ("moment", "dark theme")],
    "constructed": [("moment", "loaded"), ("click", "#swap"), ("moment", "sheet added")],
    "shadow": [("moment", "loaded"), ("click", "#bump"), ("moment", "meter raised")],
    "iframe": [("moment", "loaded"), ("click", "#confirm"), ("moment", "confirmed in frame")],
    "canvas": [("moment", "loaded"), ("click", "#quarter"), ("moment", "redrawn")],
    "scroll": [("eval", "document.getElementById('inbox').scrollTop = 700"), ("moment", "inbox scrolled"),
               ("eval", "document.getElementById('strip').scrollLeft = 520; window.scrollTo(0, 480)"),
               ("moment", "page scrolled")],
    "images": [("moment", "loaded"), ("click", "#next"), ("moment", "next photo")],
    "spa-modal": [("moment", "loaded"), ("click", "#checkout"), ("wait", 1200), ("moment", "modal opened late")],
    "cross-origin-css": [("moment", "loaded"), ("click", "#expand"), ("moment", "sidebar wide")],
    "forms": [("type", "#name", "Ada Lovelace"), ("select", "#country", "Italy"), ("click", "input[value=exp]"),
              ("click", "#gift"), ("eval", "const r = document.getElementById('qty'); r.value = 7; "
                                            "r.dispatchEvent(new Event('input', {bubbles: true}))"),
              ("type", "#notes", "Leave it with the neighbour"), ("click", "header"), ("moment", "filled in"),
              ("click", "#news"), ("click", "header"), ("moment", "newsletter off")],
    "srcset": [("moment", "loaded"), ("eval", "window.scrollTo(0, 120)"), ("moment", "scrolled")],
    "dialog": [("moment", "loaded"), ("click", "#second summary"), ("click", "#open"), ("moment", "modal dialog")],
    "variables": [("moment", "loaded"), ("click", "#brand"), ("moment", "tokens changed")],
    "svg": [("moment", "loaded"), ("click", "#star"), ("moment", "starred")],
}
INIT_OPTIONS = {"forms": {"UNSAFE_recordInputs": True}, "canvas": {"recordCanvas": True}}


# --- the recorded site and its CDN ------------------------------------------------

def _photo(size: tuple[int, int], hue: int, label: str = "") -> Image.Image:
    """A deterministic picture: a gradient, circles and a band, different per hue."""
    width, height = size
    x, y = np.meshgrid(np.linspace(0, 1, width), np.linspace(0, 1, height))
    rgb = np.stack([(120 + 120 * np.sin(6 * x + hue / 40) * np.cos(3 * y)) % 256,
                    (80 + 160 * x * (1 - y) + hue) % 256,
                    (200 - 150 * y + hue * 2) % 256], axis=-1).astype(np.uint8)
    image = Image.fromarray(rgb, "RGB")
    draw = ImageDraw.Draw(image)
    for n in range(6):
        r = height // (4 + n)
        cx, cy = (width * (n + 1)) // 7, height // 2 + (n % 2) * height // 6
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(255, 255, 255), width=max(2, r // 10))
    draw.rectangle((0, height - height // 6, width, height), fill=((hue * 3) % 256, 40, 90))
    if label:
        draw.text((12, height - height // 7), label, fill=(255, 255, 255))
    return image


def _encoded(image: Image.Image, kind: str) -> bytes:
    out = io.BytesIO()
    image.save(out, {"jpg": "JPEG", "png": "PNG", "webp": "WEBP"}[kind], **({"quality": 88} if kind != "png" else {}))
    return out.getvalue()


def _stripes(size: tuple[int, int]) -> Image.Image:
    image = Image.new("RGB", size, (250, 204, 21))
    draw = ImageDraw.Draw(image)
    for x in range(-size[1], size[0], 28):
        draw.polygon([(x, size[1]), (x + 14, size[1]), (x + 14 + size[1], 0), (x + size[1], 0)], fill=(30, 41, 59))
    return image


def _tile() -> Image.Image:
    image = Image.new("RGB", (40, 40), (14, 116, 144))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 19, 19), fill=(165, 243, 252))
    draw.rectangle((20, 20, 39, 39), fill=(8, 51, 68))
    return image


def drawn_images() -> dict[str, dict[str, bytes]]:
    """``{"site"|"cdn": {path: bytes}}``: every picture the pages use, drawn here."""
    site = {
        "img/photo-1.jpg": _encoded(_photo((800, 500), 10, "photo 1"), "jpg"),
        "img/photo-1-small.jpg": _encoded(_photo((400, 250), 10, "photo 1 small"), "jpg"),
        "img/photo-1-large.jpg": _encoded(_photo((1600, 1000), 10, "photo 1 large"), "jpg"),
        "img/photo-3.jpg": _encoded(_photo((800, 500), 150, "photo 3"), "jpg"),
        "img/stripes.png": _encoded(_stripes((400, 120)), "png"),
        "img/card.png": _encoded(_photo((120, 76), 200), "png"),
    }
    cdn = {
        "img/photo-2.jpg": _encoded(_photo((800, 500), 90, "photo 2"), "jpg"),
        "img/hero.jpg": _encoded(_photo((1400, 400), 60, "hero"), "jpg"),
        "img/tile.png": _encoded(_tile(), "png"),
        "img/wide.jpg": _encoded(_photo((900, 420), 30, "wide jpg"), "jpg"),
        "img/wide.webp": _encoded(_photo((900, 420), 30, "wide webp"), "webp"),
        "img/wide@2x.webp": _encoded(_photo((1800, 840), 30, "wide webp 2x"), "webp"),
        "img/wide-xl.jpg": _encoded(_photo((1800, 840), 220, "wide xl"), "jpg"),
    }
    return {"site": site, "cdn": cdn}


def _type_of(path: str) -> str:
    return TYPES.get(Path(path).suffix, "application/octet-stream")


class StaticOrigin:
    """One origin on 127.0.0.1 serving ``files`` ({path: bytes}); ``cors`` adds
    ``Access-Control-Allow-Origin: *`` (a CDN's fonts load cross-origin)."""

    def __init__(self, *, cors: bool) -> None:
        self.files: dict[str, bytes] = {}
        self.cors = cors
        self.requests: list[str] = []
        self._httpd: Optional[ThreadingHTTPServer] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "StaticOrigin":
        origin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                path = self.path.split("?", 1)[0].split("#", 1)[0].lstrip("/")
                origin.requests.append(path)
                body = origin.files.get(path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", _type_of(path) if body is not None else "text/plain")
                self.send_header("Cache-Control", "no-store")
                if origin.cors:
                    self.send_header("Access-Control-Allow-Origin", "*")
                body = body if body is not None else b"not found"
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """The site is gone: every request to it is refused from now on."""
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None


@dataclass
class RecordedSite:
    """The site and its CDN, serving the pages with ``snippet(page)`` pasted in."""

    site: StaticOrigin = field(default_factory=lambda: StaticOrigin(cors=False))
    cdn: StaticOrigin = field(default_factory=lambda: StaticOrigin(cors=True))

    def start(self, snippet: Callable[[str], str]) -> "RecordedSite":
        self.site.start()
        self.cdn.start()
        images = drawn_images()
        self.cdn.files = {**_folder(PAGES / "cdn"), **images["cdn"], FONTS["cdn"][0]: Path(FONTS["cdn"][1]).read_bytes()}
        site = {**images["site"], FONTS["site"][0]: Path(FONTS["site"][1]).read_bytes()}
        for path, body in _folder(PAGES / "site").items():
            if path.endswith(".html"):
                text = body.decode().replace("{{CDN}}", self.cdn.url).replace("{{SNIPPET}}", snippet(path[:-5]))
                body = text.encode()
            site[path] = body
        self.site.files = site
        return self

    def url(self, page: str) -> str:
        return f"{self.site.url}/{page}.html"

    def stop(self) -> None:
        self.site.stop()
        self.cdn.stop()


def _folder(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()}


# --- recording ----------------------------------------------------------------------

@dataclass
class Moment:
    name: str
    ts: int  # the participant's clock (epoch ms), read just before the screenshot
    png: bytes


@dataclass
class Recording:
    page: str
    session_id: str
    moments: list[Moment]


def record(browser, site: RecordedSite, page_name: str) -> Recording:
    """Play the page's scenario in a fresh participant context; its session and moments."""
    context = browser.new_context(viewport=PARTICIPANT_VIEWPORT)
    page = context.new_page()
    page.goto(site.url(page_name))
    page.wait_for_function("window.Replaydesk && window.Replaydesk.__replaydesk === true && window.Replaydesk.isRecording()")
    page.wait_for_load_state("load")
    page.wait_for_timeout(900)  # web fonts and images in, the first snapshot sent
    moments = []
    for step in SCENARIOS[page_name]:
        kind, *args = step
        if kind == "moment":
            page.wait_for_timeout(SETTLE_MS)
            ts = page.evaluate("Date.now()")
            moments.append(Moment(args[0], ts, page.screenshot()))
            page.wait_for_timeout(150)
        elif kind == "click":
            page.click(args[0])
        elif kind == "type":
            page.fill(args[0], args[1])
        elif kind == "select":
            page.select_option(args[0], label=args[1])
        elif kind == "eval":
            page.evaluate(f"() => {{ {args[0]} }}")
        elif kind == "wait":
            page.wait_for_timeout(args[0])
    session_id = page.evaluate("JSON.parse(sessionStorage.getItem('rd_session')).id")
    page.wait_for_timeout(2500)  # the SDK flushes every 2 s
    page.close()  # and sends what is left as the page goes
    context.close()
    return Recording(page_name, session_id, moments)


def wait_until_stored(server_url: str, token: str, session_id: str, *, timeout_s: float = 30) -> dict:
    """The session's detail once its events stopped growing and its assets are cached."""
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + timeout_s
    last = None
    while True:
        answer = requests.get(f"{server_url}/api/v1/sessions/{session_id}", headers=headers, timeout=10)
        if answer.status_code == 200:
            detail = answer.json()
            count = detail["counts"]["events"]
            assets = requests.get(f"{server_url}/api/v1/sessions/{session_id}/assets", headers=headers, timeout=10).json()
            if count == last and not assets["pending"]:
                return detail
            last = count
        if time.monotonic() > deadline:
            raise TimeoutError(f"session {session_id} was not stored and cached in {timeout_s} s: {answer.status_code}, "
                               f"{last} events, assets pending")
        time.sleep(0.7)


# --- replaying ----------------------------------------------------------------------

def replay_frame_png(page, server_url: str, session_id: str, offset_ms: int, *, attempts: int = 3) -> bytes:
    """The player opened at ``offset_ms``: its replay frame, once fonts and images are in.
    The frame must be at scale 1; now and then (1 load in ~100 on this machine) the stage
    settles smaller, and the page is loaded again."""
    for attempt in range(attempts):
        page.goto(f"{server_url}/sessions/{session_id}?t={offset_ms}")
        page.wait_for_selector("html[data-first-frame]", state="attached", timeout=30_000)
        frame = page.locator("#stage iframe").first.element_handle().content_frame()
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            if frame.evaluate("() => document.fonts.status === 'loaded' && [...document.images].every((i) => i.complete)"):
                break
            page.wait_for_timeout(100)
        page.wait_for_timeout(500)  # background images, iframes' own loads
        page.add_style_tag(content=HIDE_REPLAY_OVERLAYS)
        deadline = time.monotonic() + 5  # the stage may still be settling into the page's layout
        while abs((box := page.locator("#stage iframe").first.bounding_box())["width"] - PARTICIPANT_VIEWPORT["width"]) > 1:
            if time.monotonic() > deadline:
                break
            page.wait_for_timeout(100)
        else:
            return page.screenshot(clip={"x": round(box["x"]), "y": round(box["y"]), **PARTICIPANT_VIEWPORT})
    raise RuntimeError(f"the replay stays scaled ({box['width']} px wide): give the reviewer a larger viewport")


# --- comparing ----------------------------------------------------------------------

def _grey(png: bytes, size: Optional[tuple[int, int]] = None) -> np.ndarray:
    image = Image.open(io.BytesIO(png)).convert("L")
    if size and image.size != size:
        image = image.resize(size)
    return np.asarray(image, dtype=np.int16)


def similarity(participant: bytes, replay: bytes) -> float:
    """Share of pixels whose grey levels differ by at most ``GREY_TOLERANCE`` (the replay
    resized to the participant's size if it is not already)."""
    expected = _grey(participant)
    seen = _grey(replay, (expected.shape[1], expected.shape[0]))
    return float(np.mean(np.abs(expected - seen) <= GREY_TOLERANCE))


def comparison_png(participant: bytes, replay: bytes) -> bytes:
    """Participant | replay | differing pixels in red, side by side, for a person to look at."""
    left = Image.open(io.BytesIO(participant)).convert("RGB")
    right = Image.open(io.BytesIO(replay)).convert("RGB").resize(left.size)
    differ = np.abs(_grey(participant) - _grey(replay, left.size)) > GREY_TOLERANCE
    marked = np.asarray(left.convert("L").convert("RGB")).copy() // 3 + 150
    marked[differ] = (220, 20, 20)
    sheet = Image.new("RGB", (left.width * 3 + 20, left.height), (255, 255, 255))
    sheet.paste(left, (0, 0))
    sheet.paste(right, (left.width + 10, 0))
    sheet.paste(Image.fromarray(marked.astype(np.uint8)), (2 * left.width + 20, 0))
    out = io.BytesIO()
    sheet.save(out, "PNG")
    return out.getvalue()


def offsets(recording: Recording, detail: dict) -> list[int]:
    """Each moment as ms into the session (the player's ``?t=``)."""
    return [moment.ts - detail["started_at"] for moment in recording.moments]


def dump(value) -> str:
    return json.dumps(value, indent=2, sort_keys=True)
