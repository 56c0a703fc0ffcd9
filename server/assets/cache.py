"""Cache a session's stylesheets and fonts once, and tell the player which URLs it may
rewrite to our copies.

What a session needs is found by scanning its events once (again when it has grown)
and remembered in the blob ``sessions/<id>/assets.json`` (under the session's prefix,
so deleting the session deletes it). The bytes are shared by every session that uses
them: ``assets/<sha256 of url>`` in the blob store plus a ``CachedAsset`` row. A
cached asset is never re-fetched: keeping the old look is the point.
"""
from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Optional

import orjson
from flask import current_app

from server.assets.collect import STYLESHEET, css_refs, event_refs, rewrite_css, url_hash
from server.assets.fetch import AddressPolicy, FetchRefused, fetch_asset, policy_for_pages
from server.storage.assets import cached_asset, cached_hashes, record_asset, scan_target
from server.storage.blobs import BlobNotFound, BlobStore
from server.storage.events import list_sources
from server.storage.ingest import session_prefix

log = logging.getLogger(__name__)

ASSET_PATH = "/api/v1/assets/"
MAX_ASSETS_PER_SESSION = 60  # a page with more stylesheets and fonts than this is not worth stalling for
BUDGET_S = 30.0  # wall time for one session's fetches; the rest waits for the next play
RETRY_FAILED_AFTER_MS = 3600 * 1000  # a site that was down may be back in an hour
NESTED_DEPTH = 2  # stylesheet → @import → font
# In the background, the player's first seconds come first: start a little later and
# pause between chunks so this process keeps answering the player's requests.
BACKGROUND_DELAY_S = 3.0
BACKGROUND_PAUSE_S = 0.02
FAILED = -1  # CachedAsset.status of a refused or failed fetch (the reason is in the report and log)


def asset_path(url: str) -> str:
    return ASSET_PATH + url_hash(url)


def blob_key_for(url: str) -> str:
    return f"assets/{url_hash(url)}"


def scan_key(session_id: str) -> str:
    return f"{session_prefix(session_id)}assets.json"


def read_scan(blobs: BlobStore, session_id: str) -> Optional[dict]:
    try:
        return orjson.loads(blobs.get(scan_key(session_id)))
    except (BlobNotFound, orjson.JSONDecodeError):
        return None


def asset_map(blobs: BlobStore, session_id: str, scan: Optional[dict] = None) -> dict[str, str]:
    """``{original url: /api/v1/assets/<hash>}`` for this session's cached assets
    (pass ``scan`` when it was read already)."""
    scan = scan if scan is not None else read_scan(blobs, session_id)
    if not scan or not scan.get("urls"):
        return {}
    by_hash = {url_hash(url): url for url in scan["urls"]}
    return {by_hash[h]: ASSET_PATH + h for h in cached_hashes(by_hash)}


@dataclass
class CacheReport:
    fetched: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # url → reason


@dataclass
class _Run:
    blobs: BlobStore
    policy: AddressPolicy
    now_ms: int
    fetch: Callable
    deadline: float
    report: CacheReport = field(default_factory=CacheReport)

    def cached_path(self, url: str, kind: str, depth: int = 0) -> Optional[str]:
        """Our path for ``url``, fetching and storing it first if needed; None if unavailable."""
        row = cached_asset(url_hash(url))
        if row is not None and row.blob_key:
            return asset_path(url)
        if row is not None and row.fetched_at > self.now_ms - RETRY_FAILED_AFTER_MS:
            return None  # failed recently
        if time.monotonic() > self.deadline:
            return None
        try:
            fetched = self.fetch(url, kind, self.policy)
            body = fetched.body
            if kind == STYLESHEET and depth < NESTED_DEPTH:
                body = self._with_nested(body.decode("utf-8", "replace"), fetched.url, depth).encode()
            self._store(url, fetched.content_type, body, status=200)
            self.report.fetched.append(url)
            return asset_path(url)
        except FetchRefused as reason:
            self.report.failed[url] = str(reason)
            self._store(url, "", None, status=FAILED)
            return None

    def _with_nested(self, css: str, base_url: str, depth: int) -> str:
        nested = {}
        for ref, kind in css_refs(css, base_url).items():
            path = self.cached_path(ref, kind, depth + 1)
            if path:
                nested[ref] = path
        return rewrite_css(css, base_url, nested)

    def _store(self, url: str, content_type: str, body: Optional[bytes], status: int) -> None:
        key = blob_key_for(url) if body is not None else None
        if body is not None:
            self.blobs.put(key, body)
        record_asset(url_hash(url), url, content_type=content_type, blob_key=key, size=len(body or b""),
                     status=status, fetched_at=self.now_ms)


