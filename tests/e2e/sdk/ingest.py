"""What the browser sent and what the server stored.

`IngestTap` decodes every ingest batch the SDK sent, so a test can compare the stored
stream with what left the page, event for event. It has two sources: the browser
context's request events (fetch, retries and failed attempts included) and the copies
pages/tap.js keeps of beacons (Chromium does not show DevTools the beacons a page sends
while it unloads, which are exactly the batches page hide delivers).
`stored_events()` / `sessions()` read the review API with the reviewer token.
"""
from __future__ import annotations

import gzip
import json
import time
from dataclasses import dataclass
from typing import Callable, Optional
from urllib.parse import parse_qs, urlsplit

import requests

INGEST_PATH = "/api/v1/ingest"


@dataclass
class SentBatch:
    """One ingest request as the browser sent it."""

    url: str
    resource_type: str
    gzipped: bool
    batch: dict
    status: Optional[int] = None  # None while unanswered; 0 when the request failed

    @property
    def key(self) -> tuple:
        return (self.batch["session_id"], self.batch["window_id"], self.batch["seq"])


def decode_body(body: bytes) -> tuple[dict, bool]:
    gzipped = body[:2] == b"\x1f\x8b"
    return json.loads(gzip.decompress(body) if gzipped else body), gzipped


class IngestTap:
    """Collects the ingest requests of `context` that go to `server`."""

    def __init__(self, context, server) -> None:
        self.server = server
        self.sent: list[SentBatch] = []
        self.problems: list[str] = []  # ingest requests whose body could not be read
        self._by_request: dict[int, SentBatch] = {}
        self.beacon_copies: list[SentBatch] = []  # from pages/tap.js, read with read_beacon_copies()
        self.unread_blob_beacons = 0  # gzipped beacons: their batch was first tried by fetch
        context.on("request", self._on_request)
        context.on("response", self._on_response)
        context.on("requestfailed", self._on_failed)

    def _is_ingest(self, url: str) -> bool:
        parts = urlsplit(url)
        return url.startswith(self.server.url) and parts.path == INGEST_PATH

    def _on_request(self, request) -> None:
        if request.method != "POST" or not self._is_ingest(request.url):
            return
        body = request.post_data_buffer
        if body is None:
            self.problems.append(f"no body visible for {request.resource_type} {request.url}")
            return
        try:
            batch, gzipped = decode_body(body)
        except ValueError as error:
            self.problems.append(f"unreadable body of {request.url}: {error}")
            return
        query = parse_qs(urlsplit(request.url).query)
        if query.get("compression") == ["gzip"] and not gzipped:
            self.problems.append(f"{request.url} claims gzip but the body is not")
        sent = SentBatch(request.url, request.resource_type, gzipped, batch)
        self.sent.append(sent)
        self._by_request[id(request)] = sent

    def _on_response(self, response) -> None:
        sent = self._by_request.get(id(response.request))
        if sent is not None:
            sent.status = response.status

    def _on_failed(self, request) -> None:
        sent = self._by_request.get(id(request))
        if sent is not None:
            sent.status = 0

    def read_beacon_copies(self, page) -> None:
        """Take the beacon copies pages/tap.js kept in the tab's sessionStorage (all of them,
        from every page of the tab so far). Call it on a page of the product's origin."""
        copies = page.evaluate("JSON.parse(sessionStorage.getItem('__rd_tap_beacons') || '[]')")
        self.beacon_copies, self.unread_blob_beacons = [], 0
        for copy in copies:
            if not self._is_ingest(copy["url"]):
                continue
            if copy["body"] is None:
                self.unread_blob_beacons += 1
                continue
            batch, gzipped = decode_body(copy["body"].encode())
            status = 200 if copy["accepted"] else 0  # queued by the browser; the server's answer is unseen
            self.beacon_copies.append(SentBatch(copy["url"], "beacon", gzipped, batch, status))

    # --- reading what was sent -------------------------------------------------

    def batches(self) -> dict[tuple, SentBatch]:
        """Distinct batches by (session_id, window_id, seq), in the order first sent.
        A batch sent again (retry, beacon, outbox) must carry the same events."""
        distinct: dict[tuple, SentBatch] = {}
        for sent in [*self.sent, *self.beacon_copies]:
            first = distinct.setdefault(sent.key, sent)
            assert first.batch["events"] == sent.batch["events"], f"batch {sent.key} was sent twice with different events"
        return distinct

    def session_ids(self) -> set[str]:
        return {key[0] for key in self.batches()}

    def windows(self, session_id: str) -> list[str]:
        """The session's window ids (page loads), in the order of their first event."""
        first: dict[str, int] = {}
        for (session, window, _seq), sent in self.batches().items():
            if session == session_id and sent.batch["events"]:
                first[window] = min(first.get(window, 2**63), min(e["timestamp"] for e in sent.batch["events"]))
        return sorted(first, key=first.get)

    def events(self, session_id: str) -> list[dict]:
        """Every event sent for the session, as the server orders them: by timestamp, then
        by arrival. A window's batches arrive in seq order (the SDK sends one at a time)
        and windows one after another (page loads), so arrival is (window, seq)."""
        windows = self.windows(session_id)
        batches = self.batches()
        keys = sorted((key for key in batches if key[0] == session_id), key=lambda k: (windows.index(k[1]), k[2]))
        events = [event for key in keys for event in batches[key].batch["events"]]
        return sorted(events, key=lambda event: event["timestamp"])  # stable: arrival order within a timestamp

    def wait_quiet(self, quiet: float = 2.5, timeout: float = 30.0, pump: Callable[[float], None] = time.sleep) -> None:
        """Wait until every request was answered and none started for `quiet` seconds
        (from now on): the SDK flushes 2 s after an event, so by then every event the
        page had is in a request. `pump(seconds)` must let Playwright dispatch events
        (page.wait_for_timeout)."""
        deadline = time.monotonic() + timeout
        since = time.monotonic()
        count = len(self.sent)
        while time.monotonic() < deadline:
            pump(0.25)
            if len(self.sent) != count:
                count, since = len(self.sent), time.monotonic()
            pending = [sent for sent in self.sent if sent.status is None]
            if not pending and time.monotonic() - since >= quiet:
                return
        raise AssertionError(f"ingest traffic did not settle in {timeout}s: {len(self.sent)} requests, "
                             f"{sum(s.status is None for s in self.sent)} unanswered")


