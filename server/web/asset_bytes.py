"""The bytes of a cached stylesheet or font, answered for a replay (the review API's
``/assets/<hash>`` and a share link's)."""
from __future__ import annotations

import re

from flask import Response

from server.errors import NotFound
from server.runtime import current_runtime
from server.storage.assets import cached_asset
from server.storage.blobs import BlobNotFound

ASSET_HASH = re.compile(r"[0-9a-f]{64}")
# The bytes behind a URL hash never change (a cached asset is never re-fetched).
CACHE_FOREVER = "private, max-age=31536000, immutable"


def asset_response(asset_hash: str) -> Response:
    """:raise NotFound: for a hash that is not cached."""
    if not ASSET_HASH.fullmatch(asset_hash):
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
