"""Fair analysis benchmark (issue 10, item 4): what crafted sessions of 15,000 clicks
on deeply nested buttons cost to analyse, and what their analysis does to everyone's
ingest latency on the same `replaydesk serve` (in-process analysis, no Redis).

    .venv/bin/python bench/hostile_analysis.py [--hostile 3] [--seconds 20] [--database-url URL]

Prints JSON: the CPU of one analysis of such a session (in this process), ingest
latency percentiles of paced ordinary batches before and while the hostile sessions
are analysed, and how long until every hostile session was analysed (and whether
partially).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import orjson
import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from analysis.event_builders import click_event, nested_buttons, page_load  # noqa: E402
from tests.e2e.server import ServerProcess  # noqa: E402

T0 = 1_795_000_000_000
CLIENTS = 4
PACE_S = 0.1  # each client sends a small batch every 100 ms
CLICKS = 15_000
CLICKS_PER_BATCH = 5_000


def hostile_batches(session_id: str, buttons: int = 400, depth: int = 12) -> list[bytes]:
    """A page of ``buttons`` buttons each inside ``depth`` divs, then 15,000 clicks
    cycling over them, 3 s apart (every one a dead click): ~2 MB in 4 batches."""
    children, ids = nested_buttons(buttons, depth)
    clicks = [click_event(T0 + 1000 + i * 3000, ids[i % len(ids)], (i * 37) % 1000, 420) for i in range(CLICKS)]
    parts = [page_load(T0, "http://shop.test/", *children)] + [clicks[i:i + CLICKS_PER_BATCH]
                                                              for i in range(0, CLICKS, CLICKS_PER_BATCH)]
    return [_batch(session_id, seq, events) for seq, events in enumerate(parts)]


def _batch(session_id: str, seq: int, events: list[dict]) -> bytes:
    return orjson.dumps({"session_id": session_id, "window_id": "window-0001", "seq": seq, "events": events,
                         "meta": {"url": "http://shop.test/", "user_agent": "bench", "viewport": {"w": 1280, "h": 800}}})


def analysis_cpu_of_one(batches: list[bytes]) -> float:
    from analysis import analyze

    events = [event for body in batches for event in orjson.loads(body)["events"]]
    started = time.process_time()
    analyze(events)
    return round(time.process_time() - started, 2)


def paced_ingest(url: str, key: str, seconds: float) -> list[float]:
    """CLIENTS clients, each sending a small batch every PACE_S; latencies in ms."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        http = requests.Session()
        session_id, seq = uuid.uuid4().hex, 0
        while time.monotonic() < stop_at:
            events = [{"type": 3, "timestamp": T0 + seq * 100 + n, "data": {"source": 2, "type": 2, "id": 5, "x": n, "y": 1}}
                      for n in range(5)]
            started = time.perf_counter()
            answer = http.post(f"{url}/api/v1/ingest", data=_batch(session_id, seq, events),
                               headers={"X-Replaydesk-Key": key, "Content-Type": "application/json"}, timeout=60)
            elapsed = (time.perf_counter() - started) * 1000
            assert answer.status_code == 200, answer.text
            with lock:
                latencies.append(elapsed)
            seq += 1
            time.sleep(max(0.0, PACE_S - elapsed / 1000))

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def summary(latencies: list[float]) -> dict:
    ordered = sorted(latencies)
    return {"requests": len(ordered), "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[int(len(ordered) * 0.95)], 1), "max_ms": round(ordered[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hostile", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="replaydesk-hostile-") as tmp:
        env = {"REPLAYDESK_ANALYSIS_QUIET": "1", "REPLAYDESK_INGEST_RATE_LIMIT": "100000/second",
               "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        if args.database_url:
            env["REPLAYDESK_DATABASE_URL"] = args.database_url
        server = ServerProcess(Path(tmp), env=env)
        key = server.cli_json("project", "create", "Bench")["key"]
        server.start()
        try:
            ids = [uuid.uuid4().hex for _ in range(args.hostile)]
            crafted = [hostile_batches(session_id) for session_id in ids]
            result = {"hostile_batch_bytes": [len(body) for body in crafted[0]],
                      "analysis_cpu_s_one_session": analysis_cpu_of_one(crafted[0])}
            result["ingest_before"] = summary(paced_ingest(server.url, key, args.seconds / 2))
            started = time.monotonic()
            analysed: dict = {}
            poller = threading.Thread(target=lambda: analysed.update(_wait_analysed(server, ids, started)))
            poller.start()
            for batches in crafted:
                for body in batches:
                    answer = requests.post(f"{server.url}/api/v1/ingest", data=body, timeout=60,
                                           headers={"X-Replaydesk-Key": key, "Content-Type": "application/json"})
                    assert answer.status_code == 200, answer.text
            result["ingest_while_analysing"] = summary(paced_ingest(server.url, key, args.seconds))
            poller.join()
            result["hostile_analysed"] = analysed
            print(json.dumps(result, indent=2))
        finally:
            server.stop()


def _wait_analysed(server: ServerProcess, session_ids: list[str], started: float, limit_s: float = 300) -> dict:
    """Seconds from the first hostile batch until every hostile session was analysed
    (the quiet period of 1 s included), read from the database; and their analysis
    versions (partial ones say so)."""
    from sqlalchemy import create_engine, text

    from server.config import Settings

    engine = create_engine(Settings.from_env(server.env).database_url)
    marks = ",".join(f"'{session_id}'" for session_id in session_ids)
    try:
        while time.monotonic() - started < limit_s:
            with engine.connect() as conn:
                rows = conn.execute(text(f"SELECT analysis_version FROM sessions WHERE id IN ({marks}) "
                                         "AND analysis_due_at IS NULL AND analysis_version IS NOT NULL")).scalars().all()
            if len(rows) == len(session_ids):
                return {"seconds": round(time.monotonic() - started, 1), "versions": sorted(set(rows))}
            time.sleep(0.2)
        return {"seconds": None, "versions": []}
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
