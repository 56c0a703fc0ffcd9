"""SDK overhead benchmark: the main-thread cost the SDK adds to a page in Chromium, for
a page that mutates 10,000 nodes and for a page that fetches, logs and renders (the
console and network capture), plus the bundle's size. Prints JSON.

    .venv/bin/python bench/sdk_overhead.py [--runs 7]      (after `make build`)

Each run loads the same page four times, each in a fresh browser context, in a
rotating order: without a recorder; with rrweb's recorder alone (the SDK's version and
privacy options, events counted and dropped: what any rrweb-based SDK pays); with the
copy-paste snippet and `captureConsole: false, captureNetwork: false` (rrweb, custom
events, batching, gzip, delivery); and with the snippet as pasted (the defaults:
console warn/error lines and fetch, XHR and resource timings recorded too). The page
starts with 2,000 list items, then runs two workloads of 10,000 node mutations each
(40 % new nodes, 30 % text changes, 20 % attribute changes, 10 % removals):

- *burst*: all 10,000 in one task. `script_ms` is performance.now() around the work and
  the microtasks after it, so rrweb's MutationObserver callback is inside it.
- *frames*: 100 animation frames of 100 mutations, like an app that keeps updating;
  `script_ms` sums each frame's work and the microtasks after it.

and then the engineer's workload:

- *fetch_console*: 100 fetches one after another (JSON with a secret query value), each
  answer rendered as a list item, with a console.log (not recorded by default), a
  console.warn of an object every other answer and a console.error of an Error every
  tenth (60 recorded lines, 100 recorded requests, under the per-minute caps).
  `script_ms` sums the page's synchronous work (the fetch() call, rendering, logging);
  the fetch wrapper's promise handlers and the resource timing observer fall outside
  it and inside `main_thread_ms`.

The list is `display: none`: rrweb records hidden nodes exactly like visible ones, but
the page pays nothing to lay out and paint 6,000 items every frame (on a software
rasteriser that cost is seconds, and so noisy that it hides the recorder's share). The
baseline is script only, which makes the ratios larger (conservative), not smaller.

For both workloads, `main_thread_ms` is the growth of CDP `Performance.getMetrics`
TaskDuration (all main-thread work of the page) from just before the workload until
2.5 s after it, so the SDK's batch serialisation, gzip and request are counted too;
`blocking_ms` is the total blocking time of the long tasks (> 50 ms) in that window.
The SDK arm waits for its first batch (the full snapshot) to leave before measuring.

The SDK posts to a sink in this script's own HTTP server that answers like the server
(200, `{"ok": true, ...}`): delivery is measured on the page's side only. The SDK's
endpoint is the same server under another origin (localhost instead of 127.0.0.1), so
the page's own requests are not the SDK's and are recorded. Ratios are medians over
median(without SDK) (and over rrweb alone, for the defaults), all measured in the same
run.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from server.snippet import render_snippet  # noqa: E402
from server.static import SDK_DIST  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BENCH_KEY = "rdk_bench"
NODES = 10_000
FRAMES = 100
SETTLE_MS = 2500  # the SDK flushes 2 s after an event: its delivery falls inside the window
REQUESTS = 100
ARMS = ("without", "rrweb", "sdk_off", "sdk")
# The snippet's init() edited as a product engineer would, for the arm without console and network capture.
CAPTURE_OFF = {"captureConsole": False, "captureNetwork": False}

# rrweb's recorder alone, with the options the SDK gives it (src/privacy.js, src/config.js).
RRWEB_ONLY = """<script src="/rrweb-record.js"></script>
<script>
  window.rrwebEvents = {};  // counts by type: rrweb's own work, without keeping or sending anything
  rrwebRecord({
    emit: (event) => { window.rrwebEvents[event.type] = (window.rrwebEvents[event.type] || 0) + 1; },
    recordAfter: 'DOMContentLoaded',
    maskAllInputs: true,
    blockClass: 'rd-block',
    blockSelector: '[data-rd-block]',
    maskTextClass: 'rd-mask',
    maskTextSelector: '[data-rd-mask],.rd-mask',
    sampling: { mousemove: 50, scroll: 150, input: 'last' },
  });
