"""Cached stylesheets, fonts and images of recorded sites.

- ``CachedAsset``: one row per absolute URL (keyed by its SHA-256), the last fetch of it:
  which bytes it gave, or why it failed;
- ``AssetFile``: the bytes, stored once by their SHA-256 whatever URLs, sessions and
  projects use them (``parts``: what a stylesheet's text refers to);
- ``SessionAsset``: each session's own map, URL → bytes, fixed when it was recorded.

Files no session links to any more are released (rows, then the caller deletes bytes).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Optional

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from server.storage.models import AssetFile, CachedAsset, Session, SessionAsset
from server.storage.unit_of_work import reading, unit_of_work


def cached_asset(url_hash: str) -> Optional[CachedAsset]:
    """The last fetch of this URL (fetched or failed), None when never tried."""
    return reading().execute(select(CachedAsset).where(CachedAsset.url_hash == url_hash)).scalar()


def record_fetch(url_hash: str, url: str, *, sha256: Optional[str], status: int, fetched_at: int) -> None:
    """Note a fetch of ``url``: the bytes it gave (a stored file), or None and the
    failure's status.

    :commits: the row (when another process inserted it first, theirs is kept: it is
        as good as ours).
    """
    try:
        with unit_of_work() as db:
            row = db.execute(select(CachedAsset).where(CachedAsset.url_hash == url_hash)).scalar()
            if row is None:
                row = CachedAsset(url_hash=url_hash, url=url)
                db.add(row)
            row.sha256, row.status, row.fetched_at = sha256, status, fetched_at
    except IntegrityError:
        pass


def asset_file(sha256: str) -> Optional[AssetFile]:
    return reading().execute(select(AssetFile).where(AssetFile.sha256 == sha256)).scalar()


def add_asset_file(sha256: str, *, content_type: str, size: int, blob_key: str, parts: Mapping[str, str],
                   created_at: int) -> None:
    """Record stored bytes (put in the blob store first); nothing when already there.

    :commits: the row.
    """
    try:
        with unit_of_work() as db:
            if db.get(AssetFile, sha256) is None:
                db.add(AssetFile(sha256=sha256, content_type=content_type, size=size, blob_key=blob_key,
                                 parts=dict(parts), created_at=created_at))
    except IntegrityError:
        pass  # another process stored the same bytes meanwhile


def link_session_assets(session_id: str, links: Mapping[str, tuple[str, str]]) -> None:
    """Add ``{url_hash: (url, sha256)}`` to the session's map (a URL already there keeps
    its bytes).

    :commits: the links.
    """
    if not links:
        return
    with unit_of_work() as db:
        known = set(db.execute(select(SessionAsset.url_hash).where(
            SessionAsset.session_id == session_id, SessionAsset.url_hash.in_(list(links)))).scalars())
        db.add_all(SessionAsset(session_id=session_id, url_hash=url_hash, url=url, sha256=sha256)
                   for url_hash, (url, sha256) in links.items() if url_hash not in known)


def session_links(session_id: str) -> dict[str, str]:
    """The session's map: ``{url: sha256}``."""
    rows = reading().execute(select(SessionAsset.url, SessionAsset.sha256).where(SessionAsset.session_id == session_id))
    return {url: sha256 for url, sha256 in rows}


def session_files(session_id: str) -> set[str]:
    """The SHA-256 of every file the session uses."""
    return set(reading().execute(select(SessionAsset.sha256).where(SessionAsset.session_id == session_id)).scalars())


def _project_files(project_id: int):
    return (select(SessionAsset.sha256).join(Session, Session.id == SessionAsset.session_id)
            .where(Session.project_id == project_id))


def project_uses_file(project_id: int, sha256: str) -> bool:
    return reading().execute(_project_files(project_id).where(SessionAsset.sha256 == sha256).limit(1)).first() is not None


def project_asset_bytes(project_id: int) -> int:
    """Bytes of the distinct files the project's sessions use (its quota's measure)."""
    return int(reading().execute(select(func.coalesce(func.sum(AssetFile.size), 0)).where(
        AssetFile.sha256.in_(_project_files(project_id)))).scalar())


def session_asset_bytes(session_id: str) -> int:
    """The session's share of the files it uses: each file's size divided by the
    number of sessions using it (rounded down)."""
    users = (select(SessionAsset.sha256, func.count(func.distinct(SessionAsset.session_id)).label("sessions"))
             .where(SessionAsset.sha256.in_(select(SessionAsset.sha256).where(SessionAsset.session_id == session_id)))
             .group_by(SessionAsset.sha256).subquery())
    rows = reading().execute(select(AssetFile.size, users.c.sessions).join(users, users.c.sha256 == AssetFile.sha256))
    return int(sum(size / sessions for size, sessions in rows))


def release_unused_files(candidates: Iterable[str]) -> list[str]:
    """Forget the files among ``candidates`` that no session uses any more, and the URL
    fetches that gave them (a new session fetches again); returns their blob keys, for
    the caller to delete after this commit.

    :commits: the removal of their rows.
    """
    shas = sorted(set(candidates))
    if not shas:
        return []
    keys = []
    with unit_of_work() as db:
        used = set(db.execute(select(SessionAsset.sha256).where(SessionAsset.sha256.in_(shas))).scalars())
        unused = [sha for sha in shas if sha not in used]
        if unused:
            keys = list(db.execute(select(AssetFile.blob_key).where(AssetFile.sha256.in_(unused))).scalars())
            db.execute(delete(CachedAsset).where(CachedAsset.sha256.in_(unused)))
            db.execute(delete(AssetFile).where(AssetFile.sha256.in_(unused)))
    return keys


@dataclass(frozen=True)
class ScanTarget:
    """What an asset scan needs to know of its session."""

    session_id: str
    project_id: int
    received_at: int  # the last batch's arrival: the scan covers what had arrived by then
    due: bool  # caching is due (or running): the session's map may still grow


def scan_target(session_id: str) -> Optional[ScanTarget]:
    """None when the session is gone."""
    row = reading().execute(
        select(Session.project_id, Session.last_received_at, Session.assets_due_at).where(Session.id == session_id)).first()
    return None if row is None else ScanTarget(session_id, row.project_id, row.last_received_at, row.assets_due_at is not None)
