"""Scale-out proof: HAProxy in front of 3 `replaydesk serve --no-worker` processes and
2 `replaydesk worker` processes, on PostgreSQL, S3 (moto's server) and Redis. Prints JSON.

    make bench-cluster
    .venv/bin/python bench/cluster.py [--clients 100] [--seconds 60] [--steps 50,100,150,...]

1. *Cluster load*: --clients paced SDK clients send the dev corpus through the balancer,
   cut into the SDK's 2 s gzip batches (bench/ingest.py), one batch every 2 s each; a
   visitor whose recording ends starts a new session. Clients retry exactly as the SDK
   does (sdk_js/src: one batch at a time, the same seq, exponential backoff
   with jitter on network errors and 5xx, Retry-After on 429, drop on other 4xx).
   Mid-run one web process and one worker are killed with SIGKILL and restarted a few
   seconds later.
2. *Live*: an observer joins a room over Socket.IO (/live, WebSocket) on web process A
   while the participant's batches go to web process B; the observer must get them
   within 2 s. The same again with both sides through the balancer.
3. *Verification*: every batch acknowledged with 200 is read back through the review API
   (each event carries the batch's seq in an extra field, kept verbatim by the server):
   stored once and unchanged, never lost or duplicated; PostgreSQL's receipts and chunk
   rows and the S3 objects agree; every session's analysis ends `done`.
4. *One process*: paced clients straight to one web process (no balancer, workers
   stopped), stepping up until p99 exceeds --p99-limit-ms or errors appear.

Everything runs on 127.0.0.1 and is removed at the end (processes, temp dir, database,
bucket, Redis db). Exits 1 when a batch was lost, duplicated or altered, or a check failed.
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import http.client
import json
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import orjson
import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.ingest import FLUSH_MS, batches_of, load_sessions  # noqa: E402
from tests.e2e.server import BIN, START_TIMEOUT, ServerProcess, free_port  # noqa: E402
from tests.e2e.test_live_redis import Observer, signed_in_cookie  # noqa: E402

HOST = "127.0.0.1"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_BASE = "redis://127.0.0.1:6379"
REDIS_DBS = range(5, 16)  # the first empty one is taken (and flushed at the end)
MARK = "bench_seq"  # extra field on every sent event: the seq of its batch
WINDOW_ID = "cluster-window"
INGEST_PATH = "/api/v1/ingest"
REVIEWER = ("observer@example.com", "correct horse battery")
AWS_DUMMY = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"}
LIVE_LIMIT_MS = 2000  # SPEC: observers see the session with under 2 s delay


def sdk_constants() -> dict[str, float]:
    """The SDK's transport constants, read from its source so the clients stay in step."""
    text = (REPO / "sdk_js" / "src" / "constants.js").read_text()
    values = {}
    for name in ("RETRY_BASE_DELAY_MS", "RETRY_MAX_DELAY_MS", "RETRY_JITTER_RATIO", "MAX_RETRY_AFTER_MS",
                 "REQUEST_TIMEOUT_MS"):
        expression = re.search(rf"export const {name} = ([\d\s.*]+);", text).group(1)
        value = 1.0
        for factor in expression.split("*"):
            value *= float(factor)
        values[name] = value
    return values


SDK = sdk_constants()


def classify_status(status: int) -> str:
    """The SDK's classifyStatus (sdk_js/src; 0: no answer)."""
    if 200 <= status < 300:
        return "ack"
    if status == 429:
        return "throttled"
    if status in (401, 403):
        return "fatal"
    if status == 415:
        return "bad_encoding"
    if status == 408:
        return "retry"
    if 400 <= status < 500:
        return "drop"
    return "retry"


def retry_delay_s(verdict: str, attempt: int, retry_after: Optional[str], rng: random.Random) -> float:
    """The SDK's retryDelayMs / backoffDelayMs (sdk_js/src), in seconds."""
    if verdict == "throttled" and retry_after and re.fullmatch(r"\d+(\.\d+)?", retry_after.strip()):
        return min(float(retry_after) * 1000, SDK["MAX_RETRY_AFTER_MS"]) / 1000
    ceiling = min(SDK["RETRY_MAX_DELAY_MS"], SDK["RETRY_BASE_DELAY_MS"] * 2 ** max(0, attempt))
    jitter = SDK["RETRY_JITTER_RATIO"]
    return (ceiling * (1 - jitter) + ceiling * jitter * rng.random()) / 1000


# --------------------------------------------------------------------------- corpus

@dataclass(frozen=True)
class Recording:
    """One corpus session, cut into SDK batches whose events carry their seq."""
    meta: bytes
    batches: tuple[bytes, ...]  # events JSON of each batch
    expected: tuple[list, ...]  # what the API must return for each seq (timestamp order, stable)


def load_corpus() -> list[Recording]:
    recordings = []
    for events in load_sessions():
        batches, expected = [], []
        for seq, batch in enumerate(batches_of(events)):
            marked = [{**event, MARK: seq} for event in batch]
            batches.append(orjson.dumps(marked))
            expected.append(sorted(marked, key=lambda event: event["timestamp"]))
        meta = {"url": events[0].get("data", {}).get("href", ""), "referrer": "", "user_agent": "bench/cluster",
                "viewport": {"w": 1280, "h": 800}, "sdk_version": "bench-cluster"}
        recordings.append(Recording(orjson.dumps(meta), tuple(batches), tuple(expected)))
    return recordings


def batch_body(session_id: str, seq: int, recording: Recording) -> bytes:
    return gzip.compress(b'{"session_id":"%s","window_id":"%s","seq":%d,"events":%s,"meta":%s}' % (
        session_id.encode(), WINDOW_ID.encode(), seq, recording.batches[seq], recording.meta), 6)


# --------------------------------------------------------------------------- paced SDK clients

@dataclass
class Batch:
    session_id: str
    seq: int
    events: int
    body: bytes
    attempt: int = 0