</script>"""
BUILD_RRWEB_ONLY = """
import { build } from './node_modules/esbuild/lib/main.js';
const result = await build({
  stdin: { contents: "import { record } from '@rrweb/record'; window.rrwebRecord = record;", resolveDir: '.' },
  bundle: true, minify: true, target: 'es2019', format: 'iife', legalComments: 'none', write: false,
});
process.stdout.write(result.outputFiles[0].text);
"""

PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>10,000 mutations</title>
{snippet}</head>
<body>
<h1>Orders</h1>
<p>The list below is kept out of layout: the measurement is the script's, not the renderer's.</p>
<ul id="list" style="display: none"></ul>
<ul id="answers" style="display: none"></ul>
<script>
  const list = document.getElementById('list');
  const nodes = []; // the list's items, so picking one costs nothing (no live HTMLCollection walk)
  function addItem(text, className) {{
    const item = document.createElement('li');
    item.className = className;
    item.textContent = text;
    list.appendChild(item);
    nodes.push(item);
  }}
  for (let i = 0; i < 2000; i += 1) addItem(`Order ${{i}}: 2 towels, blue`, 'row');
  let serial = 0;
  // `count` node mutations: 40 % new nodes, 30 % text, 20 % attributes, 10 % removals.
  function mutate(count) {{
    for (let i = 0; i < count; i += 1) {{
      const kind = i % 10;
      serial += 1;
      if (kind < 4) {{
        addItem(`Order ${{serial}}: 1 towel, green`, 'row new');
      }} else if (kind < 7) {{
        nodes[(serial * 7) % nodes.length].textContent = `Order ${{serial}} shipped`;
      }} else if (kind < 9) {{
        nodes[(serial * 13) % nodes.length].setAttribute('data-state', `s${{serial % 5}}`);
      }} else {{
        const index = (serial * 17) % nodes.length;
        nodes[index].remove();
        nodes[index] = nodes[nodes.length - 1];
        nodes.pop();
      }}
    }}
  }}
  window.longTasks = [];
  new PerformanceObserver((entries) => {{
    for (const entry of entries.getEntries()) window.longTasks.push(entry.duration);
  }}).observe({{ type: 'longtask' }});
  // Script time of the work and of the microtasks it causes (rrweb's MutationObserver
  // callback was queued by the first mutation, so it runs before this await resumes).
  window.burst = async (count) => {{
    const start = performance.now();
    mutate(count);
    await Promise.resolve();
    return performance.now() - start;
  }};
  // Script time of each frame's work, its MutationObserver microtasks included.
  window.frames = (frames, perFrame) => new Promise((resolve) => {{
    let done = 0;
    let scriptMs = 0;
    function frame() {{
      const start = performance.now();
      mutate(perFrame);
      queueMicrotask(() => queueMicrotask(() => {{ scriptMs += performance.now() - start; }}));
      done += 1;
      if (done < frames) requestAnimationFrame(frame);
      else setTimeout(() => resolve(scriptMs), 0);
    }}
    requestAnimationFrame(frame);
  }});
  // The engineer's page: fetch, render, log. Script time of the page's own synchronous work.
  window.fetchConsole = async (requests) => {{
    const answers = document.getElementById('answers');
    let scriptMs = 0;
    for (let i = 0; i < requests; i += 1) {{
      let start = performance.now();
      const pending = fetch(`/api/item?id=${{i}}&token=secret-${{i}}`);
      scriptMs += performance.now() - start;
      const item = await (await pending).json();
      start = performance.now();
      const row = document.createElement('li');
      row.textContent = `${{item.name}} x ${{item.count}}`;
      answers.appendChild(row);
      console.log('loaded', item);
      if (i % 2 === 0) console.warn('slow item', {{ id: i, item }});
      if (i % 10 === 0) console.error(new Error(`item ${{i}} failed validation`));
      scriptMs += performance.now() - start;
    }}
    return scriptMs;
  }};
</script>
</body>
</html>
"""


def snippet(endpoint: str, options: dict) -> str:
    """The snippet for `endpoint`, its init() call extended with `options`."""
    text = render_snippet(endpoint, BENCH_KEY)
    marker = f"endpoint:{json.dumps(endpoint)}"
    if options:
        assert text.count(marker) == 1, text
        text = text.replace(marker, marker + "".join(f",{json.dumps(k)}:{json.dumps(v)}" for k, v in options.items()))
    return text