# --- the review API --------------------------------------------------------------


def stored_events(server, session_id: str) -> Optional[list]:
    """The stored stream of a session, or None when the server has no such session."""
    response = requests.get(f"{server.url}/api/v1/sessions/{session_id}/events", headers=server.bearer, timeout=10)
    if response.status_code == 404:
        return None
    response.raise_for_status()
    return response.json()


def session_detail(server, session_id: str) -> dict:
    response = requests.get(f"{server.url}/api/v1/sessions/{session_id}", headers=server.bearer, timeout=10)
    response.raise_for_status()
    return response.json()


def sessions(server, **filters) -> list[dict]:
    """The session list, filtered as the review API allows (`url=` a visited URL's substring, …)."""
    response = requests.get(f"{server.url}/api/v1/sessions", headers=server.bearer, params=filters, timeout=10)
    response.raise_for_status()
    return response.json()["sessions"]


def wait_for_stored(server, session_id: str, ready: Callable[[list], bool], timeout: float = 20.0,
                    pump: Callable[[float], None] = time.sleep) -> list:
    """Poll the stored stream until `ready(events)`; return the last stream read."""
    deadline = time.monotonic() + timeout
    events = None
    while time.monotonic() < deadline:
        events = stored_events(server, session_id)
        if events is not None and ready(events):
            return events
        pump(0.3)
    return events or []


def wait_for_sessions(server, timeout: float = 15.0, pump: Callable[[float], None] = time.sleep, **filters) -> list[dict]:
    """Poll the session list (with `filters`) until it is not empty; return it."""
    deadline = time.monotonic() + timeout
    found = sessions(server, **filters)
    while not found and time.monotonic() < deadline:
        pump(0.3)
        found = sessions(server, **filters)
    return found
