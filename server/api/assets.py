"""Cached stylesheets, fonts and images of recorded sites (see server/assets): the
bytes by hash, and per session the map the player rewrites URLs with."""
from __future__ import annotations

from flask import Blueprint, jsonify

from server.assets.cache import asset_map, cache_session_assets, read_scan
from server.auth.identity import require_project_access
from server.runtime import current_runtime
from server.storage.assets import scan_target
from server.storage.sessions import get_session
from server.web.asset_bytes import asset_response

bp = Blueprint("assets", __name__)


@bp.get("/assets/<asset_hash>")
def show_asset(asset_hash: str):
    """:raise NotFound: for a hash that is not cached."""
    return asset_response(asset_hash)


@bp.get("/sessions/<session_id>/assets")
def session_assets(session_id: str):
    """``{"assets": {url: path}, "scanned": bool, "pending": bool}``: what the player may
    rewrite now; ``pending`` while caching is due or running (the map may still grow)."""
    get_session(session_id)
    target = scan_target(session_id)
    return jsonify({"assets": asset_map(session_id), "scanned": read_scan(current_runtime().blobs, session_id) is not None,
                    "pending": bool(target and target.due)})


@bp.post("/sessions/<session_id>/assets")
def cache_assets_now(session_id: str):
    """Scan and cache now (bounded; see server/assets/fetch.py) and report what happened."""
    require_project_access(get_session(session_id).project_id, "member")
    report = cache_session_assets(current_runtime(), session_id)
    return jsonify({"assets": asset_map(session_id), "scanned": True, "fetched": report.fetched, "failed": report.failed})
