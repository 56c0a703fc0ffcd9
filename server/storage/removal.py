"""Deleting sessions: rows through the ORM cascade, bytes through the blob store."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session as OrmSession

from server.storage.blobs import BlobStore
from server.storage.ingest import session_prefix
from server.storage.models import Session


def delete_session(db: OrmSession, blobs: BlobStore, session_id: str) -> None:
    """Remove a session, every row it owns and every blob under its prefix; commits.

    Rows go first: once committed nothing refers to the blobs, so a crash between
    the two steps leaves only unreferenced bytes that the next delete/purge removes.
    """
    db.execute(delete(Session).where(Session.id == session_id))
    db.commit()
    blobs.delete_prefix(session_prefix(session_id))


def purge_sessions(db: OrmSession, blobs: BlobStore, *, received_before_ms: int) -> int:
    """Delete every session whose last batch arrived before ``received_before_ms``.

    The server's own clock decides, not the recording's: a browser with a wrong
    clock must not keep data forever or lose it at once.
    """
    ids = db.execute(select(Session.id).where(Session.last_received_at < received_before_ms)).scalars().all()
    for session_id in ids:
        delete_session(db, blobs, session_id)
    return len(ids)
