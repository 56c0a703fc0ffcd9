"""Cache what a session's replay needs from the recorded site (stylesheets, fonts,
images) soon after it was recorded, and tell the player which URLs it may rewrite to
our copies.

Caching is a background job (``server.jobs``): a stored batch that may name an asset
(``analysis.asset_refs.may_name_assets``) makes it due a few seconds later
(``sessions.assets_due_at``), so what a page names is fetched while the site still
serves it, before anyone presses play. Each run reads only the chunks it has not read
before and remembers what it found in the blob ``sessions/<id>/assets.json`` (under the
session's prefix, so deleting the session deletes it).

The bytes are stored once by their SHA-256 (``assets/<sha256>`` in the blob store, an
``AssetFile`` row), whatever URLs, sessions and projects use them, and each session
keeps its own URL → bytes map (``SessionAsset``): a later deploy of the site, fetched
for a later session, changes no older replay. A URL fetched within ``REUSE_FETCH_MS``
is not fetched again for the next session. A cached stylesheet names its fonts, images
and imports by their files' hashes, relative to its own URL, so it works wherever it is
served (the review API, a share link). Limits: per asset by kind, per session, and per
project (the distinct files its sessions use), all settings.
"""
from __future__ import annotations

import hashlib
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Optional

import orjson

from analysis.asset_refs import FONT, IMAGE, KINDS, STYLESHEET, css_refs, event_refs, rewrite_css
from server.assets.fetch import Fetched, FetchRefused, fetch_asset
from server.config import Settings
from server.outbound import OutboundPolicy, policy_for
from server.runtime import Runtime
from server.storage import assets as stored
from server.storage.blobs import BlobNotFound, BlobStore
from server.storage.events import list_sources
from server.storage.ingest import session_prefix
from server.storage.schedule import CACHE_ASSETS, finish_due, mark_due

ASSET_PATH = "/api/v1/assets/"
BUDGET_S = 30.0  # wall time for one run's fetches; the rest is fetched by the next run, a second later
FETCH_THREADS = 4  # a page's dozens of images come from a few hosts: fetch a few at once
REUSE_FETCH_MS = 10 * 60 * 1000  # the next sessions reuse a fetch this fresh; sites deploy less often
RETRY_FAILED_AFTER_MS = 3600 * 1000  # a site that was down may be back in an hour
NESTED_DEPTH = 2  # stylesheet → @import → font or image
CONTINUE_AFTER_MS = 1000  # a run that ran out of time carries on this soon
# In the background, requests come first: pause between chunks so this process keeps
# answering them (a long session is many megabytes of JSON, and parsing holds the GIL).
BACKGROUND_PAUSE_S = 0.02
FAILED = -1  # CachedAsset.status of a refused or failed fetch (the reason is in the report and log)
SCAN_VERSION = 2  # scans before it (migration 0008) reuse what was cached then, whatever its age
_LEGACY_PATH = re.compile(ASSET_PATH + r"([0-9a-f]{64})")


def url_hash(url: str) -> str:
    """The key of a URL's fetch: SHA-256 of the absolute URL."""
    return hashlib.sha256(url.encode()).hexdigest()


def file_key(sha256: str) -> str:
    return f"assets/{sha256}"


def asset_path(sha256: str) -> str:
    return ASSET_PATH + sha256


def scan_key(session_id: str) -> str:
    return f"{session_prefix(session_id)}assets.json"


def read_scan(blobs: BlobStore, session_id: str) -> Optional[dict]:
    """What the scans so far found: ``{"urls": {url: kind}, "chunks": [ids read], "v"}``;
    None before the first scan."""
    try:
        return orjson.loads(blobs.get(scan_key(session_id)))
    except (BlobNotFound, orjson.JSONDecodeError):
        return None


def asset_map(session_id: str) -> dict[str, str]:
    """``{original url: /api/v1/assets/<sha256>}``: the session's cached assets."""
    return {url: asset_path(sha) for url, sha in stored.session_links(session_id).items()}


@dataclass(frozen=True)
class AssetLimits:
    max_bytes: dict[str, int]  # by kind
    project_quota_bytes: int
    per_session: int

    @classmethod
    def from_settings(cls, settings: Settings) -> "AssetLimits":
        return cls({STYLESHEET: settings.asset_max_stylesheet_bytes, FONT: settings.asset_max_font_bytes,
                    IMAGE: settings.asset_max_image_bytes}, settings.asset_project_quota_bytes, settings.assets_per_session)


