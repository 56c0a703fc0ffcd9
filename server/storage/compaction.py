"""Compaction: once a session is idle, its batch chunks become one seekable blob of
zstd-19 frames, with a dictionary trained on the project's earlier sessions.

Safe beside ingest: the rewrite replaces exactly the chunks it read (a batch that
arrives meanwhile stays a chunk of its own) and commits before old blobs go; batch
chunks staged in the database (``blobs/staged.py``) go in that same commit.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session as OrmSession

from server.storage.blobs import BlobStore
from server.storage.blobs.staged import is_staged
from server.storage.codec import encode_frames, train_dictionary
from server.storage.dictionaries import Dictionary, DictionaryCache
from server.storage.events import list_sources, read_events
from server.storage.ingest import chunk_key
from server.storage.models import CompressionDictionary, EventChunk, Session, StoredBlob
from server.storage.unit_of_work import reading, unit_of_work

# A dictionary learns from at most this many recent sessions (training time is linear).
DICTIONARY_TRAINING_SESSIONS = 64
# Retrain when the project has this many times more compacted sessions than the last
# dictionary saw: dictionaries improve quickly at first, then barely.
RETRAIN_GROWTH = 4


@dataclass(frozen=True)
class CompactionResult:
    session_id: str
    raw_bytes: int
    stored_bytes: int
    dictionary_id: Optional[int]


class _Superseded(Exception):
    """Another compaction replaced some of the chunks we read: roll ours back."""


def sessions_due(*, idle_before_ms: int, limit: int = 100) -> list[str]:
    """Sessions idle since ``idle_before_ms`` with batches not yet compacted."""
    return reading().execute(
        select(Session.id).where(
            Session.last_received_at < idle_before_ms,
            or_(Session.compacted_at.is_(None), Session.compacted_at < Session.last_received_at),
        ).order_by(Session.last_received_at).limit(limit)
    ).scalars().all()


def project_of(session_id: str) -> Optional[int]:
    """The session's project id, None when it is gone."""
    return reading().execute(select(Session.project_id).where(Session.id == session_id)).scalar()


def compact_session(blobs: BlobStore, dictionaries: DictionaryCache, session_id: str, *,
                    now_ms: int) -> Optional[CompactionResult]:
    """Rewrite a session's chunks as one compacted blob.

    :commits: the new chunk in place of the old ones and the session's sizes (the new
        blob is written before, the old ones deleted after).
    Returns None when there is nothing to do or another process got there first.
    """
    db = reading()
    project_id = project_of(session_id)
    if project_id is None:
        return None
    chunks = db.execute(select(EventChunk).where(EventChunk.session_id == session_id)).scalars().all()
    dictionary = dictionaries.latest(project_id)
    if not chunks or _is_final(chunks, dictionary):
        _mark_compacted(session_id, now_ms)
        return None
    chunk_ids = [chunk.id for chunk in chunks]
    old_keys = [chunk.blob_key for chunk in chunks]
    sources = [s for s in list_sources(blobs, dictionaries, session_id) if s.rank[1] in chunk_ids]
    events = read_events(sources).events
    blob, frames, raw_size = encode_frames(events, dictionary.data if dictionary else None)
    key = chunk_key(session_id, f"c-{secrets.token_hex(6)}")
    blobs.put(key, blob)
    try:
        with unit_of_work() as db:
            _swap_chunks(db, session_id, chunk_ids, key, blob, frames, raw_size, events, dictionary, now_ms)
            # Staged chunks go with the rows that named them; others once those are gone.
            db.execute(delete(StoredBlob).where(StoredBlob.key.in_([k for k in old_keys if is_staged(k)])))
    except BaseException as error:
        blobs.delete(key)
        if isinstance(error, _Superseded):
            return None
        raise
    for old_key in old_keys:
        if not is_staged(old_key):
            blobs.delete(old_key)
    return CompactionResult(session_id, raw_size, len(blob), dictionary.id if dictionary else None)


