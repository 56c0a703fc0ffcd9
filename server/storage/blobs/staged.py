"""Batch chunks staged in the database until compaction, in front of any blob store.

Ingest writes each batch's compressed events into the ``blobs`` table in the very
transaction that records the batch, so one commit makes both durable: a file or an S3
object per batch needed its own fsync or round trip before the commit, and was most of
what a batch cost. Compaction then writes the session's one compacted blob to the
configured store and deletes the staged chunks with the rows that named them.

Staged keys sit under ``sessions/<id>/staged/``; this store sends them to the table
and every other key to the configured store, so readers need not know.
"""
from __future__ import annotations

import itertools
from typing import Iterator, Optional

from server.storage.blobs import BlobStore
from server.storage.blobs.db import DbBlobStore

STAGED_DIR = "staged/"


def is_staged(key: str) -> bool:
    """Whether the key names a chunk staged in the database.

    >>> is_staged("sessions/abc/staged/b-w-1-00ff.zst"), is_staged("sessions/abc/c-12ab.zst")
    (True, False)
    """
    return f"/{STAGED_DIR}" in key


class StagedBlobStore:
    def __init__(self, store: BlobStore, staged: DbBlobStore) -> None:
        self.store = store
        self.staged = staged

    def _for(self, key: str) -> BlobStore:
        return self.staged if is_staged(key) else self.store

    def put(self, key: str, data: bytes) -> None:
        self._for(key).put(key, data)

    def get(self, key: str, start: int = 0, length: Optional[int] = None) -> bytes:
        return self._for(key).get(key, start, length)

    def delete(self, key: str) -> None:
        self._for(key).delete(key)

    def delete_prefix(self, prefix: str) -> int:
        return self.staged.delete_prefix(prefix) + self.store.delete_prefix(prefix)

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        return itertools.chain(self.staged.iter_keys(prefix), self.store.iter_keys(prefix))
