"""Cache a session's stylesheets and fonts once, and tell the player which URLs it may
rewrite to our copies.

Caching is a background job (``server.jobs``): a stored batch that may name a stylesheet
or font (``analysis.asset_refs.may_name_assets``) makes it due a few seconds later
(``sessions.assets_due_at``), so what a page names is fetched while the site still
serves it, before anyone presses play. Each run reads only the
chunks it has not read before and remembers what it found in the blob
``sessions/<id>/assets.json`` (under the session's prefix, so deleting the session
deletes it). The bytes are shared by every session that uses them:
``assets/<sha256 of url>`` in the blob store plus a ``CachedAsset`` row. A cached asset
is never re-fetched: keeping the old look is the point.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

import orjson

from analysis.asset_refs import STYLESHEET, css_refs, event_refs, rewrite_css
from server.assets.fetch import FetchRefused, fetch_asset
from server.outbound import OutboundPolicy, policy_for
from server.runtime import Runtime
from server.storage.assets import ScanTarget, cached_asset, cached_hashes, record_asset, scan_target
from server.storage.blobs import BlobNotFound, BlobStore
from server.storage.events import list_sources
from server.storage.ingest import session_prefix
from server.storage.schedule import CACHE_ASSETS, finish_due

ASSET_PATH = "/api/v1/assets/"
MAX_ASSETS_PER_SESSION = 60  # a page with more stylesheets and fonts than this is not worth stalling for
BUDGET_S = 30.0  # wall time for one run's fetches; the rest waits for the next run (a later batch, or POST .../assets)
RETRY_FAILED_AFTER_MS = 3600 * 1000  # a site that was down may be back in an hour
NESTED_DEPTH = 2  # stylesheet → @import → font
# In the background, requests come first: pause between chunks so this process keeps
# answering them (a long session is many megabytes of JSON, and parsing holds the GIL).
BACKGROUND_PAUSE_S = 0.02
FAILED = -1  # CachedAsset.status of a refused or failed fetch (the reason is in the report and log)


def url_hash(url: str) -> str:
    """The key of a cached asset: SHA-256 of its absolute URL."""
    return hashlib.sha256(url.encode()).hexdigest()


def asset_path(url: str) -> str:
    return ASSET_PATH + url_hash(url)


def blob_key_for(url: str) -> str:
    return f"assets/{url_hash(url)}"


def scan_key(session_id: str) -> str:
    return f"{session_prefix(session_id)}assets.json"


def read_scan(blobs: BlobStore, session_id: str) -> Optional[dict]:
    """What the scans so far found: ``{"urls": {url: kind}, "chunks": [ids read]}``;
    None before the first scan."""
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
    policy: OutboundPolicy
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


def cache_session_assets(runtime: Runtime, session_id: str, *, fetch: Callable = fetch_asset,
                         budget_s: float = BUDGET_S, pause_s: float = 0.0) -> Optional[CacheReport]:
    """Scan what is new in the session, fetch and store what is missing, remember the
    scan. None if the session is gone. Each asset is committed as it arrives, so a crash
    keeps what was cached."""
    target = scan_target(session_id)
    if target is None:
        return None
    scan = _scan_new_chunks(runtime, target, read_scan(runtime.blobs, session_id) or {}, pause_s)
    run = _Run(runtime.blobs, policy_for(runtime.settings), runtime.now_ms(), fetch, time.monotonic() + budget_s)
    urls = scan["urls"]
    cached = cached_hashes(map(url_hash, urls))
    for url in [url for url in urls if url_hash(url) not in cached][:MAX_ASSETS_PER_SESSION]:
        run.cached_path(url, urls[url])
    runtime.blobs.put(scan_key(session_id), orjson.dumps(scan))
    return run.report


def _scan_new_chunks(runtime: Runtime, target: ScanTarget, scan: dict, pause_s: float) -> dict:
    """``scan`` grown by the chunks it has not read (a compacted chunk is new: read once
    more). Order does not matter for collecting URLs, so chunks are read one at a time,
    unmerged, with ``pause_s`` between them."""
    urls: dict[str, str] = dict(scan.get("urls") or {})
    read_before = set(scan.get("chunks") or ())
    sources = list_sources(runtime.blobs, runtime.dictionaries, target.session_id)
    for source in sources:
        if source.rank[1] in read_before:
            continue
        found, _ = event_refs(source.load())
        for url, kind in found.items():
            urls.setdefault(url, kind)
        if pause_s:
            time.sleep(pause_s)
    return {"urls": urls, "chunks": sorted({source.rank[1] for source in sources})}


def cache_assets_job(runtime: Runtime, session_id: str) -> Optional[CacheReport]:
    """The background job: cache what the session's new batches name, then end the due
    mark (unless another batch arrived meanwhile: then it runs again)."""
    target = scan_target(session_id)
    if target is None:
        return None
    report = cache_session_assets(runtime, session_id, pause_s=BACKGROUND_PAUSE_S)
    finish_due(CACHE_ASSETS, session_id, received_at=target.received_at)
    return report
