"""Do the frustration detectors generalise? Score them on a site they have never seen.

    .venv/bin/python bench/detectors_second_site.py [--keep DIR] [--only PERSONA ...]
    .venv/bin/python bench/detectors_second_site.py --from DIR

Serves ``bench/second_site/`` (Skylark, a small flight-booking site: full page loads for
search, results, flight, fees and help; a pushState booking app under ``/book/``) from a
thread, and drives Debian's Chromium through Playwright with scripted users. Every page
is recorded the way the dev corpus was (``shared/corpus/dev/README.md``): rrweb's
recorder (``@rrweb/record`` from ``sdk_js/node_modules``, bundled with esbuild into a
temporary folder at run time) injected at DOMContentLoaded with ``maskAllInputs: true``
and ``sampling: {mousemove: 50, scroll: 150, input: 'last'}``, plus the SDK's custom
events as rrweb type 5: ``$pageview {url, referrer, title}`` on load and on
pushState / replaceState / popstate, ``$error`` for window ``error`` and
``unhandledrejection``. Events reach Python through ``expose_function``, so they survive
full page loads.

Labels follow the corpus README. Click labels are *scripted*: page ``Date.now()`` right
before the first mouse-down and right after the last mouse-up (or key press).
Navigation labels are *derived* from the recorded ``$pageview`` timeline by the SPEC
definitions: ``quick_back`` / ``not_quick_back`` for every A -> B -> A, ``dead_end`` /
``not_dead_end`` for every visit holding a scripted rage, dead or error click, and
``not_error_click`` for every ``$error`` without a click in the second before it. Each
persona also states what it meant to produce; a difference, or a scripted label the
events contradict (a "dead" click followed by a mutation, ...), is listed under
``label_problems``.

Every session goes through ``analysis.analyze`` with the project setting a site would
make (``goal_url_patterns``: the ticket page) and is scored with the corpus README's fair
rule: a signal matches a label of its kind when its ``ts`` falls within
``[t_start_ms - 500, t_end_ms + 500]`` on the same URL (navigation kinds: the visit,
+-1000 ms); signals matching a ``not_`` label or no label are false positives. Prints one
JSON object: per kind precision / recall / tp / fp / fn, every miss and false positive
with what the detector saw, and the label problems.

``--keep DIR`` writes each recording with its labels (``travel-<nn>-<persona>.json.gz``,
the corpus file format) and a ``manifest.json``; ``--from DIR`` re-scores those files
without a browser.
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from fnmatch import fnmatchcase
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analysis import DetectorConfig, analyze, build_timeline, parse_events  # noqa: E402
from analysis.visits import page_key  # noqa: E402
from tests.corpus import CLICK_SLACK_MS, KINDS, NAVIGATION_KINDS, judge  # noqa: E402  (the scoring rule)

SITE_DIR = REPO / "bench" / "second_site"
SITE = "travel"
ESBUILD = REPO / "sdk_js" / "node_modules" / ".bin" / "esbuild"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1440, "height": 900}
DEFAULT_PORT = 8732
SEED = 20240917

GOAL_URL_PATTERNS = ["*/book/ticket*"]
"""What a project running Skylark would set (``project create --goal-url``): the ticket page."""
CONFIG = DetectorConfig.from_dict({"goal_url_patterns": GOAL_URL_PATTERNS})

CLICK_KINDS = {"rage_click", "dead_click", "error_click"}

# Definitions (SPEC "Frustration signals"), used to derive and check labels independently of analysis/.
RAGE_MIN, RAGE_GAP_MS, RAGE_RADIUS_PX, DELIBERATE_MS = 3, 1000, 30, 500
DEAD_WAIT_MS, ERROR_WINDOW_MS, QUICK_BACK_MS = 2500, 1000, 7000
AMBIGUOUS_DWELL_MS = (6000, 8000)  # as in the corpus: no quick-back dwell this close to the threshold

TEXT_FIELD_NOTE = "click into a text field, then typing; the Input event comes at change/blur (sampling.input='last')"

RECORDER_OPTIONS = {"maskAllInputs": True, "sampling": {"mousemove": 50, "scroll": 150, "input": "last"}}

# Runs in every document before the page's scripts. rrweb starts at DOMContentLoaded; the
# SDK's custom events go through record.addCustomEvent (queued until rrweb has started).
INIT_JS = """
(() => {
  if (window.top !== window || window.__rdStarted) return;
  window.__rdStarted = true;
  const record = __rdRrweb.record;
  const emit = (event) => { try { window.__rdEmit(JSON.stringify(event)); } catch (_) {} };
  let recording = false;
  const pending = [];
  function custom(tag, payload) {
    if (recording) { try { record.addCustomEvent(tag, payload); } catch (_) {} } else pending.push([tag, payload]);
  }
  const text = (value) => (value == null ? '' : String(value)).slice(0, 1000);
  window.addEventListener('error', (event) => custom('$error', {
    message: text(event.message || (event.error && event.error.message)), source: text(event.filename),
    lineno: event.lineno || 0, colno: event.colno || 0, stack: text(event.error && event.error.stack), kind: 'error',
  }));
  window.addEventListener('unhandledrejection', (event) => {
    const reason = event.reason;
    const message = reason && reason.name && reason.message !== undefined ? reason.name + ': ' + reason.message : text(reason);
    custom('$error', { message: text(message), source: '', lineno: 0, colno: 0,
                       stack: text(reason && reason.stack), kind: 'unhandledrejection' });
  });
  let lastUrl = null;
  function pageview() {
    const url = String(location.href);
    if (url === lastUrl) return;
    const payload = { url, referrer: lastUrl === null ? (document.referrer || '') : lastUrl, title: '' };
    lastUrl = url;
    queueMicrotask(() => { payload.title = document.title || ''; custom('$pageview', payload); });
  }
  for (const name of ['pushState', 'replaceState']) {
    const original = history[name];
    history[name] = function (...args) { const result = original.apply(this, args); pageview(); return result; };
  }
  window.addEventListener('popstate', () => pageview());
  document.addEventListener('DOMContentLoaded', () => {
    record(Object.assign({ emit }, OPTIONS));
    recording = true;
    pageview();
    for (const [tag, payload] of pending.splice(0)) custom(tag, payload);
  });
})();
"""

WORD_CENTER_JS = """([selector, word]) => {
  const root = document.querySelector(selector);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(word);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      const box = range.getBoundingClientRect();
      return [box.x + box.width / 2, box.y + box.height / 2];
    }
  }
  return null;
}"""


# --- the site ----------------------------------------------------------------------


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files; every ``/book/...`` URL serves the booking app's one page."""

    def do_GET(self) -> None:  # noqa: N802
        path, _, query = self.path.partition("?")
        if path == "/book" or path.startswith("/book/"):
            self.path = "/book.html" + (f"?{query}" if query else "")
        super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, *args: object) -> None:
        pass


