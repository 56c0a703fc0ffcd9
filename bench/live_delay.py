"""Live delay benchmark: from a click in the participant's page to its effect in an
observer's live replay, in Debian's Chromium against `replaydesk serve`. Prints JSON.

    .venv/bin/python bench/live_delay.py [--clicks 20] [--setups single,redis]

The participant's page (the product site of tests/e2e/sdk with the snippet, on its own
origin) has an "Add to cart" button that rewrites "Cart: N". An observer, signed in,
watches the session in the live room (/sessions/<id>/live). For each click the bench
notes the time right before Playwright clicks, then reads the replay frame until it
says "Cart: N", and reports p50/p95/max over the clicks (after one warm-up click that
also switches the SDK to live flushing). Clicks are 0.4-1.2 s apart, at random, so they
land at every phase of the SDK's 500 ms live flush.

Setups: `single` is one serve process; `redis` is two processes sharing the database
and Redis (REPLAYDESK_REDIS_URL, 127.0.0.1:6379 by default, and a job queue of its own):
the participant's batches go to the first, the observer watches through the second.
The target is p95 < 2000 ms; the live replay itself holds events LIVE_BUFFER_MS
(review_ui/src/live/stage.js) for smooth playback.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import redis

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.live.helpers import OBSERVERS, prepare_server, sign_in  # noqa: E402
from tests.e2e.sdk.site import ProductSite, tab_session_id, wait_until_recording  # noqa: E402
from tests.e2e.server import ServerProcess  # noqa: E402

TARGET_P95_MS = 2000
GIVE_UP_MS = 15_000  # a click not seen by then counts as this (and is reported as missed)
REDIS_URL = os.environ.get("REPLAYDESK_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def wait_seen(observer, count: int) -> float:
    """Read the replay frame until it shows `count` items; the monotonic time it did."""
    cart = observer.frame_locator("#stage iframe").locator("#cart")
    deadline = time.monotonic() + GIVE_UP_MS / 1000
    while time.monotonic() < deadline:
        try:
            if cart.text_content(timeout=500) == f"Cart: {count}":
                return time.monotonic()
        except Exception:  # noqa: BLE001 - the frame is rebuilt or not there yet: read again
            pass
        observer.wait_for_timeout(5)
    raise TimeoutError(f"the observer never showed Cart: {count}")


def measure(browser, site_server, watch_url: str, clicks: int) -> dict:
    """Participant on `site_server`'s snippet, observer signed in at `watch_url`."""
    with ProductSite(site_server) as site:
        participant = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
        participant.goto(site.url("index.html"))
        wait_until_recording(participant)
        session_id = tab_session_id(participant)
        observer_context = browser.new_context(viewport={"width": 1280, "height": 800})
        observer = sign_in(observer_context, watch_url, OBSERVERS[0])
        participant.wait_for_timeout(2500)  # the first batch (2 s flush) creates the session
        observer.goto(f"{watch_url}/sessions/{session_id}/live")
        observer.wait_for_selector('#live-state[data-state="live"]', timeout=15_000)
        observer.wait_for_selector("html[data-first-frame]", state="attached", timeout=15_000)

        participant.click("#add")  # warm-up: its answer tells the SDK someone watches
        wait_seen(observer, 1)
        delays, missed = [], 0
        for n in range(2, clicks + 2):
            participant.wait_for_timeout(random.uniform(400, 1200))
            started = time.monotonic()
            participant.click("#add")
            try:
                delays.append((wait_seen(observer, n) - started) * 1000)
            except TimeoutError:
                delays.append(GIVE_UP_MS)
                missed += 1
        participant.context.close()
        observer_context.close()
    ordered = sorted(delays)
    return {"clicks": clicks, "missed": missed, "p50_ms": round(statistics.median(ordered)),
            "p95_ms": round(statistics.quantiles(ordered, n=20, method="inclusive")[18]),
            "max_ms": round(ordered[-1]), "min_ms": round(ordered[0]), "target_p95_ms": TARGET_P95_MS}


def single_process(browser, data_dir: Path, clicks: int) -> dict:
    server = prepare_server(ServerProcess(data_dir), users=OBSERVERS[:1])
    try:
        return measure(browser, server, server.url, clicks)
    finally:
        server.process.stop()


def two_processes_with_redis(browser, data_dir: Path, clicks: int) -> dict:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return {"skipped": f"no Redis at {REDIS_URL}: {error}"}
    env = {"REPLAYDESK_REDIS_URL": REDIS_URL, "REPLAYDESK_JOB_QUEUE": f"bench-live-{uuid.uuid4().hex[:8]}"}
    participant_side = prepare_server(ServerProcess(data_dir, env=env), users=OBSERVERS[:1])
    observer_side = ServerProcess(data_dir, env=env)
    try:
        observer_side.start()
        return measure(browser, participant_side, observer_side.url, clicks)
    finally:
        observer_side.stop()
        participant_side.process.stop()


SETUPS = {"single": ("single_process", single_process), "redis": ("two_processes_redis", two_processes_with_redis)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clicks", type=int, default=20)
    parser.add_argument("--setups", default="single,redis", help="comma-separated: single, redis")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results = {"clicks": args.clicks}
    with sync_playwright() as playwright, tempfile.TemporaryDirectory(prefix="live-delay-") as tmp:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name in args.setups.split(","):
                key, run = SETUPS[name.strip()]
                log(f"measuring {key} ...")
                results[key] = run(browser, Path(tmp) / name, args.clicks)
        finally:
            browser.close()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
