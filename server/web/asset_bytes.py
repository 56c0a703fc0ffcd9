"""The bytes of a cached stylesheet, font or image, answered for a replay (the review
API's ``/assets/<sha256>`` and a share link's).

The replay frame is a same-origin document of ours (sandboxed with
``allow-same-origin``, no scripts), so fonts load from here as the CORS fetches they are
without the recorded site's consent: the answer names our own origin in
``Access-Control-Allow-Origin``, with the type the file was kept as (``nosniff``). Opened
directly, a cached file is inert: an SVG runs no script (``sandbox``, no script source).
"""
from __future__ import annotations

import re

from flask import Response, request

from server.errors import NotFound
from server.runtime import current_runtime
from server.storage.assets import asset_file
from server.storage.blobs import BlobNotFound

ASSET_HASH = re.compile(r"[0-9a-f]{64}")
# The bytes behind a hash never change: they are named by it.
CACHE_FOREVER = "private, max-age=31536000, immutable"
# An SVG image keeps its own styles and data: pictures; nothing else runs or loads.
INERT = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; sandbox"


def asset_response(asset_hash: str) -> Response:
    """:raise NotFound: for a hash that is not cached."""
    if not ASSET_HASH.fullmatch(asset_hash):
        raise NotFound("No such asset.")
    row = asset_file(asset_hash)
    if row is None:
        raise NotFound("No such asset.")
    try:
        body = current_runtime().blobs.get(row.blob_key)
    except BlobNotFound:
        raise NotFound("No such asset.") from None
    content_type = row.content_type or "application/octet-stream"
    if content_type == "text/css":
        content_type = "text/css; charset=utf-8"  # kept as UTF-8 when its URLs were rewritten
    response = Response(body, content_type=content_type)
    response.headers["Cache-Control"] = CACHE_FOREVER
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = INERT
    response.headers["Access-Control-Allow-Origin"] = request.host_url.rstrip("/")  # the replay frame's origin: ours
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Vary"] = "Origin"
    return response
