"""Blob stores: where event chunks live. Pick one by URL scheme with ``open_blob_store``
(batch chunks wait in the database until compaction: ``staged.py``).

Every backend honours the same contract (tests/server/storage/test_blobs.py runs
one suite over all of them): ``put`` is atomic and durable when it returns, ``get``
raises ``BlobNotFound`` for a missing key, deletes are idempotent.
"""
from __future__ import annotations

from typing import Callable, Iterator, Optional, Protocol
from urllib.parse import urlparse


class BlobNotFound(KeyError):
    """No blob is stored under this key."""


class BlobStore(Protocol):
    def put(self, key: str, data: bytes) -> None: ...

    def get(self, key: str, start: int = 0, length: Optional[int] = None) -> bytes: ...

    def delete(self, key: str) -> None: ...

    def delete_prefix(self, prefix: str) -> int: ...

    def iter_keys(self, prefix: str = "") -> Iterator[str]: ...


def open_blob_store(url: str, *, engine_factory: Optional[Callable] = None, s3_endpoint: Optional[str] = None) -> BlobStore:
    """Open the store a ``REPLAYDESK_BLOB_URL`` names; with the database engine, batch
    chunks staged in the database are read through it too (``staged.py``).

    :raise ValueError: for an unknown scheme or a URL without a location.
    """
    store = _open_configured(url, engine_factory, s3_endpoint)
    if engine_factory is None or urlparse(url).scheme == "db":
        return store  # db:// keeps staged chunks in its own table already
    from server.storage.blobs.db import DbBlobStore
    from server.storage.blobs.staged import StagedBlobStore

    return StagedBlobStore(store, DbBlobStore(engine_factory))


def _open_configured(url: str, engine_factory: Optional[Callable], s3_endpoint: Optional[str]) -> BlobStore:
    parsed = urlparse(url)
    if parsed.scheme == "file":
        from server.storage.blobs.file import FileBlobStore

        path = parsed.netloc + parsed.path
        if not path:
            raise ValueError(f"blob URL {url!r} names no directory")
        return FileBlobStore(path)
    if parsed.scheme == "db":
        from server.storage.blobs.db import DbBlobStore

        if engine_factory is None:
            raise ValueError("db:// blobs need the database engine")
        return DbBlobStore(engine_factory)
    if parsed.scheme == "s3":
        from server.storage.blobs.s3 import S3BlobStore

        if not parsed.netloc:
            raise ValueError(f"blob URL {url!r} names no bucket")
        return S3BlobStore(parsed.netloc, parsed.path.strip("/"), endpoint_url=s3_endpoint)
    raise ValueError(f"unknown blob URL scheme in {url!r}: use file://, db:// or s3://")
