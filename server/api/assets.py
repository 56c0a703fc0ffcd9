"""Cached stylesheets and fonts of recorded sites (see server/assets): the bytes by
hash, and per session the map the player rewrites URLs with."""
from __future__ import annotations

import re

from flask import Blueprint, Response, jsonify

from server.assets.cache import asset_map, cache_session_assets, read_scan
from server.auth.identity import require_project_access
from server.errors import NotFound
from server.runtime import current_runtime
from server.storage.assets import cached_asset
from server.storage.blobs import BlobNotFound
from server.storage.sessions import get_session

bp = Blueprint("assets", __name__)

_HASH = re.compile(r"[0-9a-f]{64}")
# The bytes behind a URL hash never change (a cached asset is never re-fetched).
CACHE_FOREVER = "private, max-age=31536000, immutable"


@bp.get("/assets/<asset_hash>")
def show_asset(asset_hash: str):
    """:raise NotFound: for a hash that is not cached."""
    if not _HASH.fullmatch(asset_hash):
        raise NotFound("No such asset.")
    row = cached_asset(asset_hash)
    if row is None or not row.blob_key:
        raise NotFound("No such asset.")
    try:
        body = current_runtime().blobs.get(row.blob_key)
    except BlobNotFound:
        raise NotFound("No such asset.") from None
    response = Response(body, content_type=row.content_type or "application/octet-stream")
    response.headers["Cache-Control"] = CACHE_FOREVER
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"  # if opened directly: inert
    return response


@bp.get("/sessions/<session_id>/assets")
def session_assets(session_id: str):
    """``{"assets": {url: path}, "scanned": bool}``: what the player may rewrite now."""
    get_session(session_id)
    runtime = current_runtime()
    return jsonify({"assets": asset_map(runtime.blobs, session_id),
                    "scanned": read_scan(runtime.blobs, session_id) is not None})


@bp.post("/sessions/<session_id>/assets")
def cache_assets_now(session_id: str):
    """Scan and cache now (bounded; see server/assets/fetch.py) and report what happened."""
    require_project_access(get_session(session_id).project_id, "member")
    runtime = current_runtime()
    report = cache_session_assets(runtime, session_id)
    return jsonify({"assets": asset_map(runtime.blobs, session_id), "scanned": True,
                    "fetched": report.fetched, "failed": report.failed})