def rrweb_only_bundle() -> bytes:
    """@rrweb/record as the SDK pins it, bundled alone (window.rrwebRecord)."""
    result = subprocess.run(["node", "--input-type=module", "-e", BUILD_RRWEB_ONLY], cwd=REPO / "sdk_js",
                            capture_output=True, check=True)
    return result.stdout


class Sink:
    """The bench's HTTP server: the page, the built SDK, and an ingest sink."""

    def __init__(self) -> None:
        self.batches = 0
        self.bytes = 0
        # rrweb plugin events received, by the page's path (/sdk_off, /sdk): proof of what each arm recorded
        self.plugin_events: dict[str, dict[str, int]] = {}
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.endpoint = f"http://localhost:{self.httpd.server_address[1]}"  # the same server, another origin
        self.pages = {
            "/without": PAGE.format(snippet="").encode(),
            "/rrweb": PAGE.format(snippet=RRWEB_ONLY).encode(),
            "/sdk_off": PAGE.format(snippet=snippet(self.endpoint, CAPTURE_OFF)).encode(),
            "/sdk": PAGE.format(snippet=snippet(self.endpoint, {})).encode(),
        }
        self.scripts = {
            "/sdk/replaydesk.js": (SDK_DIST / "replaydesk.js").read_bytes(),
            "/rrweb-record.js": rrweb_only_bundle(),
        }
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def _handler(self):
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                if self.path.startswith("/api/item?"):
                    self._send(200, b'{"name": "blue towel", "count": 2}', "application/json")
                elif self.path in sink.pages:
                    self._send(200, sink.pages[self.path], "text/html; charset=utf-8")
                elif self.path in sink.scripts:
                    self._send(200, sink.scripts[self.path], "text/javascript")
                else:
                    self._send(404, b"", "text/plain")

            def do_OPTIONS(self) -> None:  # noqa: N802
                self._send(204, b"", "text/plain")

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                batch = json.loads(gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body)
                arm = urlsplit(batch["meta"]["url"]).path
                with sink.lock:
                    sink.batches += 1
                    sink.bytes += len(body)
                    counts = sink.plugin_events.setdefault(arm, {"console_lines": 0, "requests": 0})
                    for event in batch["events"]:
                        if event["type"] == 6 and event["data"]["plugin"] == "rrweb/console@1":
                            counts["console_lines"] += 1
                        elif event["type"] == 6 and event["data"]["plugin"] == "rrweb/network@1":
                            counts["requests"] += len(event["data"]["payload"]["requests"])
                answer = {"ok": True, "accepted": 1, "duplicate": False, "live": False, "commands": []}
                self._send(200, json.dumps(answer).encode(), "application/json")

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Access-Control-Allow-Headers", "Content-Type, Content-Encoding, X-Replaydesk-Key")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args) -> None:
                pass

        return Handler

    def __enter__(self) -> "Sink":
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def task_ms(cdp) -> float:
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["TaskDuration"] * 1000


def measure(page, cdp, run_workload) -> dict:
    """Run one workload; its script time, main-thread time and blocking time."""
    page.evaluate("window.longTasks.length = 0")
    before = task_ms(cdp)
    script_ms = run_workload()
    page.wait_for_timeout(SETTLE_MS)
    main_thread_ms = task_ms(cdp) - before
    blocking_ms = page.evaluate("window.longTasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0)")
    return {"script_ms": script_ms, "main_thread_ms": main_thread_ms, "blocking_ms": blocking_ms}


