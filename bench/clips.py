"""Clip benchmark: `replaydesk clip` on dev-corpus sessions, each format and length up to
the 2-minute limit; render wall time per second of video, file sizes. Prints JSON.

    .venv/bin/python bench/clips.py [--quick]

The sessions are imported into a fresh data dir like any recording; the 2-minute clip
needs a session that long, so corpus recordings are stitched end to end (each shifted
to start a second after the previous one ended). Every clip is one run of the command
(its own Python, browser and ffmpeg, as a person running it would see), and checked
with ffprobe: its duration and frame count must be what was asked. "render_s" is the
command's own figure (app ready → file written); "command_s" adds Python's start-up.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.e2e.server import ServerProcess  # noqa: E402

CORPUS = REPO / "tests" / "fixtures" / "corpus"
SHORT = "shop-04-coupon_rager_buys"  # 54 s: a rage on the coupon field, checkout
GAP_MS = 1000
LONG_MS = 130_000
# (format, from, to, fps) — moments as the command takes them.
RUNS = [
    ("mp4", "0:04", "0:14", 10),
    ("mp4", "0:00", "0:30", 10),
    ("webm", "0:00", "0:30", 10),
    ("gif", "0:00", "0:30", 10),
    ("mp4", "0:00", "0:30", 30),
    ("mp4", "0:00", "2:00", 10),
]
QUICK = RUNS[:1] + [("gif", "0:04", "0:14", 10)]


def stitched(target_ms: int) -> dict:
    """Corpus recordings end to end until the stream lasts ``target_ms``."""
    recordings = [json.loads(gzip.decompress(p.read_bytes()))["events"] for p in sorted(CORPUS.glob("*.json.gz"))]
    events: list[dict] = []
    start = clock = recordings[0][0]["timestamp"]
    for recording in recordings:
        shift = clock - recording[0]["timestamp"]
        events += [{**event, "timestamp": event["timestamp"] + shift} for event in recording]
        clock = events[-1]["timestamp"] + GAP_MS
        if clock - start >= target_ms:
            break
    return {"session_id": "bench-clips-long", "events": events}


def probe(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_entries",
                          "stream=codec_name,width,height,nb_read_frames:format=duration", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    found = json.loads(out)
    return {**found["streams"][0], "duration": float(found["format"]["duration"])}


def seconds(moment: str) -> int:
    minutes, secs = moment.split(":")
    return int(minutes) * 60 + int(secs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="two 10-second clips only")
    args = parser.parse_args()
    runs = QUICK if args.quick else RUNS
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(Path(tmp) / "data")
        server.cli("init")
        long_path = Path(tmp) / "long.json.gz"
        long_path.write_bytes(gzip.compress(orjson.dumps(stitched(LONG_MS))))
        server.cli("import", str(CORPUS / f"{SHORT}.json.gz"), str(long_path))
        short_id = json.loads(gzip.decompress((CORPUS / f"{SHORT}.json.gz").read_bytes()))["session_id"]
        for fmt, start, end, fps in runs:
            length = seconds(end) - seconds(start)
            session = short_id if seconds(end) * 1000 <= 54_000 else "bench-clips-long"
            output = Path(tmp) / f"clip-{len(results)}.{fmt}"
            began = time.monotonic()
            said = server.cli("clip", session, "--from", start, "--to", end, "--fps", str(fps), "-o", str(output))
            command_s = time.monotonic() - began
            render_s = float(re.search(r"rendered in ([0-9.]+) s", said).group(1))
            facts = probe(output)
            assert abs(facts["duration"] - length) < 0.2 and int(facts["nb_read_frames"]) == length * fps, facts
            size = output.stat().st_size
            results.append({
                "format": fmt, "seconds": length, "fps": fps, "size": f"{facts['width']}x{facts['height']}",
                "codec": facts["codec_name"], "render_s": render_s, "command_s": round(command_s, 1),
                "render_s_per_clip_s": round(render_s / length, 2),
                "ms_per_frame": round(render_s * 1000 / (length * fps)),
                "bytes": size, "kb_per_clip_s": round(size / 1024 / length, 1),
            })
            print(json.dumps(results[-1]), file=sys.stderr)
    print(json.dumps({"clips": results, "cpus": os.cpu_count(),
                      "load_average_1m": round(os.getloadavg()[0], 2)}, indent=2))


if __name__ == "__main__":
    main()