def scan_session(runtime, session_id: str, *, pause_s: float = 0.0) -> tuple[dict[str, str], list[str]]:
    """The session's asset URLs and page URLs, read one stored chunk at a time.

    Order does not matter for collecting URLs, so chunks are not merged; ``pause_s``
    between chunks lets request threads of this process run (a long session is many
    megabytes of JSON, and parsing holds the GIL).
    """
    refs: dict[str, str] = {}
    pages: list[str] = []
    for source in list_sources(runtime.blobs, runtime.dictionaries, session_id):
        found, hrefs = event_refs(source.load())
        for url, kind in found.items():
            refs.setdefault(url, kind)
        pages += hrefs
        if pause_s:
            time.sleep(pause_s)
    return refs, pages


def cache_session_assets(runtime, session_id: str, *, fetch: Callable = fetch_asset, budget_s: float = BUDGET_S,
                         pause_s: float = 0.0) -> Optional[CacheReport]:
    """Scan the session, fetch and store what is missing, remember the scan. None if the
    session is gone. Each asset is committed as it arrives, so a crash keeps what was cached."""
    target = scan_target(session_id)
    if target is None:
        return None
    refs, pages = scan_session(runtime, session_id, pause_s=pause_s)
    run = _Run(runtime.blobs, policy_for_pages(pages or [target.entry_url]), runtime.now_ms(), fetch,
               time.monotonic() + budget_s)
    for url, kind in list(refs.items())[:MAX_ASSETS_PER_SESSION]:
        run.cached_path(url, kind)
    runtime.blobs.put(scan_key(session_id), orjson.dumps({"event_count": target.event_count, "urls": sorted(refs)}))
    return run.report


def is_scan_current(scan: Optional[dict], session) -> bool:
    return scan is not None and scan.get("event_count") == session.event_count


class _Scheduler:
    """One background worker per app; a session is queued once while it waits."""

    def __init__(self) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="replaydesk-assets")
        self.pending: set[str] = set()
        self.lock = threading.Lock()


def schedule_session_assets(session, scan: Optional[dict]) -> bool:
    """Cache the session's assets in the background unless that is done or queued.

    Off under ``app.testing``: Flask-client tests call the synchronous endpoint
    (``POST /api/v1/sessions/<id>/assets``) instead of racing a thread.
    """
    app = current_app._get_current_object()
    session_id = session.id
    if app.testing or is_scan_current(scan, session):
        return False
    scheduler = app.extensions.setdefault("replaydesk_assets", _Scheduler())
    with scheduler.lock:
        if session_id in scheduler.pending:
            return False
        scheduler.pending.add(session_id)
    scheduler.executor.submit(_run_in_background, app, scheduler, session_id)
    return True


def _run_in_background(app, scheduler: _Scheduler, session_id: str) -> None:
    from server.runtime import current_runtime

    try:
        time.sleep(BACKGROUND_DELAY_S)
        with app.app_context():
            cache_session_assets(current_runtime(), session_id, pause_s=BACKGROUND_PAUSE_S)
    except Exception:  # noqa: BLE001 - a broken site must not kill the worker; the next play retries
        log.exception("caching assets of session %s failed", session_id)
    finally:
        with scheduler.lock:
            scheduler.pending.discard(session_id)
