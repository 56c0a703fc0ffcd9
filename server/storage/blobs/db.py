"""``db://`` blobs: bytes in the ``blobs`` table of the main database.

Each call runs in its own short transaction on its own connection, so a blob is
committed before the batch that refers to it, like the other backends.
"""
from __future__ import annotations

from typing import Callable, Iterator, Optional

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from server.storage.blobs import BlobNotFound
from server.storage.models import StoredBlob

_blobs = StoredBlob.__table__


class DbBlobStore:
    def __init__(self, engine_factory: Callable[[], Engine]) -> None:
        self._engine_factory = engine_factory

    @property
    def _engine(self) -> Engine:
        return self._engine_factory()

    def put(self, key: str, data: bytes) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(_blobs).where(_blobs.c.key == key))
            conn.execute(_blobs.insert().values(key=key, data=data))

    def get(self, key: str, start: int = 0, length: Optional[int] = None) -> bytes:
        with self._engine.connect() as conn:
            data = conn.execute(select(_blobs.c.data).where(_blobs.c.key == key)).scalar()
        if data is None:
            raise BlobNotFound(key)
        data = bytes(data)
        return data[start:] if length is None else data[start : start + length]

    def delete(self, key: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(_blobs).where(_blobs.c.key == key))

    def delete_prefix(self, prefix: str) -> int:
        with self._engine.begin() as conn:
            return conn.execute(delete(_blobs).where(*keys_under(prefix))).rowcount

    def iter_keys(self, prefix: str = "") -> Iterator[str]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(_blobs.c.key).where(*keys_under(prefix)).order_by(_blobs.c.key)).scalars().all()
        yield from rows


def keys_under(prefix: str) -> tuple:
    """Keys starting with ``prefix``, as a range the primary key's index answers."""
    if not prefix:
        return ()
    return _blobs.c.key >= prefix, _blobs.c.key < prefix[:-1] + chr(ord(prefix[-1]) + 1)
