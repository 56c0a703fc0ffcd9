"""Cached stylesheets and fonts of recorded sites: one ``CachedAsset`` row per absolute
URL (keyed by its SHA-256), shared by every session that uses it. The bytes live in
the blob store; a row without ``blob_key`` records a failed fetch."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.storage.models import CachedAsset, Session
from server.storage.unit_of_work import reading, unit_of_work


def cached_asset(url_hash: str) -> Optional[CachedAsset]:
    """The row for this URL hash (fetched or failed), None when never tried."""
    return reading().execute(select(CachedAsset).where(CachedAsset.url_hash == url_hash)).scalar()


def cached_hashes(url_hashes: Iterable[str]) -> set[str]:
    """Which of these URL hashes have bytes stored."""
    hashes = list(url_hashes)
    if not hashes:
        return set()
    return set(reading().execute(select(CachedAsset.url_hash).where(
        CachedAsset.url_hash.in_(hashes), CachedAsset.blob_key.is_not(None))).scalars())


def record_asset(url_hash: str, url: str, *, content_type: str, blob_key: Optional[str], size: int, status: int,
                 fetched_at: int) -> None:
    """Note a fetch: its bytes' blob key, or None and the failure's status.

    :commits: the row (when another process inserted it first, theirs is kept: it is
        as good as ours).
    """
    try:
        with unit_of_work() as db:
            row = db.execute(select(CachedAsset).where(CachedAsset.url_hash == url_hash)).scalar()
            if row is None:
                row = CachedAsset(url_hash=url_hash, url=url)
                db.add(row)
            row.content_type, row.blob_key, row.size, row.status = content_type, blob_key, size, status
            row.fetched_at = fetched_at
    except IntegrityError:
        pass


@dataclass(frozen=True)
class ScanTarget:
    """What an asset scan needs to know of its session."""

    session_id: str
    received_at: int  # the last batch's arrival: the scan covers what had arrived by then


def scan_target(session_id: str) -> Optional[ScanTarget]:
    """None when the session is gone."""
    row = reading().execute(
        select(Session.last_received_at).where(Session.id == session_id)).first()
    return None if row is None else ScanTarget(session_id, row.last_received_at)
