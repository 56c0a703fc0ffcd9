"""Deleting sessions: rows through the database's cascade, bytes through the blob store."""
from __future__ import annotations

from sqlalchemy import delete, select

from server.storage.blobs import BlobStore
from server.storage.errors import NotFoundError
from server.storage.ingest import session_prefix
from server.storage.models import Session
from server.storage.unit_of_work import reading, unit_of_work


def delete_session(blobs: BlobStore, session_id: str) -> None:
    """Remove a session, every row it owns and every blob under its prefix.

    :raise NotFoundError: when no session has this id.
    :commits: the removal of the session's rows, before its blobs go.
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
    """Rows first: once committed nothing refers to the blobs, so a crash between the
    two steps leaves only unreferenced bytes that the next delete or purge removes.
    False when the session was not there (its blobs are removed all the same)."""
    with unit_of_work() as db:
        removed = db.execute(delete(Session).where(Session.id == session_id)).rowcount
    blobs.delete_prefix(session_prefix(session_id))
    return removed > 0
