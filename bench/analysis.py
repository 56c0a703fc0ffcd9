"""Benchmark analysis speed; prints JSON.

A ~30-minute session is stitched from the labelled dev corpus (each recording's page
visits shifted in time to follow the previous one), serialized once, then timed:
``orjson.loads`` of that JSON versus ``analysis.analyze`` of the parsed events.
Aim (issue 4): analysis under 1 s and at most 3x the parse time.

    .venv/bin/python bench/analysis.py [--minutes 30] [--repeat 7]

The corpus is the repository's copy (``tests/fixtures/corpus``), or
``$REPLAYDESK_CORPUS_DIR``.
"""

from __future__ import annotations

import argparse
import gzip
import platform
import sys
import time
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from analysis import analyze  # noqa: E402
from tests.corpus import find_corpus_dir  # noqa: E402

GAP_BETWEEN_RECORDINGS_MS = 1500
"""Pause inserted where one recording ends and the next begins (a page load's worth)."""


def load_recordings(directory: Path) -> list[list[dict]]:
    files = sorted(directory.glob("*.json.gz"))
    if not files:
        raise SystemExit(f"no recordings (*.json.gz) in {directory}; set REPLAYDESK_CORPUS_DIR")
    return [orjson.loads(gzip.decompress(path.read_bytes()))["events"] for path in files]


def stitch_session(recordings: list[list[dict]], minutes: float) -> list[dict]:
    """Concatenate recordings (cycling) until the session lasts ``minutes``."""
    stitched: list[dict] = []
    clock = recordings[0][0]["timestamp"]
    target_ms = minutes * 60_000
    start = clock
    while clock - start < target_ms:
        for events in recordings:
            shift = clock - events[0]["timestamp"]
            stitched.extend({**event, "timestamp": event["timestamp"] + shift} for event in events)
            clock = stitched[-1]["timestamp"] + GAP_BETWEEN_RECORDINGS_MS
            if clock - start >= target_ms:
                break
    return stitched


def best_time(action, repeat: int) -> float:  # type: ignore[no-untyped-def]
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    session = stitch_session(load_recordings(find_corpus_dir()), args.minutes)
    payload = orjson.dumps(session)
    events = orjson.loads(payload)
    parse_s = best_time(lambda: orjson.loads(payload), args.repeat * 4)
    analyze_s = best_time(lambda: analyze(events), args.repeat)
    result = analyze(events)
    report = {
        "benchmark": "analysis",
        "session_minutes": round((session[-1]["timestamp"] - session[0]["timestamp"]) / 60_000, 1),
        "events": len(session),
        "json_bytes": len(payload),
        "orjson_parse_s": round(parse_s, 4),
        "analyze_s": round(analyze_s, 4),
        "ratio_to_parse": round(analyze_s / parse_s, 2),
        "events_per_s": round(len(session) / analyze_s),
        "signals": len(result.signals),
        "aim": {"analyze_s_below": 1.0, "ratio_to_parse_at_most": 3.0},
        "meets_aim": analyze_s < 1.0 and analyze_s / parse_s <= 3.0,
        "python": platform.python_version(),
    }
    print(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main()