@dataclass
class CacheReport:
    fetched: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # url → reason
    incomplete: bool = False  # the run ran out of time: another one follows


@dataclass
class _Run:
    blobs: BlobStore
    target: stored.ScanTarget
    policy: OutboundPolicy
    limits: AssetLimits
    now_ms: int
    fetch: Callable
    deadline: float
    reuse_any_age: bool  # a scan from before content addressing: link what was cached then
    report: CacheReport = field(default_factory=CacheReport)
    links: dict[str, tuple[str, str]] = field(default_factory=dict)  # url hash → (url, sha256)
    stored_now: set[str] = field(default_factory=set)
    _project_bytes: Optional[int] = None
    _project_files: set[str] = field(default_factory=set)

    def resolve(self, wanted: dict[str, str], depth: int = 0) -> dict[str, str]:
        """``{url: sha256}`` for the ``{url: kind}`` we have or could fetch now."""
        found: dict[str, str] = {}
        to_fetch: dict[str, str] = {}
        stale: dict[str, str] = {}
        for url, kind in wanted.items():
            row = stored.cached_asset(url_hash(url))
            if row is not None and row.sha256 and (self.reuse_any_age or row.fetched_at >= self.now_ms - REUSE_FETCH_MS):
                found[url] = row.sha256
            elif row is not None and not row.sha256 and row.fetched_at > self.now_ms - RETRY_FAILED_AFTER_MS:
                continue  # failed recently
            else:
                to_fetch[url] = kind
                if row is not None and row.sha256:
                    stale[url] = row.sha256  # if the site no longer answers, the older copy beats none
        fetched = self._fetch_all(to_fetch)
        nested_wanted: dict[str, str] = {}
        for url, result in fetched.items():
            if isinstance(result, Fetched) and to_fetch[url] == STYLESHEET and depth < NESTED_DEPTH:
                nested_wanted.update(css_refs(result.body.decode("utf-8", "replace"), result.url))
        nested = self.resolve(nested_wanted, depth + 1) if nested_wanted else {}
        for url, result in fetched.items():
            sha = self._keep(url, to_fetch[url], result, nested) if isinstance(result, Fetched) else None
            if isinstance(result, FetchRefused):
                self.report.failed[url] = str(result)
                if url not in stale:  # else the row keeps the older copy, and the next session tries again
                    stored.record_fetch(url_hash(url), url, sha256=None, status=FAILED, fetched_at=self.now_ms)
            if sha or url in stale:
                found[url] = sha or stale[url]
        return found

    def _fetch_all(self, wanted: dict[str, str]) -> dict[str, Fetched | FetchRefused]:
        def one(url: str) -> Optional[Fetched | FetchRefused]:
            if time.monotonic() > self.deadline:
                return None
            try:
                return self.fetch(url, wanted[url], self.policy, max_bytes=self.limits.max_bytes[wanted[url]])
            except FetchRefused as reason:
                return reason

        if not wanted:
            return {}
        with ThreadPoolExecutor(min(FETCH_THREADS, len(wanted)), thread_name_prefix="asset-fetch") as pool:
            results = dict(zip(wanted, pool.map(one, wanted)))
        if any(result is None for result in results.values()):
            self.report.incomplete = True
        return {url: result for url, result in results.items() if result is not None}

    def _keep(self, url: str, kind: str, fetched: Fetched, nested: dict[str, str]) -> Optional[str]:
        """Store the bytes (a stylesheet pointing at its parts' files) once; their hash."""
        body, parts = fetched.body, {}
        if kind == STYLESHEET:
            css = body.decode("utf-8", "replace")
            parts = {ref: nested[ref] for ref in css_refs(css, fetched.url) if ref in nested}
            body = rewrite_css(css, fetched.url, parts).encode()
        sha = hashlib.sha256(body).hexdigest()
        if not self._fits_quota(sha, len(body)):
            self.report.failed[url] = "the project's asset quota is used up"
            return None
        if stored.asset_file(sha) is None:
            self.blobs.put(file_key(sha), body)
            stored.add_asset_file(sha, content_type=fetched.content_type, size=len(body), blob_key=file_key(sha),
                                  parts=parts, created_at=self.now_ms)
            self.stored_now.add(sha)
        stored.record_fetch(url_hash(url), url, sha256=sha, status=200, fetched_at=self.now_ms)
        self.report.fetched.append(url)
        return sha

    def _uses(self, sha: str) -> bool:
        """Whether the project's sessions use this file already (it costs no quota)."""
        return sha in self._project_files or stored.project_uses_file(self.target.project_id, sha)

    def _fits_quota(self, sha: str, size: int) -> bool:
        if self._uses(sha):
            return True
        if self._project_bytes is None:
            self._project_bytes = stored.project_asset_bytes(self.target.project_id)
        return self._project_bytes + size <= self.limits.project_quota_bytes

    def link(self, url: str, sha: str, depth: int = 0) -> None:
        """Add ``url`` → ``sha`` to the session's map, with the files a stylesheet names."""
        file = stored.asset_file(sha)
        if file is None or url_hash(url) in self.links:
            return
        if not self._fits_quota(sha, file.size):
            self.report.failed[url] = "the project's asset quota is used up"
            return
        if not self._uses(sha) and self._project_bytes is not None:
            self._project_bytes += file.size
        self._project_files.add(sha)
        self.links[url_hash(url)] = (url, sha)
        parts = file.parts or (self._legacy_parts(file) if file.content_type == "text/css" else {})
        if depth < NESTED_DEPTH:
            for part_url, part_sha in parts.items():
                self.link(part_url, part_sha, depth + 1)

    def _legacy_parts(self, file) -> dict[str, str]:
        """Before migration 0008 a cached stylesheet named its fonts by our absolute
        paths of their URL hashes."""
        try:
            css = self.blobs.get(file.blob_key).decode("utf-8", "replace")
        except BlobNotFound:
            return {}
        rows = (stored.cached_asset(found) for found in set(_LEGACY_PATH.findall(css)))
        return {row.url: row.sha256 for row in rows if row is not None and row.sha256}


