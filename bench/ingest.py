"""Ingest benchmark: replay the dev corpus through `replaydesk serve` as the SDK sends
it (2 s batches, gzip), with 1, 10 and 50 concurrent clients, against the ingest route
and against a no-op route on the same server (the baseline), then compact and compare
stored bytes with gzip-6 and raw JSON. Prints JSON.

    .venv/bin/python bench/ingest.py [--paced-seconds 40] [--saturated-rounds 4] [--database-url URL]

Two loads per concurrency level: *paced* (each client sends a batch every 2 s, as the
SDK flushes, for --paced-seconds; clients start spread over the first interval: latency
under the load that many visitors make) and *saturated* (every client sends its share of
the corpus back to back: the server's throughput ceiling).
"""
from __future__ import annotations

import argparse
import gzip
import http.client
import json
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

from tests.e2e.server import ServerProcess  # noqa: E402

CORPUS = REPO / "tests" / "fixtures" / "corpus"
FLUSH_MS = 2000  # the SDK's flush interval


def load_sessions() -> list[list[dict]]:
    return [json.loads(gzip.decompress(p.read_bytes()))["events"] for p in sorted(CORPUS.glob("*.json.gz"))]


def batches_of(events: list[dict]) -> list[list[dict]]:
    """Cut a session into the batches the SDK would flush every 2 s."""
    batches, current, window_end = [], [], events[0]["timestamp"] + FLUSH_MS
    for event in events:
        if event["timestamp"] >= window_end and current:
            batches.append(current)
            current, window_end = [], event["timestamp"] + FLUSH_MS
        current.append(event)
    return batches + ([current] if current else [])


def session_bodies(events: list[dict]) -> list[tuple[bytes, int]]:
    """One recorded session as the gzipped batches the SDK would send, under a fresh id."""
    session_id = uuid.uuid4().hex
    meta = {"url": events[0].get("data", {}).get("href", ""), "sdk_version": "bench"}
    return [(gzip.compress(orjson.dumps({"session_id": session_id, "window_id": "bench-window", "seq": seq,
                                         "events": batch, "meta": meta}), 6), len(batch))
            for seq, batch in enumerate(batches_of(events))]


def saturating_plans(sessions, clients: int, rounds: int) -> list[list[tuple[bytes, int]]]:
    """The corpus `rounds` times (new session ids each time), its sessions dealt out to the clients."""
    plans: list[list[tuple[bytes, int]]] = [[] for _ in range(clients)]
    for index, events in enumerate(sessions * rounds):
        plans[index % clients].extend(session_bodies(events))
    return plans


def visitor_plans(sessions, clients: int) -> list[list[tuple[bytes, int]]]:
    """One visitor per client, each replaying a corpus session (repeated when clients outnumber them)."""
    return [session_bodies(sessions[index % len(sessions)]) for index in range(clients)]


def run_load(url: str, key: str, path: str, plans, pause_s: float, duration_s: float = 0.0) -> dict:
    host, port = url.removeprefix("http://").split(":")
    latencies: list[float] = []
    errors = []
    lock = threading.Lock()

    def client(index, plan):
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        mine = []
        if pause_s:  # spread the clients' flushes over one interval, as independent visitors are
            time.sleep(pause_s * index / len(plans))
            deadline = time.perf_counter() + duration_s
            plan = [plan[n % len(plan)] for n in range(max(1, int(duration_s / pause_s)))]
        for body, _ in plan:
            if pause_s and time.perf_counter() > deadline:
                break
            started = time.perf_counter()
            conn.request("POST", path, body=body, headers={
                "X-Replaydesk-Key": key, "Content-Encoding": "gzip", "Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            mine.append(elapsed)
            if response.status != 200:
                errors.append(response.status)
            if pause_s:
                time.sleep(max(0.0, pause_s - elapsed))
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(index, plan)) for index, plan in enumerate(plans)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    events = sum(n for plan in plans for _, n in plan) if not pause_s else None
    ordered = sorted(latencies)
    return {
        "batches": len(latencies), "errors": len(errors), "seconds": round(elapsed, 3),
        "batches_per_s": round(len(latencies) / elapsed, 1),
        **({"events_per_s": round(events / elapsed, 1)} if events else {}),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
    }


def storage_figures(server: ServerProcess, token: str) -> dict:
    """Compact everything, then compare each session's stored bytes with the gzip-6 size
    of its own events as the API returns them (paced visitors sent partial sessions)."""
    server.cli("compact", "--all")
    headers = {"Authorization": f"Bearer {token}"}
    stored = raw = gzip6 = count = 0
    cursor = None
    while True:
        page = requests.get(f"{server.url}/api/v1/sessions", params={"limit": 200, "cursor": cursor},
                            headers=headers, timeout=30).json()
        for row in page["sessions"]:
            detail = requests.get(f"{server.url}/api/v1/sessions/{row['id']}", headers=headers, timeout=30).json()
            events = requests.get(f"{server.url}/api/v1/sessions/{row['id']}/events", headers=headers, timeout=60).content
            stored += detail["stored_bytes"]
            raw += detail["raw_bytes"]
            gzip6 += len(gzip.compress(events, 6))
            count += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    return {"sessions": count, "raw_bytes": raw, "stored_bytes": stored, "gzip6_bytes": gzip6,
            "stored_vs_gzip6": round(stored / gzip6, 3), "stored_vs_raw": round(stored / raw, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paced-seconds", type=float, default=40.0, help="how long the paced load runs")
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--saturated-rounds", type=int, default=4,
                        help="times the corpus is sent back to back (a few seconds each: steadier figures)")
    parser.add_argument("--database-url", help="default: SQLite in a temporary data dir")
    args = parser.parse_args()
    sessions = load_sessions()
    with tempfile.TemporaryDirectory() as tmp:
        env = {"REPLAYDESK_INGEST_RATE_LIMIT": "1000000/second"}
        if args.database_url:
            env["REPLAYDESK_DATABASE_URL"] = args.database_url
        server = ServerProcess(Path(tmp), env=env)
        seed = server.seed("bench")
        key = seed.key
        server.start()
        results = {"corpus_sessions": len(sessions), "database": "postgresql" if args.database_url else "sqlite",
                   "paced_seconds": args.paced_seconds, "loads": []}
        try:
            for clients in map(int, args.clients.split(",")):
                for load, pause in (("paced", FLUSH_MS / 1000), ("saturated", 0.0)):
                    row = {"clients": clients, "load": load}
                    for name, path in (("noop", "/api/v1/ingest/ping"), ("ingest", "/api/v1/ingest")):
                        plans = visitor_plans(sessions, clients) if pause else saturating_plans(sessions, clients, args.saturated_rounds)
                        row[name] = run_load(server.url, key, path, plans, pause, args.paced_seconds)
                    row["p50_ratio"] = round(row["ingest"]["p50_ms"] / row["noop"]["p50_ms"], 2)
                    row["p99_ratio"] = round(row["ingest"]["p99_ms"] / row["noop"]["p99_ms"], 2)
                    row["throughput_ratio"] = round(row["noop"]["batches_per_s"] / row["ingest"]["batches_per_s"], 2)
                    results["loads"].append(row)
                    print(json.dumps(row), file=sys.stderr)
            results["storage"] = storage_figures(server, seed.token)
        finally:
            server.stop()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
