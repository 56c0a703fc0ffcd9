"""Deleting sessions: bytes through the blob store, then rows through the database's
cascade, so a delete that fails part-way never leaves bytes nothing refers to. A
session's video clips (highlight reels that show it too) go with it, bytes first. The
cached assets it used (shared with other sessions) go once no session uses them: their
rows first, then their bytes, so no replay ever names a file whose bytes are gone."""
from __future__ import annotations

from sqlalchemy import delete, select

from server.storage.assets import release_unused_files, session_files
from server.storage.blobs import BlobStore
from server.storage.blobs.db import keys_under
from server.storage.clips import clips_showing, delete_clip_rows
from server.storage.errors import NotFoundError
from server.storage.ingest import session_prefix
from server.storage.models import Session, StoredBlob
from server.storage.unit_of_work import reading, unit_of_work


def delete_session(blobs: BlobStore, session_id: str) -> None:
    """Remove a session, every row it owns and every blob under its prefix.

    :raise NotFoundError: when no session has this id.
    :commits: the removal of the session's rows, after its blobs went.
    """
    if not _remove(blobs, session_id):
        raise NotFoundError(f"No session {session_id!r}.")


def purge_sessions(blobs: BlobStore, *, received_before_ms: int) -> int:
    """Delete every session whose last batch arrived before ``received_before_ms``;
    returns how many went.

    The server's own clock decides, not the recording's: a browser with a wrong
    clock must not keep data forever or lose it at once.

    :commits: each session's removal on its own (see :func:`delete_session`).
    """
    ids = reading().execute(select(Session.id).where(Session.last_received_at < received_before_ms)).scalars().all()
    return sum(_remove(blobs, session_id) for session_id in ids)


def _remove(blobs: BlobStore, session_id: str) -> bool:
    """Bytes before rows: a failure part-way (a blob store or database going down, a
    crash) leaves the session's row, so the session is still listed and deleting or
    purging it again finishes the job; it never leaves bytes that nothing refers to.
    Chunks staged in the database by batches that arrived meanwhile go in the commit
    that removes the rows; a last pass takes what compaction wrote meanwhile.
    False when the session was not there (its blobs are removed all the same)."""
    prefix = session_prefix(session_id)
    clips = clips_showing(reading(), session_id)
    asset_files = session_files(session_id)
    for _, key in clips:
        if key:
            blobs.delete(key)
    blobs.delete_prefix(prefix)
    with unit_of_work() as db:
        delete_clip_rows(db, [clip_id for clip_id, _ in clips])
        removed = db.execute(delete(Session).where(Session.id == session_id)).rowcount
        db.execute(delete(StoredBlob).where(*keys_under(prefix)))
    blobs.delete_prefix(prefix)
    for key in release_unused_files(asset_files):
        blobs.delete(key)
    return removed > 0