def serve(port: int) -> ThreadingHTTPServer:
    httpd = ThreadingHTTPServer(("127.0.0.1", port), partial(SiteHandler, directory=str(SITE_DIR)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def bundle_recorder(folder: Path) -> str:
    """@rrweb/record as sdk_js pins it, bundled to an IIFE (global ``__rdRrweb``)."""
    out = folder / "rrweb-record.js"
    subprocess.run([str(ESBUILD), "--bundle", "--format=iife", "--global-name=__rdRrweb", "--target=es2019",
                    "--log-level=warning", f"--outfile={out}"],
                   input=b"export { record } from '@rrweb/record';", cwd=REPO / "sdk_js", check=True)
    return out.read_text()


# --- a scripted session --------------------------------------------------------------


class Session:
    """One persona in one fresh browser context; collects events and scripted labels."""

    def __init__(self, browser, base: str, init_js: str, persona: str, rng: random.Random) -> None:
        self.base, self.persona, self.rng = base, persona, rng
        self.events: list[dict] = []
        self.labels: list[dict] = []
        self.expected: Counter[str] = Counter()
        self.problems: list[str] = []
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.expose_function("__rdEmit", self._receive)
        self.context.add_init_script(init_js)
        self.page = self.context.new_page()
        self.mouse = (VIEWPORT["width"] / 2, VIEWPORT["height"] / 2)

    def _receive(self, payload: str) -> None:
        self.events.append(json.loads(payload))

    def expect(self, **counts: int) -> None:
        """What the persona means to produce, checked against the labels in the end."""
        self.expected.update(counts)

    # clocks and waiting

    def now(self) -> int:
        try:
            return int(self.page.evaluate("Date.now()"))
        except Exception:  # navigating: the page's clock is this machine's clock
            return int(time.time() * 1000)

    def wait(self, ms: int) -> None:
        """Idle, with the small mouse drift of a person reading (no clicks, no scrolling)."""
        end = time.monotonic() + ms / 1000
        while (left := end - time.monotonic()) > 0:
            if left > 0.5 and self.rng.random() < 0.6:
                x = min(max(self.mouse[0] + self.rng.uniform(-60, 60), 5), VIEWPORT["width"] - 5)
                y = min(max(self.mouse[1] + self.rng.uniform(-40, 40), 5), VIEWPORT["height"] - 5)
                self.page.mouse.move(x, y, steps=4)
                self.mouse = (x, y)
            self.page.wait_for_timeout(int(min(left, 0.4) * 1000))

    def visit(self, path: str) -> None:
        self.page.goto(self.base + path, wait_until="load")

    def back(self) -> None:
        self.page.go_back(wait_until="load")

    # pointer actions

    def _point(self, selector: str) -> tuple[float, float]:
        box = self.page.locator(selector).first.bounding_box()
        if box is None or box["y"] < 0 or box["y"] + box["height"] > VIEWPORT["height"]:
            raise RuntimeError(f"{self.persona}: {selector} is not on screen ({box})")
        return (box["x"] + box["width"] / 2 + self.rng.uniform(-box["width"] / 6, box["width"] / 6),
                box["y"] + box["height"] / 2 + self.rng.uniform(-box["height"] / 6, box["height"] / 6))

    def _label(self, kinds: str | tuple[str, ...] | None, t0: int, t1: int, url: str, target: str, count: int,
               notes: str, x: float, y: float) -> None:
        for kind in (kinds,) if isinstance(kinds, str) else kinds or ():
            self.labels.append({"kind": kind, "t_start_ms": t0, "t_end_ms": t1, "url": url, "target": target,
                                "count": count, "notes": notes, "source": "scripted", "x": round(x), "y": round(y)})

    def click(self, selector: str, kind: str | tuple[str, ...] | None = None, notes: str = "", times: int = 1,
              gap: tuple[int, int] = (150, 250), nav: bool = False) -> None:
        """Mouse to the element, then ``times`` clicks; label them as one action of each ``kind``."""
        x, y = self._point(selector)
        self.page.mouse.move(x, y, steps=self.rng.randint(6, 12))
        url = self.page.url
        t0 = self.now()
        for i in range(times):
            if i:
                self.page.wait_for_timeout(self.rng.randint(*gap))
                jx, jy = x + self.rng.uniform(-4, 4), y + self.rng.uniform(-4, 4)
                self.page.mouse.move(jx, jy)
            self.page.mouse.down()
            self.page.mouse.up()
        t1 = int(time.time() * 1000) if nav else self.now()
        self.mouse = (x, y)
        self._label(kind, t0, t1, url, selector, times, notes, x, y)
        if nav:
            self.page.wait_for_load_state("load")

    def type_into(self, selector: str, value: str) -> None:
        """Click into a text field (never a dead click) and type."""
        self.click(selector, "not_dead_click", TEXT_FIELD_NOTE)
        self.page.wait_for_timeout(self.rng.randint(300, 900))
        self.page.keyboard.type(value, delay=self.rng.randint(80, 150))
        self.page.wait_for_timeout(self.rng.randint(300, 700))

    def choose(self, selector: str, value: str) -> None:
        """Click a select (a text-entry target: never dead), then pick an option."""
        self.click(selector, "not_dead_click", "click on a select; the choice is recorded as an Input on change")
        self.page.wait_for_timeout(self.rng.randint(500, 800))
        self.page.select_option(selector, value)
        self.page.keyboard.press("Escape")

    def enter(self, submit_selector: str, notes: str, nav: bool = False) -> None:
        """Press Enter in the focused field: the browser clicks the submit button (rrweb: at (0, 0))."""
        url = self.page.url
        t0 = self.now()
        self.page.keyboard.press("Enter")
        t1 = int(time.time() * 1000) if nav else self.now()
        self.labels.append({"kind": "not_dead_click", "t_start_ms": t0, "t_end_ms": t1, "url": url,
                            "target": submit_selector, "count": 1, "notes": notes, "source": "scripted",
                            "x": 0, "y": 0})
        if nav:
            self.page.wait_for_load_state("load")

    def double_click_word(self, selector: str, word: str) -> None:
        """Double-click a word to select it: two clicks and a dblclick, not rage."""
        x, y = self.page.evaluate(WORD_CENTER_JS, [selector, word])
        self.page.mouse.move(x, y, steps=8)
        url = self.page.url
        t0 = self.now()
        self.page.mouse.dblclick(x, y)
        t1 = self.now()
        selected = self.page.evaluate("String(getSelection())").strip()
        if selected != word:
            self.problems.append(f"{self.persona}: double-click selected {selected!r}, not {word!r}")
        self.mouse = (x, y)
        self._label("not_rage_click", t0, t1, url, selector, 2, f"double-click selects the word {word!r}", x, y)

    def close(self) -> None:
        self.page.wait_for_timeout(300)  # the last emits reach Python
        self.context.close()


# --- personas ------------------------------------------------------------------------

STEPPER_NOTE = "[onclick] passenger stepper: every click changes the count"


def happy_booker(s: Session) -> None:
    s.visit("/")
    s.wait(1500)
    s.choose("#cabin", "premium")
    s.wait(700)
    s.click("label.check", "not_dead_click", "label wrapping the Flexible dates checkbox: the checkbox changes")
    s.wait(700)
    s.type_into("#from", "Lisbon")
    s.type_into("#to", "Oslo")
    s.enter("#search-btn", "Enter in the search form: a keyboard click on Search at (0, 0), results load", nav=True)
    s.wait(2500)
    s.click("#more", "not_dead_click", "div[role=button] Show more flights appends a flight")
    s.wait(1500)
    s.click('a[href="/flight.html?id=SK204"]', nav=True)
    s.wait(2500)
    s.click("#select", nav=True)
    s.wait(1500)
    s.type_into("#fullname", "Ana Ribeiro")
    s.type_into("#email", "ana@example.com")
    s.click("#pax-plus", "not_dead_click", STEPPER_NOTE)
    s.wait(900)
    s.click("#to-seats")
    s.wait(1500)
    s.click('[data-seat="13A"]', "not_dead_click", "a free seat: it turns blue")
    s.wait(1000)
    s.click("#to-review")
    s.wait(1500)
    s.click("#terms-label", "not_dead_click", "label wrapping the fare-rules checkbox")
    s.wait(800)
    s.click("#pay")
    s.wait(2500)
    s.click("#checkin", "dead_click", "Check in now: fails 1.5 s later (unhandled rejection), nothing shows")
    s.wait(4000)
    s.expect(not_dead_end=1, not_error_click=1)


def deliberate_clicker(s: Session) -> None:
    s.visit("/")
    s.wait(1500)
    s.click(".car-next", "not_rage_click", "carousel: every click moves the deals track", times=3, gap=(280, 420))
    s.wait(1500)
    s.click('a[href="/flight.html?id=SK415"]', nav=True)
    s.wait(2000)
    s.click("#select", nav=True)
    s.wait(1500)
    s.type_into("#fullname", "Jonas Berg")
    s.click("#pax-plus", "not_rage_click", STEPPER_NOTE, times=3, gap=(250, 380))
    s.wait(1000)
    s.click("#to-seats")
    s.wait(1500)
    s.click('[data-seat="13C"]', "not_rage_click", "seat map: every click selects or unselects the seat",
            times=4, gap=(250, 400))
    s.wait(1200)
    s.click('[data-seat="12B"]', "dead_click", "a taken seat: [role=button] that does nothing")
    s.wait(3200)
    s.click('[data-seat="13D"]', "not_dead_click", "a free seat: it turns blue")
    s.wait(1000)
    s.click("#to-review")
    s.wait(1500)
    s.click("#terms-label", "not_dead_click", "label wrapping the fare-rules checkbox")
    s.wait(700)
    s.click("#pay")
    s.wait(2500)
    s.expect(not_dead_end=1)


def hold_rager_continues(s: Session) -> None:
    s.visit("/flight.html?id=SK204")
    s.wait(2000)
    s.click("#hold", "rage_click", "Hold this fare answers after 4 s with no feedback before", times=5)
    s.wait(5000)
    s.click("#select", nav=True)
    s.wait(1500)
    s.type_into("#fullname", "Mia Kovac")
    s.wait(2000)
    s.expect(not_dead_end=1)


def hold_patient_goes_back(s: Session) -> None:
    s.visit("/")
    s.wait(1200)
    s.click("label.check", "not_rage_click", "label-wrapped checkbox toggled on and off: two rrweb clicks per press,"
            " every press changes the box", times=2, gap=(200, 300))
    s.wait(1000)
    s.type_into("#from", "Porto")
    s.type_into("#to", "Vienna")
    s.click("#search-btn", nav=True)
    s.wait(2500)
    s.click('a[href="/flight.html?id=SK101"]', nav=True)
    s.wait(1800)
    s.click("#hold", "dead_click", "single click on Hold this fare; the page answers only after 4 s (> 2.5 s)")
    s.wait(7500)
    s.back()
    s.wait(2500)
    s.expect(dead_end=1, not_quick_back=1)


def alerts_dead_then_forward(s: Session) -> None:
    s.visit("/")
    s.wait(1000)
    s.type_into("#from", "Riga")
    s.type_into("#to", "Seville")
    s.enter("#search-btn", "Enter in the search form: a keyboard click on Search at (0, 0), results load", nav=True)
    s.wait(2500)
    s.click("#price-alert svg", "dead_click", "the bell icon (svg) of Get price alerts: div[role=button] without a handler")
    s.wait(3200)
    s.click("#follow", "dead_click", "Follow this route: [onclick] that only sets a variable")
    s.wait(3200)
    s.click('a[href="/flight.html?id=SK310"]', nav=True)
    s.wait(3000)
    s.expect(not_dead_end=1)


def compare_error_leaves(s: Session) -> None:
    s.visit("/results.html?from=Riga&to=Split")
    s.wait(2500)
    # The handler throws before changing anything: an error click, and by the definition a dead click too.
    s.click(".compare", ("error_click", "dead_click"),
            "Compare selected: its onclick calls an undefined function (ReferenceError); nothing else happens")
    s.wait(4000)
    s.expect(dead_end=1)


def quick_backer(s: Session) -> None:
    s.visit("/results.html?from=Porto&to=Oslo")
    s.wait(2500)
    s.click('a[href="/flight.html?id=SK101"]', nav=True)
    s.wait(1500)
    s.back()
    s.wait(2500)
    s.click('a[href="/flight.html?id=SK310"]', nav=True)
    s.wait(2000)
    s.double_click_word("#about", "Airbus")
    s.wait(8000)
    s.back()
    s.wait(2500)
    s.expect(quick_back=1, not_quick_back=1)


def spa_quick_back(s: Session) -> None:
    s.visit("/book/passengers?flight=SK204")
    s.wait(1500)
    s.type_into("#fullname", "Lea Novak")
    s.type_into("#email", "lea@example.com")
    s.click("#to-seats")
    s.wait(1500)
    s.back()  # popstate
    s.wait(1000)
    s.type_into("#requests", "Window seat, please")
    s.wait(6500)
    s.click("#to-seats")
    s.wait(2000)
    s.click("#back-pax", "not_dead_click", "in-app back button: pushState to the passengers view")
    s.wait(9500)
    s.expect(quick_back=2, not_quick_back=1)


def fees_dead_end_back(s: Session) -> None:
    s.visit("/")
    s.wait(2000)
    s.click("#nav-fees", nav=True)
    s.wait(2000)
    s.click("#download-fees", "dead_click", "Download fee table: a button without a handler")
    s.wait(7000)
    s.back()
    s.wait(2500)
    s.expect(dead_end=1, not_quick_back=1)


def fees_rage_session_end(s: Session) -> None:
    s.visit("/fees.html")
    s.wait(2500)
    s.click("#download-fees", "rage_click", "Download fee table hammered; it never answers", times=4)
    s.wait(4500)
    s.expect(dead_end=1)


def help_reader(s: Session) -> None:
    s.visit("/help.html")
    s.wait(3000)
    s.click("#faq-bags summary", "not_dead_click", "summary opens its details")
    s.wait(1500)
    s.click("#faq-pets summary", "not_rage_click", "summary clicked three times: open, closed, open",
            times=3, gap=(300, 420))
    s.wait(1500)
    s.click("#jump-refunds", "not_dead_click", "in-page anchor: the page scrolls, only the fragment changes")
    s.wait(1500)
    s.double_click_word("#refund-text", "original")
    s.wait(3000)
    s.expect(not_error_click=1)


def promo_enter_and_calendar_error(s: Session) -> None:
    s.visit("/book/review?flight=SK204")
    s.wait(2000)
    s.type_into("#promo-code", "SUMMER")
    s.enter("#promo button", "Enter in the promo form: a keyboard click on Apply at (0, 0), a message appears")
    s.wait(1500)
    s.click("#pay", "not_dead_click", "Pay before accepting the rules: a message appears")
    s.wait(1500)
    s.click("#terms-label", "not_dead_click", "label wrapping the fare-rules checkbox")
    s.wait(800)
    s.click("#pay")
    s.wait(2000)
    s.click("#add-cal", ("error_click", "dead_click"), "Add to calendar throws a TypeError; nothing else happens")
    s.wait(3500)
    s.expect(not_dead_end=1)


def taken_seat_rage_back(s: Session) -> None:
    s.visit("/book/passengers?flight=SK101")
    s.wait(1200)
    s.type_into("#fullname", "Omar Haddad")
    s.click("#to-seats")
    s.wait(1500)
    s.click('[data-seat="12B"]', "rage_click", "a taken seat hammered: [role=button] that never reacts", times=4)
    s.wait(2000)
    s.back()  # popstate, less than 6 s on the seats view
    s.wait(3000)
    s.expect(dead_end=1, quick_back=1)


def trips_tab_hopper(s: Session) -> None:
    s.visit("/")
    s.wait(1500)
    s.click("#nav-trips", nav=True)
    s.wait(2000)
    s.click("#tab-past", "not_dead_click", "[role=tab] switches the hash route to #/past: same page, new view")
    s.wait(1500)
    s.click("#tab-upcoming", "not_dead_click", "[role=tab] switches the hash route back to #/upcoming")
    s.wait(1500)
    s.click("#tab-past", "not_dead_click", "[role=tab] switches the hash route to #/past again")
    s.wait(1500)
    s.back()  # to #/upcoming: the fragment changes, the page does not (no quick back)
    s.wait(2000)
    s.click("#manage", nav=True)
    s.wait(2500)


PERSONAS: list[Callable[[Session], None]] = [
    happy_booker, deliberate_clicker, hold_rager_continues, hold_patient_goes_back, alerts_dead_then_forward,
    compare_error_leaves, quick_backer, spa_quick_back, fees_dead_end_back, fees_rage_session_end, help_reader,
    promo_enter_and_calendar_error, taken_seat_rage_back, trips_tab_hopper,
]

# Expected labels every persona produces besides what it states: one not_error_click per
# results-page load (the fare ticker rejects 1.2 s after load).
RESULTS_PAGE = "/results.html"


# --- reading the recording by the definitions (independent of analysis/) ---------------


def raw_clicks(events: list[dict]) -> list[dict]:
    return [e for e in events if e.get("type") == 3 and e["data"].get("source") == 2 and e["data"].get("type") == 2]


def custom(events: list[dict], tag: str) -> list[dict]:
    return [e for e in events if e.get("type") == 5 and e["data"].get("tag") == tag]


def effect_times(events: list[dict]) -> list[int]:
    """Anything SPEC counts as the page reacting: mutation, scroll, input, selection, navigation."""
    times = []
    for e in events:
        if e.get("type") == 3 and e["data"].get("source") in (0, 3, 5, 14):
            times.append(e["timestamp"])
        elif e.get("type") == 4 or (e.get("type") == 5 and e["data"].get("tag") == "$pageview"):
            times.append(e["timestamp"])
    return times


def pageview_visits(events: list[dict], end_ts: int) -> list[dict]:
    """Visits by ``$pageview`` (URL without fragment), as the corpus labels them."""
    visits: list[dict] = []
    for e in custom(events, "$pageview"):
        url = page_key(e["data"]["payload"]["url"])
        if visits and visits[-1]["url"] == url:
            continue
        if visits:
            visits[-1]["left"] = e["timestamp"]
        visits.append({"url": url, "entered": e["timestamp"], "left": end_ts})
    return visits


def is_goal(url: str) -> bool:
    parts = urlsplit(url.lower())
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return any(fnmatchcase(url.lower(), p) or fnmatchcase(path, p) for p in GOAL_URL_PATTERNS)


def check_and_evidence(events: list[dict], labels: list[dict], persona: str) -> list[str]:
    """Attach evidence to scripted click labels; list every label the events contradict."""
    problems = []
    clicks = raw_clicks(events)
    effects = effect_times(events)
    errors = [e["timestamp"] for e in custom(events, "$error")]
    for label in (lb for lb in labels if lb["source"] == "scripted"):
        inside = [c for c in clicks if label["t_start_ms"] <= c["timestamp"] <= label["t_end_ms"]]
        where = f"{persona} {label['kind']} {label['target']} at {label['url']}"
        if not inside:
            problems.append(f"{where}: no rrweb click inside the label")
            continue
        last = inside[-1]["timestamp"]
        first_effect = next((t - last for t in effects if t >= last), None)
        error_after = next((t - c["timestamp"] for c in inside for t in errors
                            if 0 <= t - c["timestamp"] <= ERROR_WINDOW_MS), None)
        label["evidence"] = {"click_ts": [c["timestamp"] for c in inside],
                             "click_xy": [[c["data"].get("x"), c["data"].get("y")] for c in inside],
                             "first_effect_after_ms": first_effect, "error_after_ms": error_after}
        kind = label["kind"]
        if kind == "dead_click":
            if first_effect is not None and first_effect <= DEAD_WAIT_MS:
                problems.append(f"{where}: something happened {first_effect} ms after the click")
            if events[-1]["timestamp"] - last < DEAD_WAIT_MS:
                problems.append(f"{where}: the recording ends before the wait is over")
        elif kind == "error_click" and error_after is None:
            problems.append(f"{where}: no $error within {ERROR_WINDOW_MS} ms")
        elif kind == "error_click" and (first_effect is None or first_effect > DEAD_WAIT_MS) and not any(
                other["kind"] in ("dead_click", "rage_click") and other["t_start_ms"] == label["t_start_ms"]
                for other in labels):
            problems.append(f"{where}: nothing but the error happens; on an interactive target that is a dead click too")
        elif kind == "rage_click":
            positioned = [c for c in inside if (c["data"].get("x"), c["data"].get("y")) != (0, 0)]
            x0, y0 = positioned[0]["data"]["x"], positioned[0]["data"]["y"]
            ok = len(positioned) >= RAGE_MIN and all(
                b["timestamp"] - a["timestamp"] <= RAGE_GAP_MS for a, b in zip(positioned, positioned[1:])
            ) and all(math.hypot(c["data"]["x"] - x0, c["data"]["y"] - y0) <= RAGE_RADIUS_PX for c in positioned)
            if not ok:
                problems.append(f"{where}: the clicks are not a rage sequence by the definition")
    return problems


def derive_labels(events: list[dict], labels: list[dict]) -> list[dict]:
    """Navigation and no-click-error labels from the recorded timeline, by the definitions."""
    end_ts = events[-1]["timestamp"]
    visits = pageview_visits(events, end_ts)
    derived = []
    for before, visit, after in zip(visits, visits[1:], visits[2:]):
        if after["url"] == before["url"]:
            dwell = after["entered"] - visit["entered"]
            kind = "quick_back" if dwell <= QUICK_BACK_MS else "not_quick_back"
            derived.append({"kind": kind, "t_start_ms": visit["entered"], "t_end_ms": after["entered"],
                            "url": visit["url"], "from_url": before["url"], "target": None, "count": 1,
                            "dwell_ms": dwell, "source": "derived",
                            "notes": f"return to the previous page after {dwell} ms"})
    frustration = [lb for lb in labels if lb["kind"] in CLICK_KINDS]
    for i, visit in enumerate(visits):
        kinds = sorted({lb["kind"] for lb in frustration
                        if visit["entered"] <= lb["t_start_ms"] < visit["left"] or
                        (i == len(visits) - 1 and lb["t_start_ms"] >= visit["entered"])})
        if not kinds:
            continue
        count = sum(1 for lb in frustration if visit["entered"] <= lb["t_start_ms"] < visit["left"])
        if i == len(visits) - 1:
            ended_by = "session_end"
        elif visits[i + 1]["url"] in {v["url"] for v in visits[:i]}:
            ended_by = "return_to_earlier_url"
        else:
            ended_by = "forward_navigation"
        goal = is_goal(visit["url"])
        kind = "dead_end" if ended_by != "forward_navigation" and not goal else "not_dead_end"
        why = "goal page" if goal else ended_by.replace("_", " ")
        derived.append({"kind": kind, "t_start_ms": visit["entered"], "t_end_ms": visit["left"], "url": visit["url"],
                        "target": None, "count": count, "signals": kinds, "ended_by": ended_by, "goal": goal,
                        "source": "derived", "notes": f"{', '.join(kinds)} on this page, then {why}"})
    clicks = [c["timestamp"] for c in raw_clicks(events)]
    for error in custom(events, "$error"):
        ts = error["timestamp"]
        if not any(ts - ERROR_WINDOW_MS <= c <= ts for c in clicks):
            derived.append({"kind": "not_error_click", "t_start_ms": ts - ERROR_WINDOW_MS, "t_end_ms": ts,
                            "url": url_at(visits, ts), "target": None, "count": 0, "source": "derived",
                            "notes": "error without a click in the preceding 1000 ms: "
                                     + str(error["data"]["payload"].get("message"))})
    return derived


def url_at(visits: list[dict], ts: int) -> str:
    current = visits[0]["url"] if visits else ""
    for visit in visits:
        if visit["entered"] <= ts:
            current = visit["url"]
    return current


# --- recording -----------------------------------------------------------------------


def record_all(port: int, only: list[str]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    httpd = serve(port)
    base = f"http://127.0.0.1:{port}"
    recordings = []
    with tempfile.TemporaryDirectory(prefix="rd-second-site-") as tmp, sync_playwright() as pw:
        bundle = bundle_recorder(Path(tmp))
        init_js = bundle + "\n" + INIT_JS.replace("OPTIONS", json.dumps(RECORDER_OPTIONS))
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        chromium_version = browser.version
        for number, persona in enumerate(PERSONAS, start=1):
            if only and persona.__name__ not in only:
                continue
            seed = SEED + number
            session = Session(browser, base, init_js, persona.__name__, random.Random(seed))
            persona(session)
            session.close()
            user_agent = session.page.evaluate("navigator.userAgent") if not session.page.is_closed() else ""
            recordings.append(finish(session, number, seed, base, chromium_version, user_agent))
            print(f"recorded {recordings[-1]['meta']['name']}: {len(session.events)} events, "
                  f"{recordings[-1]['meta']['duration_ms'] / 1000:.1f} s", file=sys.stderr)
        browser.close()
    httpd.shutdown()
    return recordings


def finish(session: Session, number: int, seed: int, base: str, chromium: str, user_agent: str) -> dict:
    events = session.events
    problems = list(session.problems)
    if any(b["timestamp"] < a["timestamp"] for a, b in zip(events, events[1:])):
        problems.append(f"{session.persona}: timestamps decrease in emit order; sorted stably")
        events.sort(key=lambda e: e["timestamp"])
    labels = sorted(session.labels, key=lambda lb: lb["t_start_ms"])
    problems += check_and_evidence(events, labels, session.persona)
    labels = sorted(labels + derive_labels(events, labels), key=lambda lb: (lb["t_start_ms"], lb["kind"]))
    counts = Counter(lb["kind"] for lb in labels)
    expected = Counter(session.expected)
    for kind in CLICK_KINDS:
        expected[kind] = sum(1 for lb in session.labels if lb["kind"] == kind)
    results_loads = sum(1 for e in events if e.get("type") == 4 and RESULTS_PAGE in e["data"].get("href", ""))
    expected["not_error_click"] += results_loads
    for kind in sorted(set(expected) | {k for k in counts if k in NAVIGATION_KINDS or k.removeprefix("not_") in
                                        NAVIGATION_KINDS or k == "not_error_click"}):
        if counts[kind] != expected[kind]:
            problems.append(f"{session.persona}: {counts[kind]} {kind} labels, the script meant {expected[kind]}")
    for lb in labels:
        if lb["kind"].removeprefix("not_") == "quick_back" and AMBIGUOUS_DWELL_MS[0] <= lb["dwell_ms"] <= AMBIGUOUS_DWELL_MS[1]:
            problems.append(f"{session.persona}: quick-back dwell {lb['dwell_ms']} ms is too close to 7 s")
    end_ts = events[-1]["timestamp"] if events else 0
    pages = []
    metas = [e["timestamp"] for e in events if e.get("type") == 4]
    for visit in pageview_visits(events, end_ts):
        title = next((e["data"]["payload"].get("title") for e in custom(events, "$pageview")
                      if e["timestamp"] == visit["entered"]), "")
        nav = "load" if any(0 <= visit["entered"] - t <= 2000 for t in metas) else "spa"
        pages.append({"url": visit["url"], "title": title, "entered_ms": visit["entered"],
                      "left_ms": visit["left"], "nav": nav})
    name = f"{SITE}-{number:02d}-{session.persona}"
    return {
        "session_id": str(uuid.UUID(int=random.Random(seed).getrandbits(128), version=4)),
        "site": SITE,
        "persona": session.persona,
        "events": events,
        "labels": labels,
        "meta": {
            "name": name, "corpus": "second_site", "site": SITE, "persona": session.persona, "seed": seed,
            "started_at_ms": events[0]["timestamp"] if events else 0, "ended_at_ms": end_ts,
            "duration_ms": end_ts - (events[0]["timestamp"] if events else 0), "n_events": len(events),
            "n_documents": len(metas), "viewport": {"w": VIEWPORT["width"], "h": VIEWPORT["height"]},
            "user_agent": user_agent, "base_url": base, "pages": pages, "goal_url_patterns": GOAL_URL_PATTERNS,
            "label_counts": dict(sorted(counts.items())),
            "recorder": {"rrweb": "@rrweb/record (sdk_js/node_modules)", "chromium": chromium,
                         "options": RECORDER_OPTIONS},
            "problems": problems,
        },
    }


def save(recordings: list[dict], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for recording in recordings:
        meta = recording["meta"]
        data = gzip.compress(json.dumps(recording, separators=(",", ":")).encode(), mtime=0)
        (folder / f"{meta['name']}.json.gz").write_bytes(data)
        rows.append({"file": f"{meta['name']}.json.gz", "session_id": recording["session_id"], "site": SITE,
                     "persona": recording["persona"], "duration_ms": meta["duration_ms"],
                     "n_events": meta["n_events"], "pages": len(meta["pages"]), "gz_bytes": len(data),
                     "labels": meta["label_counts"]})
    (folder / "manifest.json").write_text(json.dumps({"sessions": rows}, indent=1) + "\n")


def load(folder: Path) -> list[dict]:
    paths = sorted(folder.glob("*.json.gz"))
    if not paths:
        raise SystemExit(f"no recordings (*.json.gz) in {folder}")
    return [json.loads(gzip.decompress(path.read_bytes())) for path in paths]


# --- scoring -------------------------------------------------------------------------


def explain_click_label(timeline, label: dict) -> str:
    """What the detector's timeline says about the clicks of a missed click label."""
    start, end = label["t_start_ms"] - CLICK_SLACK_MS, label["t_end_ms"] + CLICK_SLACK_MS
    clicks = [c for c in timeline.clicks if start <= c.ts <= end]
    if not clicks:
        return "no click in the timeline inside the label"
    click = clicks[-1]
    target = click.target
    reaction = timeline.reactions.next_after(click.index)
    visible = timeline.reactions.next_after(click.index, visible_only=True)
    return (f"{len(clicks)} click(s); target {target.selector} <{target.tag}> interactive={target.is_interactive} "
            f"text_entry={target.is_text_entry}; first reaction "
            + (f"{reaction.kind} +{reaction.ts - click.ts} ms" if reaction else "none")
            + ("; first visible " + f"{visible.kind} +{visible.ts - click.ts} ms" if visible else "; no visible reaction"))


def score(recordings: list[dict]) -> dict:
    tally = {kind: {"tp": 0, "fp": 0, "fn": 0, "labels": 0} for kind in KINDS}
    misses, false_positives = [], []
    for recording in recordings:
        name, labels, events = recording["meta"]["name"], recording["labels"], recording["events"]
        judgement = judge(analyze(events, CONFIG).signals, labels)
        for signal in judgement.true_positives:
            tally[signal.kind]["tp"] += 1
        for signal, look_alike in judgement.false_positives:
            tally[signal.kind]["fp"] += 1
            why = f"on a {look_alike['kind']} label: {look_alike['notes']}" if look_alike else "no label of this kind here"
            false_positives.append({"session": name, "kind": signal.kind, "ts": signal.ts, "url": signal.url,
                                    "target": signal.target.selector, "count": signal.count,
                                    "details": signal.details, "why": why})
        for kind, count in judgement.labels.items():
            tally[kind]["labels"] += count
        timeline = None
        for label in judgement.missed:
            tally[label["kind"]]["fn"] += 1
            why = label.get("notes", "")
            if label["kind"] in CLICK_KINDS:
                timeline = timeline or build_timeline(parse_events(events))
                why += " | detector saw: " + explain_click_label(timeline, label)
            misses.append({"session": name, "kind": label["kind"], "ts": label["t_start_ms"], "url": label["url"],
                           "target": label.get("target"), "why": why})
    kinds = {}
    for kind, t in tally.items():
        found = t["tp"] + t["fp"]
        kinds[kind] = {"precision": round(t["tp"] / found, 3) if found else 1.0,
                       "recall": round((t["labels"] - t["fn"]) / t["labels"], 3) if t["labels"] else 1.0, **t}
    problems = [p for recording in recordings for p in recording["meta"].get("problems", [])]
    minutes = sum(r["meta"]["duration_ms"] for r in recordings) / 60000
    look_alikes = Counter(lb["kind"] for r in recordings for lb in r["labels"] if lb["kind"].startswith("not_"))
    return {"site": SITE, "sessions": len(recordings), "minutes_recorded": round(minutes, 2),
            "config": {"goal_url_patterns": GOAL_URL_PATTERNS}, "kinds": kinds,
            "look_alike_labels": dict(sorted(look_alikes.items())),
            "misses": misses, "false_positives": false_positives, "label_problems": problems}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="write the recordings and labels here (.json.gz)")
    parser.add_argument("--from", dest="source", type=Path, help="re-score recordings saved with --keep")
    parser.add_argument("--only", nargs="*", default=[], help="record only these personas")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args()
    recordings = load(args.source) if args.source else record_all(args.port, args.only)
    if args.keep:
        save(recordings, args.keep)
    print(json.dumps(score(recordings), indent=1))


if __name__ == "__main__":
    main()