def cache_session_assets(runtime: Runtime, session_id: str, *, fetch: Callable = fetch_asset,
                         budget_s: float = BUDGET_S, pause_s: float = 0.0) -> Optional[CacheReport]:
    """Scan what is new in the session, fetch and store what is missing, link the
    session to its files, remember the scan. None if the session is gone. Each file is
    committed as it arrives, so a crash keeps what was cached."""
    target = stored.scan_target(session_id)
    if target is None:
        return None
    previous = read_scan(runtime.blobs, session_id)
    scan = _scan_new_chunks(runtime, target, previous or {}, pause_s)
    run = _Run(runtime.blobs, target, policy_for(runtime.settings), AssetLimits.from_settings(runtime.settings),
               runtime.now_ms(), fetch, time.monotonic() + budget_s,
               reuse_any_age=previous is not None and previous.get("v") != SCAN_VERSION)
    linked = stored.session_links(session_id)
    run.links.update({url_hash(url): (url, sha) for url, sha in linked.items()})
    room = max(0, run.limits.per_session - len(linked))
    todo = sorted((url for url in scan["urls"] if url not in linked), key=lambda url: KINDS.index(scan["urls"][url]))
    for url, sha in run.resolve({url: scan["urls"][url] for url in todo[:room]}).items():
        run.link(url, sha)
    stored.link_session_assets(session_id, {h: link for h, link in run.links.items() if link[0] not in linked})
    # What no session links (over the quota at link time, or the session was deleted meanwhile) goes again.
    _delete_bytes(runtime.blobs, stored.release_unused_files(run.stored_now))
    if stored.scan_target(session_id) is None:
        return None
    runtime.blobs.put(scan_key(session_id), orjson.dumps({**scan, "v": SCAN_VERSION}))
    return run.report


def _scan_new_chunks(runtime: Runtime, target: stored.ScanTarget, scan: dict, pause_s: float) -> dict:
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


def _delete_bytes(blobs: BlobStore, keys: list[str]) -> None:
    for key in keys:
        blobs.delete(key)


def cache_assets_job(runtime: Runtime, session_id: str) -> Optional[CacheReport]:
    """The background job: cache what the session's new batches name, then end the due
    mark (unless another batch arrived meanwhile, or the run ran out of time: then it
    runs again)."""
    target = stored.scan_target(session_id)
    if target is None:
        return None
    report = cache_session_assets(runtime, session_id, pause_s=BACKGROUND_PAUSE_S)
    if report is not None and report.incomplete:
        mark_due(CACHE_ASSETS, [session_id], at_ms=runtime.now_ms() + CONTINUE_AFTER_MS)
    else:  # a batch that arrived meanwhile is read by the next run, right away
        finish_due(CACHE_ASSETS, session_id, received_at=target.received_at, again_at=runtime.now_ms())
    return report