@dataclass
class Ledger:
    """What the clients sent and what the server acknowledged."""
    acked: dict = field(default_factory=dict)  # (session_id, seq) -> events
    sent: dict = field(default_factory=dict)  # (session_id, seq) -> events, every batch sent at least once
    recording_of: dict = field(default_factory=dict)  # session_id -> corpus index
    latencies: list = field(default_factory=list)  # (t, seconds, events) of requests answered 200
    failures: Counter = field(default_factory=Counter)  # "connection" | "timeout" | HTTP status
    failure_times: list = field(default_factory=list)
    dropped: Counter = field(default_factory=Counter)  # batches given up on a 4xx (status)
    duplicate_acks: int = 0  # 200 with duplicate: true (a retry of a stored batch)
    retried_batches: int = 0
    unsent_at_end: int = 0  # still queued when the drain time ran out
    crashed: list = field(default_factory=list)

    def merge(self, other: "Ledger") -> None:
        self.acked.update(other.acked)
        self.sent.update(other.sent)
        self.recording_of.update(other.recording_of)
        self.latencies += other.latencies
        self.failures.update(other.failures)
        self.failure_times += other.failure_times
        self.dropped.update(other.dropped)
        self.duplicate_acks += other.duplicate_acks
        self.retried_batches += other.retried_batches
        self.unsent_at_end += other.unsent_at_end
        self.crashed += other.crashed


class PacedClient(threading.Thread):
    """One browser tab: cuts a batch every 2 s and delivers them as the SDK's transport does."""

    def __init__(self, index: int, target: tuple[str, int], key: str, corpus: list[Recording], *, t0: float,
                 start_at: float, stop_at: float, drain_until: float, label: str) -> None:
        super().__init__(name=f"client-{label}-{index}", daemon=True)
        self.index, self.target, self.key, self.corpus = index, target, key, corpus
        self.t0, self.start_at, self.stop_at, self.drain_until = t0, start_at, stop_at, drain_until
        self.label = label
        self.rng = random.Random(f"{label}-{index}")
        self.ledger = Ledger()
        self.conn: Optional[http.client.HTTPConnection] = None
        self.headers = {"X-Replaydesk-Key": key, "Content-Encoding": "gzip", "Content-Type": "application/json"}

    def visits(self):
        """Batches of consecutive visitors of this tab, each replaying a corpus session."""
        visit = 0
        while True:
            number = self.index + visit * 7919  # a different recording for each visit
            recording = self.corpus[number % len(self.corpus)]
            session_id = f"{self.label}{self.index:04d}-{secrets.token_hex(8)}"
            self.ledger.recording_of[session_id] = number % len(self.corpus)
            for seq in range(len(recording.batches)):
                yield Batch(session_id, seq, len(recording.expected[seq]), batch_body(session_id, seq, recording))
            visit += 1

    def post(self, batch: Batch) -> tuple[int, Optional[str], Optional[dict], str]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(*self.target, timeout=SDK["REQUEST_TIMEOUT_MS"] / 1000)
        try:
            self.conn.request("POST", INGEST_PATH, body=batch.body, headers=self.headers)
            response = self.conn.getresponse()
            data = response.read()
            if response.will_close:
                self.conn.close()
                self.conn = None
        except (OSError, http.client.HTTPException) as error:
            self.conn.close()
            self.conn = None
            return 0, None, None, "timeout" if isinstance(error, TimeoutError) else "connection"
        answer = None
        if response.status == 200:
            with contextlib.suppress(ValueError):
                answer = orjson.loads(data)
        return response.status, response.getheader("Retry-After"), answer, str(response.status)

    def run(self) -> None:
        try:
            self._run()
        except Exception as error:  # noqa: BLE001 - reported in the JSON, never silent
            self.ledger.crashed.append(repr(error))
        finally:
            if self.conn is not None:
                self.conn.close()

    def _run(self) -> None:
        ledger, queue, batches = self.ledger, deque(), self.visits()
        time.sleep(max(0.0, self.start_at - time.monotonic()))
        next_cut, retry_at = time.monotonic(), 0.0
        while True:
            now = time.monotonic()
            cutting = now < self.stop_at
            if now >= self.drain_until or (not cutting and not queue):
                break
            if cutting and now >= next_cut:
                queue.append(next(batches))
                next_cut += FLUSH_MS / 1000
            if queue and now >= retry_at:
                batch = queue[0]
                ledger.sent[(batch.session_id, batch.seq)] = batch.events
                started = time.perf_counter()
                status, retry_after, answer, kind = self.post(batch)
                elapsed = time.perf_counter() - started
                verdict = classify_status(status)
                if verdict == "ack":
                    ledger.acked[(batch.session_id, batch.seq)] = batch.events
                    ledger.latencies.append((time.monotonic() - self.t0, elapsed, batch.events))
                    ledger.duplicate_acks += bool(answer and answer.get("duplicate"))
                    queue.popleft()
                elif verdict in ("retry", "throttled"):
                    ledger.failures[kind] += 1
                    ledger.failure_times.append(round(time.monotonic() - self.t0, 2))
                    ledger.retried_batches += batch.attempt == 0
                    retry_at = time.monotonic() + retry_delay_s(verdict, batch.attempt, retry_after, self.rng)
                    batch.attempt += 1
                else:  # drop / fatal: the SDK gives the batch up (415 cannot happen: the server takes gzip)
                    ledger.failures[kind] += 1
                    ledger.dropped[kind] += 1
                    queue.popleft()
                    if verdict == "fatal":
                        break
                continue
            wake = next_cut if cutting else self.drain_until
            if queue:
                wake = min(wake, retry_at)
            time.sleep(min(max(0.0, wake - time.monotonic()), max(0.0, self.drain_until - time.monotonic())))
        ledger.unsent_at_end = len(queue)


def run_paced_load(url: str, key: str, corpus: list[Recording], clients: int, seconds: float, *, drain_s: float,
                   label: str, during=None) -> tuple[Ledger, dict]:
    """`clients` paced tabs for `seconds` (starts spread over one flush interval), then up
    to `drain_s` for queued batches; `during(t0)` runs in this thread meanwhile."""
    host, port = url.removeprefix("http://").split(":")
    t0 = time.monotonic()
    stop_at = t0 + seconds
    threads = [PacedClient(index, (host, int(port)), key, corpus, t0=t0, label=label,
                           start_at=t0 + FLUSH_MS / 1000 * index / clients, stop_at=stop_at,
                           drain_until=stop_at + drain_s) for index in range(clients)]
    for thread in threads:
        thread.start()
    if during is not None:
        during(t0)
    for thread in threads:
        while thread.is_alive():  # bounded by the clients' drain time; short joins keep Ctrl-C working
            thread.join(0.5)
    elapsed = time.monotonic() - t0
    ledger = Ledger()
    for thread in threads:
        ledger.merge(thread.ledger)
    load_s = min(seconds, elapsed)
    in_load = [(s, n) for t, s, n in ledger.latencies if t <= seconds]
    return ledger, {
        "clients": clients, "seconds": seconds, "elapsed_s": round(elapsed, 1),
        "acknowledged": len(ledger.acked), "requests_answered_200": len(ledger.latencies),
        "batches_per_s": round(len(in_load) / load_s, 1),
        "events_per_s": round(sum(n for _, n in in_load) / load_s, 1),
        **latency_figures([s for _, s, _ in ledger.latencies]),
        "failed_requests": dict(ledger.failures),
        "failed_between_s": [min(ledger.failure_times), max(ledger.failure_times)] if ledger.failure_times else None,
        "retried_batches": ledger.retried_batches,
        "dropped_batches": dict(ledger.dropped), "unsent_at_end": ledger.unsent_at_end,
        "duplicate_acks": ledger.duplicate_acks, "client_crashes": ledger.crashed[:5],
    }