def one_run(browser, sink: Sink, arm: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        batches_before = sink.batches
        page.goto(f"{sink.url}/{arm}")
        if arm.startswith("sdk"):
            page.wait_for_function("window.Replaydesk && window.Replaydesk.__replaydesk && window.Replaydesk.isRecording()")
            for _ in range(100):  # until the full snapshot's batch has left (the first flush, 2 s)
                if sink.batches > batches_before:
                    break
                page.wait_for_timeout(100)
        elif arm == "rrweb":
            page.wait_for_function("window.rrwebEvents[2] === 1")  # the full snapshot
        results = {
            "burst": measure(page, cdp, lambda: page.evaluate("n => window.burst(n)", NODES)),
            "frames": measure(page, cdp, lambda: page.evaluate("([f, n]) => window.frames(f, n)", [FRAMES, NODES // FRAMES])),
            "fetch_console": measure(page, cdp, lambda: page.evaluate("n => window.fetchConsole(n)", REQUESTS)),
        }
        if arm.startswith("sdk"):
            assert page.evaluate("Replaydesk.isRecording()"), "the SDK stopped recording during the run"
        return results
    finally:
        context.close()


def summarize(samples: list[dict]) -> dict:
    return {metric: round(statistics.median(s[metric] for s in samples), 1) for metric in samples[0]}


def bundle_size() -> dict:
    result = subprocess.run(["node", str(REPO / "bench" / "sdk_size.mjs")], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="page loads per arm (median over them)")
    args = parser.parse_args()
    if not (SDK_DIST / "replaydesk.js").is_file():
        sys.exit("sdk_js/dist is missing: run `make build` first")

    from playwright.sync_api import sync_playwright

    samples = {arm: [] for arm in ARMS}
    with Sink() as sink, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for run in range(args.runs):
                order = ARMS[run % len(ARMS):] + ARMS[:run % len(ARMS)]  # no arm always goes first
                for arm in order:
                    samples[arm].append(one_run(browser, sink, arm))
                print(f"run {run + 1}/{args.runs} done", file=sys.stderr)
            version = browser.version
        finally:
            browser.close()
        sent = {"batches": sink.batches, "bytes": sink.bytes}

    def ratio(a: dict, b: dict) -> dict:
        return {metric: round(a[metric] / b[metric], 2) if b[metric] else None for metric in ("script_ms", "main_thread_ms")}

    workloads = {}
    for name, description, units, unit in (
            ("burst", f"{NODES:,} node mutations in one task", NODES, "mutation"),
            ("frames", f"{FRAMES} animation frames of {NODES // FRAMES} node mutations", NODES, "mutation"),
            ("fetch_console", f"{REQUESTS} fetches rendered, {REQUESTS} console.log, {REQUESTS // 2} console.warn, "
                              f"{REQUESTS // 10} console.error", REQUESTS, "request")):
        median = {arm: summarize([sample[name] for sample in samples[arm]]) for arm in ARMS}
        added = {arm: round(median[arm]["main_thread_ms"] - median["without"]["main_thread_ms"], 1) for arm in ("sdk_off", "sdk")}
        workloads[name] = {
            "description": description,
            "without_sdk": median["without"],
            "rrweb_alone": median["rrweb"],
            "sdk_capture_off": median["sdk_off"],
            "sdk_defaults": median["sdk"],
            "ratio_capture_off_over_without": ratio(median["sdk_off"], median["without"]),
            "ratio_defaults_over_without": ratio(median["sdk"], median["without"]),
            "ratio_defaults_over_rrweb_alone": ratio(median["sdk"], median["rrweb"]),
            "added_main_thread_ms": added,
            f"added_main_thread_us_per_{unit}": {arm: round(ms * 1000 / units, 1) for arm, ms in added.items()},
        }
    recorded = {arm.lstrip("/"): {kind: round(count / args.runs, 1) for kind, count in counts.items()}
                for arm, counts in sorted(sink.plugin_events.items())}
    if recorded.get("sdk_off", {}).get("requests") or recorded.get("sdk", {}).get("requests", 0) < REQUESTS:
        sys.exit(f"the SDK arms did not record what their options say: {recorded}")
    report = {
        "bench": "sdk_overhead",
        "runs_per_arm": args.runs,
        "chromium": version,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "page": "2,000 list items (display: none); burst and frames mutate 10,000 nodes each "
                "(40% add, 30% text, 20% attribute, 10% remove); fetch_console fetches, renders and logs",
        "arms": {"without_sdk": "no recorder", "rrweb_alone": "rrweb's recorder, events dropped",
                 "sdk_capture_off": "the snippet with captureConsole: false, captureNetwork: false",
                 "sdk_defaults": "the snippet as pasted (console warn/error, fetch/XHR/resources)"},
        "workloads": workloads,
        "plugin_events_sent_per_run": recorded,
        "sdk_sent_per_run": {"batches": round(sent["batches"] / args.runs, 1), "bytes": round(sent["bytes"] / args.runs)},
        "bundle": bundle_size(),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