def _is_final(chunks: list[EventChunk], dictionary: Optional[Dictionary]) -> bool:
    """One compacted chunk with the project's newest dictionary: a rewrite gains nothing
    (a compaction queued twice finds this)."""
    latest_id = dictionary.id if dictionary else None
    return len(chunks) == 1 and chunks[0].form == "compact" and chunks[0].dictionary_id == latest_id


def _swap_chunks(db: OrmSession, session_id, chunk_ids, key, blob, frames, raw_size, events, dictionary,
                 now_ms) -> None:
    """Insert the compacted chunk, then delete the ones it replaces: inserted first, its
    id is above theirs (SQLite reuses the highest id once it is deleted), so chunk ids
    of a session only grow and a reader can tell which chunks it has not seen. The
    session's row is locked first, as ingest locks it before adding a chunk: a
    session's chunk ids are taken in the order their transactions commit, which a
    follow cursor (``events.FollowCursor``) relies on.

    :raise _Superseded: when a concurrent compaction replaced some of the chunks.
    """
    db.execute(update(Session).where(Session.id == session_id).values(compacted_at=now_ms))
    if events:
        db.add(EventChunk(
            session_id=session_id, form="compact", blob_key=key, first_ts=events[0]["timestamp"],
            last_ts=events[-1]["timestamp"], event_count=len(events), raw_bytes=raw_size, stored_bytes=len(blob),
            dictionary_id=dictionary.id if dictionary else None, frames=[f.as_row() for f in frames], created_at=now_ms,
        ))
        db.flush()
    removed = db.execute(delete(EventChunk).where(EventChunk.id.in_(chunk_ids))).rowcount
    if removed != len(chunk_ids):
        raise _Superseded()
    totals = select(func.coalesce(func.sum(EventChunk.stored_bytes), 0)).where(EventChunk.session_id == session_id)
    raw_totals = select(func.coalesce(func.sum(EventChunk.raw_bytes), 0)).where(EventChunk.session_id == session_id)
    db.execute(update(Session).where(Session.id == session_id).values(
        stored_bytes=totals.scalar_subquery(), raw_bytes=raw_totals.scalar_subquery(), compacted_at=now_ms,
    ))


def _mark_compacted(session_id: str, now_ms: int) -> None:
    with unit_of_work() as db:
        db.execute(update(Session).where(Session.id == session_id).values(compacted_at=now_ms))


def maybe_train_dictionary(blobs: BlobStore, dictionaries: DictionaryCache, project_id: int, *, min_sessions: int,
                           now_ms: int) -> Optional[Dictionary]:
    """Train a new dictionary when the project has enough new compacted sessions.

    :commits: the new dictionary (None, and nothing, when it is not time yet).
    """
    db = reading()
    compacted = db.execute(
        select(func.count()).select_from(Session).where(Session.project_id == project_id, Session.compacted_at.is_not(None))
    ).scalar_one()
    last = db.execute(
        select(CompressionDictionary.trained_on_sessions).where(CompressionDictionary.project_id == project_id)
        .order_by(CompressionDictionary.id.desc()).limit(1)
    ).scalar()
    if compacted < min_sessions or (last is not None and compacted < last * RETRAIN_GROWTH):
        return None
    recent = db.execute(
        select(Session.id).where(Session.project_id == project_id, Session.compacted_at.is_not(None))
        .order_by(Session.last_received_at.desc()).limit(DICTIONARY_TRAINING_SESSIONS)
    ).scalars().all()
    streams = [read_events(list_sources(blobs, dictionaries, sid)).events for sid in recent]
    data = train_dictionary(streams)
    if data is None:
        return None
    with unit_of_work() as db:
        row = CompressionDictionary(project_id=project_id, data=data, trained_on_sessions=compacted, created_at=now_ms)
        db.add(row)
        db.flush()
        trained = Dictionary(row.id, data)
    dictionaries.forget_latest(project_id)
    return trained


def sessions_without_dictionary(project_id: int) -> list[str]:
    """Compacted before the project had a dictionary: worth one more rewrite."""
    return reading().execute(
        select(EventChunk.session_id).join(Session, Session.id == EventChunk.session_id).where(
            Session.project_id == project_id, EventChunk.form == "compact", EventChunk.dictionary_id.is_(None)
        )
    ).scalars().all()