def latency_figures(seconds: list[float]) -> dict:
    if not seconds:
        return {"p50_ms": None, "p99_ms": None, "max_ms": None}
    ordered = sorted(seconds)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


# --------------------------------------------------------------------------- processes

def cpu_snapshot() -> dict:
    """CPU ticks so far: the machine's busy total, and per process (group, command, ticks)."""
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:9]]
    processes = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            text = stat.read_text()
            fields = text[text.rindex(")") + 2:].split()
            processes[int(stat.parent.name)] = (int(fields[2]), text[text.index("(") + 1:text.rindex(")")],
                                                int(fields[11]) + int(fields[12]))
    return {"t": time.monotonic(), "busy": sum(values) - values[3] - values[4], "processes": processes}


def cpu_split(before: dict, after: dict, ours: dict[str, list[int]]) -> dict:
    """Cores used between two snapshots: ours by role (process groups), PostgreSQL, Redis,
    this load generator, and everything else on the machine (other people's work).
    Processes that ended in between are missing from the roles (their time counts as other)."""
    per_s = os.sysconf("SC_CLK_TCK") * (after["t"] - before["t"])
    role_of = {pgid: role for role, pgids in ours.items() for pgid in pgids}
    cores = Counter({role: 0.0 for role in ours})
    for pid, (pgid, name, ticks) in after["processes"].items():
        earlier = before["processes"].get(pid)
        used = ticks - (earlier[2] if earlier and earlier[1] == name else 0)
        if pid == os.getpid():
            role = "load_generator"
        elif pgid in role_of:
            role = role_of[pgid]
        elif name in ("postgres", "redis-server"):
            role = {"postgres": "postgresql", "redis-server": "redis"}[name]
        else:
            continue
        cores[role] += max(0, used) / per_s
    machine = (after["busy"] - before["busy"]) / per_s
    cores["other_processes"] = max(0.0, machine - sum(cores.values()))
    return {"machine_busy": round(machine, 2), **{name: round(value, 2) for name, value in cores.items()}}


