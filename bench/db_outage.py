"""Degrade, don't die (issue 10, item 5): `replaydesk serve` on PostgreSQL behind a
proxy that freezes (a paused or wedged server: connections stay open, nothing is
answered), while 64 clients keep asking for database pages for 10 s. Prints JSON: how
those requests were answered (503 with Retry-After, how fast), and the latency of
static files and the login page meanwhile; then that the server recovers.

    .venv/bin/python bench/db_outage.py [--seconds 10] [--clients 64]
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg
import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.conftest import POSTGRES_ADMIN_URL  # noqa: E402
from tests.e2e.server import ServerProcess  # noqa: E402
from tests.server.test_degrade import FreezableProxy  # noqa: E402


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered), 1), "max_ms": round(ordered[-1], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=64)
    args = parser.parse_args()
    name = f"replaydesk_outage_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    proxy = FreezableProxy(5432)
    base = POSTGRES_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://").rsplit("@", 1)[0]
    env = {"REPLAYDESK_DATABASE_URL": f"{base}@127.0.0.1:{proxy.port}/{name}",
           "REPLAYDESK_DB_CONNECT_TIMEOUT": "2", "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    server = ServerProcess(Path(tempfile.mkdtemp(prefix="replaydesk-outage-")), env=env)
    try:
        server.cli("project", "create", "Bench")
        server.start()
        result = run(server.url, proxy, args.seconds, args.clients)
        print(json.dumps(result, indent=2))
    finally:
        server.stop()
        proxy.close()
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(url: str, proxy: FreezableProxy, seconds: float, clients: int) -> dict:
    def database_page() -> tuple[float, int, str]:
        started = time.perf_counter()
        answer = requests.get(f"{url}/api/v1/sessions", headers={"Authorization": "Bearer rdt_unknown"}, timeout=120)
        return (time.perf_counter() - started) * 1000, answer.status_code, answer.headers.get("Retry-After", "")

    light: dict[str, list[float]] = {"/sdk/replaydesk.js": [], "/auth/login": []}
    light_status: set[int] = set()
    stop = threading.Event()

    def probe() -> None:
        while not stop.is_set():
            for path, latencies in light.items():
                started = time.perf_counter()
                light_status.add(requests.get(url + path, timeout=120).status_code)
                latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.1)

    before = database_page()[1]
    proxy.frozen.set()
    prober = threading.Thread(target=probe)
    prober.start()
    until = time.monotonic() + seconds

    def client() -> list[tuple[float, int, str]]:
        answers = []
        while time.monotonic() < until:
            answers.append(database_page())
        return answers

    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        answers = [answer for batch in pool.map(lambda _: client(), range(clients)) for answer in batch]
    stop.set()
    prober.join()
    health = requests.get(f"{url}/healthz", timeout=60)
    proxy.frozen.clear()
    time.sleep(1.5)  # past the breaker's second
    return {
        "database_page_before_freeze": before,
        "while_frozen": {
            "database_pages": {**percentiles([ms for ms, _, _ in answers]), "statuses": sorted({s for _, s, _ in answers}),
                               "retry_after": sorted({r for _, _, r in answers})},
            **{path: percentiles(latencies) for path, latencies in light.items()},
            "light_statuses": sorted(light_status),
            "healthz": [health.status_code, health.json().get("failed")],
        },
        "after_thaw": [database_page()[1], requests.get(f"{url}/healthz", timeout=60).status_code],
    }


if __name__ == "__main__":
    main()
