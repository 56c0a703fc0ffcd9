"""Replay fidelity: does the reviewer see what the participant saw? Prints JSON.

    .venv/bin/python bench/fidelity.py [--pages fonts,images] [--out test-artifacts/fidelity]

The pages under bench/fidelity/site (web fonts, CSS-in-JS insertRule, constructed
sheets, shadow DOM, a same-origin iframe, a canvas chart, scrolled containers, images
and CSS backgrounds, an SPA opening a modal late, cross-origin stylesheets, form
controls, srcset/picture, <dialog>, custom properties, SVG) are served on 127.0.0.1
with a CDN on another origin, and a `replaydesk serve` records them: each page twice
in Chromium with the real SDK while its scenario plays (tests/e2e/fidelity.py), with
screenshots of the participant's viewport at its moments.

Then, for each page, the first session is viewed with the site up and the second with
the site gone (both origins stopped after the server cached what the sessions name):
each first in a fresh browser context, never opened before (the first view), then in
another fresh context (a later view). Each view opens the real player at every moment
(`?t=`) and compares its replay frame with the participant's screenshot: the share of
pixels whose grey levels differ by at most 40. A page's score in a view is its worst
moment. Comparison images (participant | replay | differing pixels in red) go to --out.
`--control` runs the same against a server that caches nothing (a 1-byte asset quota).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.e2e import fidelity  # noqa: E402
from tests.e2e.sdk.site import snippet_with_options  # noqa: E402
from tests.e2e.server import ServerProcess, sign_in  # noqa: E402

EMAIL, PASSWORD = "fidelity@example.com", "fidelity bench"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TARGET = 0.99


def view(browser, server, storage_state, recording, detail, out: Path, label: str) -> dict:
    """One fresh reviewer context: every moment of the recording; scores by moment."""
    context = browser.new_context(viewport=fidelity.REVIEWER_VIEWPORT, storage_state=storage_state)
    page = context.new_page()
    scores = {}
    for moment, offset in zip(recording.moments, fidelity.offsets(recording, detail)):
        png = fidelity.replay_frame_png(page, server.url, recording.session_id, offset)
        scores[moment.name] = round(fidelity.similarity(moment.png, png), 4)
        print(f"{recording.page:18} {label:18} {moment.name:20} {scores[moment.name]:.4f}", file=sys.stderr)
        name = f"{recording.page}--{moment.name.replace(' ', '-')}--{label}.png"
        (out / name).write_bytes(fidelity.comparison_png(moment.png, png))
    context.close()
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", default=",".join(fidelity.SCENARIOS), help="comma-separated page names")
    parser.add_argument("--out", default=str(REPO / "test-artifacts" / "fidelity"))
    parser.add_argument("--control", action="store_true",
                        help="a server that caches nothing (a 1-byte asset quota): what the cache is worth")
    args = parser.parse_args()
    pages = [name for name in args.pages.split(",") if name]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="fidelity-") as data_dir:
        server = ServerProcess(Path(data_dir), env={"REPLAYDESK_ASSET_QUOTA": "1"} if args.control else None)
        seed = server.seed("fidelity", users=[(EMAIL, PASSWORD)])
        server.start()
        site = fidelity.RecordedSite().start(
            lambda page: snippet_with_options(server.url, seed.key, fidelity.INIT_OPTIONS.get(page, {})))
        started = time.monotonic()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                recordings = {page: [fidelity.record(browser, site, page) for _ in ("up", "gone")] for page in pages}
                details = {r.session_id: fidelity.wait_until_stored(server.url, seed.token, r.session_id)
                           for pair in recordings.values() for r in pair}
                login = browser.new_context()
                sign_in(login, server.url, EMAIL, PASSWORD)
                state = login.storage_state()
                login.close()
                results = {page: {"site_up": {}, "site_gone": {}} for page in pages}
                for page, (up, _) in recordings.items():
                    for label in ("first_view", "later_view"):
                        results[page]["site_up"][label] = view(browser, server, state, up, details[up.session_id], out,
                                                               f"up-{label}")
                site.stop()  # the site is gone: only the server's copies remain
                for page, (_, gone) in recordings.items():
                    for label in ("first_view", "later_view"):
                        results[page]["site_gone"][label] = view(browser, server, state, gone, details[gone.session_id],
                                                                 out, f"gone-{label}")
                browser.close()
        finally:
            site.stop()
            server.stop()
    table = {page: {f"{where}.{label}": min(scores.values()) for where, views in result.items()
                    for label, scores in views.items()} for page, result in results.items()}
    worst_gone_first = min(row["site_gone.first_view"] for row in table.values())
    print(json.dumps({
        "grey_tolerance": fidelity.GREY_TOLERANCE, "target": TARGET,
        "participant_viewport": fidelity.PARTICIPANT_VIEWPORT,
        "pages": table, "moments": results,
        "site_gone_first_view": {"worst": worst_gone_first, "pages_below_target": sorted(
            page for page, row in table.items() if row["site_gone.first_view"] < TARGET)},
        "control_without_cache": args.control,
        "comparison_images": str(out), "seconds": round(time.monotonic() - started, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