def stop_group(process: Optional[subprocess.Popen], timeout: float = 15.0) -> None:
    """SIGTERM the process group, SIGKILL what is left after `timeout`."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


class WebProcess(ServerProcess):
    """`replaydesk serve --workers 1 --no-worker`: analyses run on the separate workers.
    (ServerProcess.start runs `serve` with its own job worker.)"""

    def start(self) -> "WebProcess":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [str(BIN), "serve", "--host", HOST, "--port", str(self.port), "--workers", "1", "--no-worker"],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited: {self.log_path.read_text()[-2000:]}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/healthz", timeout=5).status_code == 200:
                    return self
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"serve did not answer /healthz in {START_TIMEOUT}s")


class JobWorker:
    """`replaydesk worker` (RQ) in its own process group."""

    def __init__(self, name: str, env: dict, data_dir: Path) -> None:
        self.name, self.env = name, env
        self.log_path = data_dir / f"{name}.log"
        self.process: Optional[subprocess.Popen] = None

    def start(self) -> "JobWorker":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([str(BIN), "worker"], env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        stop_group(self.process)


def wait_for_workers(redis_url: str, queue_name: str, workers: list[JobWorker], timeout: float = 60.0) -> float:
    """Seconds until the RQ workers listen on the queue."""
    from redis import Redis
    from rq import Queue, Worker

    connection = Redis.from_url(redis_url)
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        for worker in workers:
            if worker.process.poll() is not None:
                raise RuntimeError(f"{worker.name} exited: {worker.log_path.read_text()[-1000:]}")
        if Worker.count(queue=Queue(queue_name, connection=connection)) >= len(workers):
            return time.monotonic() - started
        time.sleep(0.2)
    raise RuntimeError(f"{len(workers)} workers did not register on {queue_name} in {timeout}s")


class QueueWatch(threading.Thread):
    """Samples the RQ queue every 2 s: how long it grew, and what waited in it at the end."""

    def __init__(self, redis_url: str, queue_name: str) -> None:
        super().__init__(name="queue-watch", daemon=True)
        from redis import Redis
        from rq import Queue

        self.queue = Queue(queue_name, connection=Redis.from_url(redis_url))
        self.stopping = threading.Event()
        self.longest = 0
        self.start()

    def run(self) -> None:
        while not self.stopping.wait(2.0):
            with contextlib.suppress(Exception):
                self.longest = max(self.longest, self.queue.count)

    def stop(self) -> dict:
        self.stopping.set()
        self.join(5)
        kinds = Counter(job.args[0] for job in self.queue.get_jobs(0, 100_000) if job is not None and job.args)
        return {"longest": self.longest, "waiting_at_load_end": dict(kinds)}


def wait_listening(port: int, process: subprocess.Popen, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port} in {timeout}s")


# --------------------------------------------------------------------------- infrastructure

@contextlib.contextmanager
def postgres_database():
    """A fresh database replaydesk_cluster_<random>, dropped at the end."""
    import psycopg

    name = f"replaydesk_cluster_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def redis_database():
    """The first empty Redis db of REDIS_DBS, marked as ours, flushed at the end."""
    from redis import Redis

    token = secrets.token_hex(8)
    for number in REDIS_DBS:
        client = Redis.from_url(f"{REDIS_BASE}/{number}")
        if client.dbsize() == 0 and client.set("replaydesk-cluster:owner", token, nx=True):
            break
    else:
        raise RuntimeError(f"no empty Redis db among {REDIS_DBS}")
    try:
        yield number, f"{REDIS_BASE}/{number}"
    finally:
        if client.get("replaydesk-cluster:owner") == token.encode():
            client.flushdb()
        client.close()


@contextlib.contextmanager
def moto_s3(data_dir: Path, bucket: str):
    """moto's S3 server on a free port with `bucket` created; bucket and server removed at the end."""
    import boto3

    port = free_port()
    with open(data_dir / "moto.log", "ab") as log:
        process = subprocess.Popen([str(BIN.parent / "moto_server"), "-H", HOST, "-p", str(port)],
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_listening(port, process, "moto_server")
        endpoint = f"http://{HOST}:{port}"
        s3 = boto3.client("s3", endpoint_url=endpoint)
        s3.create_bucket(Bucket=bucket)
        try:
            yield endpoint, s3, process
        finally:
            with contextlib.suppress(Exception):
                for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
                    keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
                    if keys:
                        s3.delete_objects(Bucket=bucket, Delete={"Objects": keys})
                s3.delete_bucket(Bucket=bucket)
    finally:
        stop_group(process, 5)


def haproxy_config(frontend_port: int, stats_port: int, backends: list[int]) -> str:
    servers = "\n".join(f"    server web{n} {HOST}:{port} check" for n, port in enumerate(backends))
    return f"""global
    maxconn 4096

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 30s
    timeout check 5s
    # Socket.IO's WebSocket: an open tunnel may stay quiet for long
    timeout tunnel 1h
    # a dead backend: try again (3 times), on another server
    retries 3
    option redispatch 1
    # also after the request was sent (ingest is idempotent on (session, window, seq)),
    # when it fits the buffer; otherwise the SDK retries
    retry-on conn-failure empty-response response-timeout

frontend replaydesk
    bind {HOST}:{frontend_port}
    default_backend web

backend web
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz
    http-check expect status 200
    # a killed process refuses the check at once (down in ~3 s); a busy one gets 5 s to answer
    default-server inter 1s fall 3 rise 2
{servers}

listen stats
    bind {HOST}:{stats_port}
    stats enable
    stats uri /stats
"""


@contextlib.contextmanager
def haproxy(data_dir: Path, port: int, backends: list[int]):
    stats_port = free_port()
    config = data_dir / "haproxy.cfg"
    config.write_text(haproxy_config(port, stats_port, backends))
    check = subprocess.run(["haproxy", "-c", "-f", str(config)], capture_output=True, text=True, timeout=30)
    if check.returncode != 0:
        raise RuntimeError(f"haproxy config: {check.stdout}{check.stderr}")
    with open(data_dir / "haproxy.log", "ab") as log:
        process = subprocess.Popen(["haproxy", "-db", "-f", str(config)], stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        wait_listening(port, process, "haproxy")
        url = f"http://{HOST}:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # health checks mark the servers up (rise 2)
            if all(row["status"] == "UP" for row in haproxy_stats(stats_port) if row["svname"].startswith("web")):
                break
            time.sleep(0.2)
        yield url, stats_port, process
    finally:
        stop_group(process, 5)


def haproxy_stats(stats_port: int) -> list[dict]:
    text = requests.get(f"http://{HOST}:{stats_port}/stats;csv", timeout=5).text
    header, *rows = [line for line in text.splitlines() if line]
    names = header.lstrip("# ").split(",")
    return [dict(zip(names, row.split(","))) for row in rows]


def balancer_figures(stats_port: int) -> dict:
    rows = {row["svname"]: row for row in haproxy_stats(stats_port) if row["pxname"] == "web"}
    number = lambda value: int(value) if value.isdigit() else 0  # noqa: E731
    return {
        "retries": number(rows["BACKEND"]["wretr"]), "redispatches": number(rows["BACKEND"]["wredis"]),
        "answered_5xx_to_clients": number(rows["BACKEND"]["hrsp_5xx"]),
        "servers": {name: {"requests": number(row["stot"]), "down_transitions": number(row["chkdown"]),
                           "status": row["status"], "connection_errors": number(row["econ"]),
                           "response_errors": number(row["eresp"])}
                    for name, row in rows.items() if name.startswith("web")},
    }


# --------------------------------------------------------------------------- live room across processes

class TimedObserver(Observer):
    """tests/e2e/test_live_redis.Observer that notes when each `events` message arrived and,
    as the review UI does (review_ui/src/live/room.js), joins again after a reconnect."""

    def __init__(self, url: str, cookie: str, session_id: str) -> None:
        self.arrivals: list[tuple[float, int]] = []
        self.session_id, self.reconnects, self.joins = session_id, 0, []
        super().__init__(url, cookie)
        self.client.on("connect", lambda: threading.Thread(target=self.join, daemon=True).start(), namespace="/live")
        self.client.on("disconnect", self._on_disconnect, namespace="/live")

    def _on_disconnect(self, *_) -> None:
        self.reconnects += 1

    def _on_events(self, message: dict) -> None:
        self.arrivals.append((time.monotonic(), len(message["events"])))
        super()._on_events(message)

    def join(self) -> dict:
        answer = self.call("join", {"session_id": self.session_id})
        self.joins.append(bool(answer.get("ok")))
        return answer


def live_check(observer_url: str, participant_url: str, key: str, recording: Recording, *, t0: float,
               batches: int = 8) -> dict:
    """Observer on one address, participant batches to another: delay from the start of the
    participant's POST to the observer's `events` message (`after_answer_ms`: from its answer)."""
    session_id = f"live-{secrets.token_hex(8)}"
    headers = {"X-Replaydesk-Key": key, "Content-Encoding": "gzip", "Content-Type": "application/json"}
    rng, retries = random.Random(session_id), Counter()

    def send(seq: int) -> dict:
        """One batch, retried as the SDK retries (a bounded number of times here)."""
        for attempt in range(6):
            try:
                response = requests.post(f"{participant_url}{INGEST_PATH}", headers=headers,
                                         data=batch_body(session_id, seq, recording),
                                         timeout=SDK["REQUEST_TIMEOUT_MS"] / 1000)
                status = response.status_code
            except requests.RequestException:
                status = 0
            verdict = classify_status(status)
            if verdict == "ack":
                return response.json()
            if verdict not in ("retry", "throttled") or attempt == 5:
                raise RuntimeError(f"batch {seq} refused: HTTP {status}")
            retries[status] += 1
            time.sleep(retry_delay_s(verdict, attempt, response.headers.get("Retry-After") if status else None, rng))
        raise AssertionError("unreachable")

    result: dict = {"observer": observer_url, "participant": participant_url, "at_s": round(time.monotonic() - t0, 1)}
    send(0)
    observer = TimedObserver(observer_url, signed_in_cookie(observer_url, *REVIEWER), session_id)
    try:
        joined = observer.join()
        if not joined.get("ok"):
            return {**result, "error": f"join refused: {joined}", "ok": False}
        rows, heartbeat_at = [], time.monotonic()
        for seq in range(1, min(batches + 1, len(recording.batches))):
            if time.monotonic() - heartbeat_at > 10:  # as the review UI: keeps ingest answering live
                observer.call("heartbeat", {"session_id": session_id})
                heartbeat_at = time.monotonic()
            before = len(observer.arrivals)
            started = time.monotonic()
            answer = send(seq)
            posted = time.monotonic()
            while len(observer.arrivals) == before and time.monotonic() < started + 3 * LIVE_LIMIT_MS / 1000:
                time.sleep(0.002)
            arrived = observer.arrivals[before][0] if len(observer.arrivals) > before else None
            rows.append({"post_ms": round((posted - started) * 1000, 1), "live": answer["live"],
                         "delay_ms": round((arrived - started) * 1000, 1) if arrived else None,
                         "after_answer_ms": round((arrived - posted) * 1000, 1) if arrived else None})
            time.sleep(0.5)  # the SDK flushes every 500 ms while someone watches
        time.sleep(0.5)
        sent = sum(len(recording.expected[seq]) for seq in range(1, len(rows) + 1))
        received = sum(n for _, n in observer.arrivals)
        delays = [row["delay_ms"] for row in rows]
        return {**result, "batches": len(rows), "events_sent": sent, "events_received": received,
                "answered_live": all(row["live"] for row in rows), "delays_ms": delays,
                "post_ms": [row["post_ms"] for row in rows],
                "after_answer_ms": [row["after_answer_ms"] for row in rows],
                "participant_retries": dict(retries), "reconnects": observer.reconnects,
                "max_ms": max(delays) if None not in delays else None,
                "ok": None not in delays and max(delays) < LIVE_LIMIT_MS and received == sent
                and all(row["live"] for row in rows)}
    finally:
        observer.client.disconnect()


# --------------------------------------------------------------------------- verification

class ReviewApi:
    def __init__(self, url: str, token: str) -> None:
        self.url, self.headers = url, {"Authorization": f"Bearer {token}"}
        self.local = threading.local()

    def get(self, path: str, **kwargs) -> requests.Response:
        if not hasattr(self.local, "http"):
            self.local.http = requests.Session()
        for attempt in range(5):  # through the balancer: a transient 5xx is retried, a 404 is an answer
            try:
                response = self.local.http.get(f"{self.url}{path}", headers=self.headers, timeout=60, **kwargs)
                if response.status_code < 500:
                    return response
            except requests.RequestException:
                if attempt == 4:
                    raise
            time.sleep(1)
        return response


def verify_events(api: ReviewApi, ledger: Ledger, corpus: list[Recording]) -> dict:
    """Each batch sent, as the API returns its session: stored once and unchanged?"""
    by_session: dict[str, list[int]] = defaultdict(list)
    for session_id, seq in ledger.sent:
        by_session[session_id].append(seq)

    def check(session_id: str) -> Counter:
        outcome = Counter()
        response = api.get(f"/api/v1/sessions/{session_id}/events")
        events = orjson.loads(response.content) if response.status_code == 200 else []
        if response.status_code not in (200, 404):
            outcome["api_errors"] += 1
        outcome["events_returned"] += len(events)
        got: dict = defaultdict(list)
        for event in events:
            got[event.get(MARK)].append(event)
        recording = corpus[ledger.recording_of[session_id]]
        for seq in by_session[session_id]:
            acked = (session_id, seq) in ledger.acked
            found, expected = got.pop(seq, []), recording.expected[seq]
            if not found:
                outcome["lost" if acked else "unacknowledged_not_stored"] += 1
            elif found == expected:
                outcome["stored" if acked else "stored_unacknowledged"] += 1
            elif len(found) > len(expected):
                outcome["duplicated"] += 1
            else:
                outcome["altered"] += 1
        outcome["foreign_events"] += sum(len(rest) for rest in got.values())
        return outcome

    totals = Counter()
    with ThreadPoolExecutor(8) as pool:
        for outcome in pool.map(check, sorted(by_session)):
            totals.update(outcome)
    return totals


def verify_database(database_name: str, ledger: Ledger) -> dict:
    """PostgreSQL's side: a receipt for every acknowledged batch, one chunk per (session, seq)."""
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{database_name}") as conn:
        receipts = {(sid, seq) for sid, seq in conn.execute("SELECT session_id, seq FROM batch_receipts")}
        chunks = conn.execute("SELECT session_id, blob_key, form FROM event_chunks WHERE session_id NOT LIKE 'live-%'"
                              ).fetchall()
        sessions, events, stored, raw = conn.execute(
            "SELECT count(*), coalesce(sum(event_count), 0), coalesce(sum(stored_bytes), 0), "
            "coalesce(sum(raw_bytes), 0) FROM sessions WHERE id NOT LIKE 'live-%'").fetchone()
    per_batch = Counter()
    for session_id, blob_key, form in chunks:
        match = re.search(r"/b-(.+)-(\d+)-[0-9a-f]{8}\.zst$", blob_key)
        if form == "batch" and match:
            per_batch[(session_id, int(match.group(2)))] += 1
    return {
        "acknowledged_without_receipt": len(set(ledger.acked) - receipts),
        "batches_with_several_chunks": sum(1 for n in per_batch.values() if n > 1),
        "chunks": len(chunks), "sessions": sessions, "events": int(events),
        "stored_bytes": int(stored), "raw_bytes": int(raw), "blob_keys": {key for _, key, _ in chunks},
    }


def wait_for_analysis(api: ReviewApi, session_ids: list[str], timeout: float, database_name: str) -> dict:
    """Poll each session until `analysis.status == "done"`. Also counts, 30 s in, the
    sessions under a claim's lease (server/jobs/due.py LEASE_MS): queued, running, or
    lost with a killed process (then they wait for the lease to end)."""
    import psycopg

    started = time.monotonic()
    pending, details, done_after = set(session_ids), {}, []
    held = None
    with ThreadPoolExecutor(8) as pool:
        while pending and time.monotonic() - started < timeout:
            ids = sorted(pending)
            for session_id, response in zip(ids, pool.map(lambda s: api.get(f"/api/v1/sessions/{s}"), ids)):
                if response.status_code == 200 and response.json()["analysis"]["status"] == "done":
                    details[session_id] = response.json()
                    pending.discard(session_id)
                    done_after.append(time.monotonic() - started)
            if held is None and time.monotonic() - started > 30:
                with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{database_name}") as conn:
                    held = [row[0] for row in conn.execute("SELECT id FROM sessions WHERE analysis_due_at > %s",
                                                           (int(time.time() * 1000) + 60_000,))]
            if pending:
                time.sleep(2)
    done_after.sort()
    return {"sessions": len(session_ids), "analysed": len(details), "pending": sorted(pending)[:10],
            "seconds_after_load": {"p50": round(statistics.median(done_after), 1) if done_after else None,
                                   "p99": round(done_after[int(len(done_after) * 0.99)], 1) if done_after else None,
                                   "last": round(done_after[-1], 1) if done_after else None},
            "done_later_than_60s": sum(1 for t in done_after if t > 60),
            "leased_at_30s": len(held or ()), "leased_ids": (held or [])[:20],
            "stored_bytes": sum(d["stored_bytes"] for d in details.values()),
            "raw_bytes": sum(d["raw_bytes"] for d in details.values())}


def rq_leftovers(cluster: "Cluster", leased: list[str]) -> dict:
    """Jobs RQ still lists as started or failed (a worker killed mid-job leaves its job
    there; RQ does not run it again) and which of them held the sessions still leased."""
    from redis import Redis
    from rq import Queue
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    queue = Queue(cluster.queue_name, connection=Redis.from_url(cluster.redis_url))
    found = {}
    for name, registry in (("started", StartedJobRegistry(queue=queue)), ("failed", FailedJobRegistry(queue=queue))):
        jobs = [queue.fetch_job(job_id) for job_id in registry.get_job_ids()]
        found[name] = [{"job": job.args[0], "session_id": job.args[1], "holds_a_leased_session": job.args[1] in leased}
                       for job in jobs if job is not None and len(job.args) >= 2]
    return found


def s3_figures(s3, bucket: str, prefix: str, blob_keys: set) -> dict:
    """Objects of the load's sessions: batch blobs (with or without a chunk row), asset scans, other."""
    kinds, sizes = Counter(), Counter()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{prefix}/"):
        for item in page.get("Contents", []):
            key = item["Key"][len(prefix) + 1:]
            if key.startswith("sessions/live-"):  # the live checks' sessions are not part of the load
                continue
            if re.fullmatch(r"sessions/[^/]+/b-.+\.zst", key):
                kind = "batch_blobs" if key in blob_keys else "batch_blobs_without_chunk_row"
            elif key.endswith("/assets.json"):
                kind = "asset_scans"
            else:
                kind = "other"
            kinds[kind] += 1
            sizes[kind] += item["Size"]
    return {"objects": dict(kinds), "bytes": dict(sizes)}


def log_errors(data_dir: Path) -> dict:
    """Tracebacks each process wrote to its log (gunicorn, workers, moto, haproxy)."""
    found = {}
    for log in sorted(data_dir.glob("*.log")):
        text = log.read_text(errors="replace")
        count = text.count("Traceback (most recent call last)")
        if count:
            last = text[text.rfind("Traceback (most recent call last)"):]
            found[log.stem] = {"tracebacks": count, "last": last.strip().splitlines()[-1][:300]}
    return found


# --------------------------------------------------------------------------- the run

@dataclass
class Cluster:
    data_dir: Path
    env: dict
    webs: list
    workers: list
    seed: object = None
    balancer_url: str = ""
    stats_port: int = 0
    database_name: str = ""
    s3: object = None
    bucket: str = ""
    prefix: str = "events"
    redis_url: str = ""
    queue_name: str = ""
    pgids: dict = field(default_factory=lambda: defaultdict(set))  # role -> process groups, past ones too

    def note_groups(self) -> dict[str, list[int]]:
        self.pgids["web_processes"].update(w.process.pid for w in self.webs if w.process)
        self.pgids["job_workers"].update(w.process.pid for w in self.workers if w.process)
        return {role: sorted(groups) for role, groups in self.pgids.items()}


def start_cluster(stack: contextlib.ExitStack, data_dir: Path, results: dict, analysis_quiet: str = "5s") -> Cluster:
    database_name, database_url = stack.enter_context(postgres_database())
    redis_db, redis_url = stack.enter_context(redis_database())
    bucket = f"replaydesk-cluster-{secrets.token_hex(4)}"
    s3_endpoint, s3, moto = stack.enter_context(moto_s3(data_dir, bucket))
    queue_name = f"replaydesk-cluster-{secrets.token_hex(4)}"
    web_ports, balancer_port = [free_port() for _ in range(3)], free_port()
    env = {
        "REPLAYDESK_DATABASE_URL": database_url,
        "REPLAYDESK_BLOB_URL": f"s3://{bucket}/events",
        "REPLAYDESK_S3_ENDPOINT": s3_endpoint,
        **AWS_DUMMY,
        "REPLAYDESK_REDIS_URL": redis_url,
        "REPLAYDESK_JOB_QUEUE": queue_name,
        "REPLAYDESK_SECRET_KEY": secrets.token_urlsafe(32),  # the same on every process
        "REPLAYDESK_PUBLIC_URL": f"http://{HOST}:{balancer_port}",
        "REPLAYDESK_ANALYSIS_QUIET": analysis_quiet,
        # one project key for every client: the per-key limit would measure itself
        "REPLAYDESK_INGEST_RATE_LIMIT": "1000000/second",
    }
    webs = [WebProcess(data_dir, env=env, port=port) for port in web_ports]
    cluster = Cluster(data_dir, webs[0].env, webs, [], database_name=database_name, s3=s3, bucket=bucket,
                      redis_url=redis_url, queue_name=queue_name)
    cluster.pgids["s3_server"].add(moto.pid)
    cluster.seed = webs[0].seed("cluster", users=[REVIEWER])
    for web in webs:
        stack.callback(web.stop)
        web.start()
    cluster.workers = [JobWorker(f"worker-{n}", cluster.env, data_dir) for n in range(2)]
    for worker in cluster.workers:
        stack.callback(worker.stop)
        worker.start()
    wait_for_workers(redis_url, queue_name, cluster.workers)
    balanced = stack.enter_context(haproxy(data_dir, balancer_port, web_ports))
    cluster.balancer_url, cluster.stats_port, balancer = balanced
    cluster.pgids["balancer"].add(balancer.pid)
    version = subprocess.run(["haproxy", "-v"], capture_output=True, text=True, timeout=10).stdout.split(" - ")[0]
    results["layout"] = {
        "balancer": f"{version}: roundrobin, health check GET /healthz, retries 3 + redispatch, timeout tunnel 1h",
        "web_processes": "3 × `replaydesk serve --workers 1 --no-worker` (gunicorn, 32 threads each)",
        "job_workers": "2 × `replaydesk worker`",
        "database": f"PostgreSQL 127.0.0.1:5432/{database_name}",
        "blobs": f"s3://{bucket}/events on moto_server (in-memory S3)",
        "redis": f"127.0.0.1:6379/{redis_db}, job queue {queue_name}",
        "analysis_quiet": analysis_quiet,
    }
    print(f"cluster up: balancer {cluster.balancer_url}, web {web_ports}", file=sys.stderr)
    return cluster


def cluster_load(cluster: Cluster, corpus: list[Recording], args) -> tuple[Ledger, dict]:
    """The paced load through the balancer; live checks early on, faults mid-run."""
    kill_at = args.kill_after if args.kill_after is not None else args.seconds * 0.5
    faults: list[dict] = []
    live: dict = {}
    web_a, web_b, victim = cluster.webs
    victim_worker = cluster.workers[0]

    def run_live(t0: float, observer_url: str, participant_url: str) -> dict:
        try:
            return live_check(observer_url, participant_url, cluster.seed.key, corpus[0], t0=t0)
        except Exception as error:  # noqa: BLE001 - reported
            return {"observer": observer_url, "participant": participant_url, "error": repr(error), "ok": False}

    def during(t0: float) -> None:
        def at(seconds: float) -> None:
            time.sleep(max(0.0, t0 + seconds - time.monotonic()))

        def now() -> float:
            return round(time.monotonic() - t0, 1)

        live_thread = threading.Thread(daemon=True, target=lambda: live.update(
            observer_on_A_participant_on_B=run_live(t0, web_a.url, web_b.url),
            both_through_balancer=run_live(t0, cluster.balancer_url, cluster.balancer_url)))
        at(min(5.0, kill_at / 2))
        live_thread.start()
        at(kill_at)
        victim.kill()
        faults.append({"what": f"SIGKILL web process :{victim.port} (its process group)", "at_s": now()})
        at(kill_at + 1.0)
        victim_worker.kill()
        faults.append({"what": "SIGKILL job worker 0", "at_s": now()})
        at(kill_at + args.down_seconds)
        victim.start()  # waits for /healthz
        faults[0]["restarted_answering_at_s"] = now()
        at(kill_at + 1.0 + args.down_seconds)
        victim_worker.start()
        faults[1]["restarted_at_s"] = now()
        cluster.note_groups()
        while live_thread.is_alive() and time.monotonic() < t0 + args.seconds + 60:
            live_thread.join(0.5)

    print(f"cluster load: {args.clients} clients for {args.seconds:.0f} s", file=sys.stderr)
    before = cpu_snapshot()
    queue = QueueWatch(cluster.redis_url, cluster.queue_name)
    ledger, load = run_paced_load(cluster.balancer_url, cluster.seed.key, corpus, args.clients, args.seconds,
                                  drain_s=60.0, label="c", during=during)
    load["job_queue"] = queue.stop()
    load["cpu_cores"] = cpu_split(before, cpu_snapshot(), cluster.note_groups())
    fault_window = (kill_at, kill_at + args.down_seconds + 10)
    load["outside_fault_window"] = latency_figures(
        [s for t, s, _ in ledger.latencies if not fault_window[0] <= t <= fault_window[1]])
    load["faults"] = faults
    load["live"] = live
    return ledger, load


def verify(cluster: Cluster, ledger: Ledger, corpus: list[Recording], args) -> dict:
    api = ReviewApi(cluster.balancer_url, cluster.seed.token)
    acked_sessions = sorted({sid for sid, _ in ledger.acked})
    print(f"verifying {len(ledger.acked)} acknowledged batches of {len(acked_sessions)} sessions", file=sys.stderr)
    before = cpu_snapshot()
    analysis = wait_for_analysis(api, acked_sessions, args.analysis_timeout, cluster.database_name)
    analysis["cpu_cores"] = cpu_split(before, cpu_snapshot(), cluster.note_groups())
    analysis["jobs_left_in_rq"] = rq_leftovers(cluster, analysis.pop("leased_ids"))
    outcome = verify_events(api, ledger, corpus)
    database = verify_database(cluster.database_name, ledger)
    storage = s3_figures(cluster.s3, cluster.bucket, cluster.prefix, database.pop("blob_keys"))
    return {
        "acknowledged": len(ledger.acked),
        "acknowledged_events": sum(ledger.acked.values()),
        "stored": outcome["stored"],
        "lost": outcome["lost"] + database["acknowledged_without_receipt"],
        "duplicated": outcome["duplicated"] + database["batches_with_several_chunks"],
        "altered": outcome["altered"] + outcome["foreign_events"],
        "stored_unacknowledged": outcome["stored_unacknowledged"],
        "sent_never_acknowledged_not_stored": outcome["unacknowledged_not_stored"],
        "review_api_errors": outcome["api_errors"],
        "sessions": len(acked_sessions),
        "analysed": analysis["analysed"],
        "analysis": {k: v for k, v in analysis.items()
                     if k not in ("sessions", "analysed", "stored_bytes", "raw_bytes")},
        "stored_bytes": analysis["stored_bytes"], "raw_bytes": analysis["raw_bytes"],
        "database": database, "s3": storage,
    }


def single_process(cluster: Cluster, corpus: list[Recording], args) -> dict:
    """Paced clients straight to one web process, more at each step, until p99 or errors give."""
    for worker in cluster.workers:  # their analyses would share the cores with the process measured
        worker.stop()
    target = cluster.webs[0]
    steps, sustained = [], 0
    for clients in [int(n) for n in args.steps.split(",") if n.strip()]:
        for attempt in (1, 2):  # a step fails when it fails twice: other work on the machine comes and goes
            print(f"one process: {clients} clients (attempt {attempt})", file=sys.stderr)
            before = cpu_snapshot()
            step_ledger, row = run_paced_load(target.url, cluster.seed.key, corpus, clients, args.step_seconds,
                                              drain_s=10.0, label=f"p{clients}-{attempt}-")
            cpu = cpu_split(before, cpu_snapshot(), {"web_process": [target.process.pid],
                                                     "s3_server": sorted(cluster.pgids["s3_server"])})
            errors = sum(step_ledger.failures.values()) + step_ledger.unsent_at_end + len(step_ledger.crashed)
            paced_rate = clients / (FLUSH_MS / 1000)
            ok = (errors == 0 and row["p99_ms"] is not None and row["p99_ms"] <= args.p99_limit_ms
                  and row["batches_per_s"] >= 0.9 * paced_rate)
            steps.append({**{k: row[k] for k in ("clients", "batches_per_s", "p50_ms", "p99_ms", "max_ms",
                                                "failed_requests")}, "cpu_cores": cpu, "sustained": ok})
            print(json.dumps(steps[-1]), file=sys.stderr)
            time.sleep(3)
            if ok:
                break
        if not ok:
            break
        sustained = clients
    cores = os.cpu_count() or 1
    return {
        "target": "one `replaydesk serve --workers 1` process, no balancer, job workers stopped",
        "step_seconds": args.step_seconds,
        "criterion": f"p99 ≤ {args.p99_limit_ms:.0f} ms, no failed request, ≥ 90 % of the paced rate "
                     "(a step that misses it is run once more)",
        "steps": steps,
        "sustained_clients": sustained,
        "sustained_batches_per_s": sustained / (FLUSH_MS / 1000),
        "sustained_clients_per_core": round(sustained / cores, 1),
        "note": f"clients = sessions recorded at once (a batch every 2 s each); the machine's {cores} cores are "
                "shared by the web process, PostgreSQL, the S3 server, the load generator and whatever else runs "
                "(cpu_cores.other_processes)",
    }


def tree_state() -> dict:
    """Which code ran: HEAD, and whether server/ had uncommitted changes (a shared checkout)."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, timeout=30)
        return done.stdout.strip()

    import server
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "server_files_uncommitted": len(git("status", "--porcelain", "--", "server").splitlines()),
            "server_package": str(Path(server.__file__).parent)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=100, help="paced SDK clients through the balancer")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long the cluster load runs")
    parser.add_argument("--kill-after", type=float, default=None, help="seconds into the load (default: half way)")
    parser.add_argument("--down-seconds", type=float, default=5.0, help="how long the killed processes stay down")
    parser.add_argument("--analysis-timeout", type=float, default=400.0,
                        help="wait for every analysis (a claim lost with a killed process waits out its 5-min lease)")
    parser.add_argument("--steps", default="50,100,150,200,250,300,400,500,600,800",
                        help="concurrent clients tried against one web process, in order ('' skips this part)")
    parser.add_argument("--step-seconds", type=float, default=12.0)
    parser.add_argument("--p99-limit-ms", type=float, default=250.0)
    parser.add_argument("--max-minutes", type=float, default=20.0, help="hard stop (everything is cleaned up)")
    args = parser.parse_args()

    main_thread = threading.main_thread().ident
    watchdog = threading.Timer(args.max_minutes * 60, lambda: signal.pthread_kill(main_thread, signal.SIGINT))
    watchdog.daemon = True
    watchdog.start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    os.environ.update(AWS_DUMMY)  # boto3 here (the bucket, seeding) and in every child process
    started = time.monotonic()
    corpus = load_corpus()
    results: dict = {"cores": os.cpu_count(), "loadavg_at_start": os.getloadavg()[0], **tree_state()}
    failures: list[str] = []
    data_dir = Path(tempfile.mkdtemp(prefix="replaydesk-cluster-"))
    cluster: Optional[Cluster] = None
    try:
        with contextlib.ExitStack() as stack:
            cluster = start_cluster(stack, data_dir, results)
            ledger, load = cluster_load(cluster, corpus, args)
            results["cluster_load"] = load
            results["balancer"] = balancer_figures(cluster.stats_port)
            print(json.dumps({k: v for k, v in load.items() if k != "live"}), file=sys.stderr)
            results.update(verify(cluster, ledger, corpus, args))
            live = load["live"]
            results.update({
                "batches_per_s": load["batches_per_s"], "p50_ms": load["p50_ms"], "p99_ms": load["p99_ms"],
                "errors": {"failed_requests_retried": sum(ledger.failures.values()),
                           "batches_dropped": sum(ledger.dropped.values()),
                           "batches_unsent_at_end": ledger.unsent_at_end, "client_crashes": len(ledger.crashed)},
                "live_delay_ms": {name: check.get("max_ms") for name, check in live.items()},
            })
            checks = {
                "nothing lost": results["lost"] == 0,
                "nothing duplicated": results["duplicated"] == 0,
                "nothing altered": results["altered"] == 0,
                "every batch delivered": not (ledger.unsent_at_end or ledger.dropped or ledger.crashed),
                "every session analysed": results["analysed"] == results["sessions"],
                "live across processes under 2 s": len(live) == 2 and all(c.get("ok") for c in live.values()),
                "review API answered": results["review_api_errors"] == 0,
            }
            failures += [name for name, ok in checks.items() if not ok]
            print(json.dumps({k: results[k] for k in ("acknowledged", "stored", "lost", "duplicated", "analysed")}),
                  file=sys.stderr)
            if args.steps.strip():
                results["single_process"] = single_process(cluster, corpus, args)
            results["server_log_errors"] = log_errors(data_dir)
    except BaseException as error:  # noqa: BLE001 - cleaned up below, reported in the JSON
        traceback.print_exc()
        results["error"] = repr(error)
        failures.append(f"run stopped: {error!r}")
        with contextlib.suppress(Exception):
            results["server_log_errors"] = log_errors(data_dir)
    finally:
        if cluster is not None:  # whatever the ExitStack did not reach
            for process in [*cluster.webs, *cluster.workers]:
                with contextlib.suppress(Exception):
                    process.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
        watchdog.cancel()
    results["run_seconds"] = round(time.monotonic() - started)
    results["failures"] = failures
    results["ok"] = not failures
    print(json.dumps(results, indent=2))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
