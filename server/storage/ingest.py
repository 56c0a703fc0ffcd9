"""The ingest write path: one batch becomes one blob plus rows, in one transaction.

Order matters for the guarantees:
1. a quick duplicate check (retries cost no blob write);
2. the blob is written and fsynced *before* the transaction, so the database lock is
   never held across disk flushes;
3. the transaction starts with a write (SQLite takes its write lock at once instead
   of failing a read-to-write upgrade) and inserts the receipt, whose unique
   constraint settles races between concurrent retries;
4. commit, then answer 200. A failure anywhere deletes the orphan blob.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from operator import itemgetter
from typing import Optional

from sqlalchemy import case, select, update
from sqlalchemy.orm import Session as OrmSession

from server.errors import Conflict
from server.ingest.batch import IngestBatch
from server.ingest.summary import BatchSummary, summarize_batch
from server.storage.blobs import BlobStore
from server.storage.codec import encode_events
from server.storage.dictionaries import Dictionary
from server.storage.dialect import insert_for
from server.storage.models import BatchReceipt, EventChunk, Project, Session, SessionPage, SessionVariant


@dataclass(frozen=True)
class StoreResult:
    accepted: int
    duplicate: bool


def chunk_key(session_id: str, name: str) -> str:
    return f"sessions/{session_id}/{name}.zst"


def session_prefix(session_id: str) -> str:
    return f"sessions/{session_id}/"


def is_stored(db: OrmSession, batch: IngestBatch) -> bool:
    return db.execute(
        select(BatchReceipt.id).where(
            BatchReceipt.session_id == batch.session_id,
            BatchReceipt.window_id == batch.window_id,
            BatchReceipt.seq == batch.seq,
        )
    ).first() is not None


def store_batch(
    db: OrmSession,
    blobs: BlobStore,
    project: Project,
    batch: IngestBatch,
    *,
    now_ms: int,
    analysis_due_at: int,
    dictionary: Optional[Dictionary] = None,
) -> StoreResult:
    """Store a batch once and commit.

    :raise Conflict: when the session id belongs to another project.
    """
    project_id = project.id
    duplicate = is_stored(db, batch)
    db.rollback()  # end the read snapshot: the write transaction below must start fresh
    if duplicate:
        return StoreResult(len(batch.events), duplicate=True)
    events = sorted(batch.events, key=itemgetter("timestamp"))  # stable: ties keep arrival order
    blob = raw_size = None
    key = None
    if events:
        blob, raw_size = encode_events(events, dictionary=dictionary.data if dictionary else None)
        key = chunk_key(batch.session_id, f"b-{batch.window_id}-{batch.seq}-{secrets.token_hex(4)}")
        blobs.put(key, blob)
    try:
        stored = _write_rows(db, project_id, batch, events, key, blob, raw_size, dictionary, now_ms, analysis_due_at)
    except BaseException:
        db.rollback()
        if key:
            blobs.delete(key)
        raise
    if not stored and key:
        blobs.delete(key)
    return StoreResult(len(batch.events), duplicate=not stored)


def _write_rows(db, project_id, batch, events, key, blob, raw_size, dictionary, now_ms, analysis_due_at) -> bool:
    first_ts = events[0]["timestamp"] if events else now_ms
    last_ts = events[-1]["timestamp"] if events else now_ms
    _insert_session(db, project_id, batch, first_ts, last_ts, now_ms)
    owner = db.execute(select(Session.project_id).where(Session.id == batch.session_id)).scalar_one()
    if owner != project_id:
        db.rollback()
        raise Conflict("This session_id belongs to another project.")
    receipt = insert_for(db, BatchReceipt.__table__).values(
        session_id=batch.session_id, window_id=batch.window_id, seq=batch.seq,
        event_count=len(events), received_at=now_ms,
    ).on_conflict_do_nothing(index_elements=["session_id", "window_id", "seq"])
    if db.execute(receipt).rowcount == 0:
        db.rollback()
        return False
    summary = summarize_batch(events)
    if key:
        db.add(EventChunk(
            session_id=batch.session_id, form="batch", blob_key=key, first_ts=first_ts, last_ts=last_ts,
            event_count=len(events), raw_bytes=raw_size, stored_bytes=len(blob),
            dictionary_id=dictionary.id if dictionary else None, created_at=now_ms,
        ))
    db.add_all(SessionPage(session_id=batch.session_id, ts=ts, url=url, title=title) for ts, url, title in summary.pages)
    _record_variants(db, batch.session_id, {**batch.meta.variants, **summary.variants})
    _update_counters(db, batch, summary, events, first_ts, last_ts, raw_size or 0, len(blob or b""), now_ms, analysis_due_at)
    db.commit()
    return True


def _insert_session(db, project_id, batch, first_ts, last_ts, now_ms) -> None:
    meta = batch.meta
    statement = insert_for(db, Session.__table__).values(
        id=batch.session_id, project_id=project_id, started_at=first_ts, ended_at=last_ts,
        first_received_at=now_ms, last_received_at=now_ms, entry_url=meta.url, referrer=meta.referrer,
        user_agent=meta.user_agent, viewport_w=meta.viewport_w, viewport_h=meta.viewport_h,
        distinct_id=meta.distinct_id, sdk_version=meta.sdk_version, study=meta.study,
        participant=meta.participant, event_count=0, batch_count=0, raw_bytes=0, stored_bytes=0,
        click_count=0, error_count=0, pageview_count=0, frustration_score=0.0,
    )
    db.execute(statement.on_conflict_do_nothing(index_elements=["id"]))


def _record_variants(db, session_id: str, variants: dict[str, str]) -> None:
    for experiment, variant in variants.items():
        statement = insert_for(db, SessionVariant.__table__).values(
            session_id=session_id, experiment=experiment, variant=variant
        )
        db.execute(statement.on_conflict_do_update(
            index_elements=["session_id", "experiment"], set_={"variant": variant}
        ))


def _update_counters(db, batch, summary: BatchSummary, events, first_ts, last_ts, raw_size, stored_size, now_ms, due) -> None:
    meta = batch.meta
    values = dict(
        event_count=Session.event_count + len(events),
        batch_count=Session.batch_count + 1,
        raw_bytes=Session.raw_bytes + raw_size,
        stored_bytes=Session.stored_bytes + stored_size,
        click_count=Session.click_count + summary.clicks,
        error_count=Session.error_count + summary.errors,
        pageview_count=Session.pageview_count + summary.pageviews,
        last_received_at=now_ms,
        analysis_due_at=due,
    )
    if events:
        values["started_at"] = case((Session.started_at > first_ts, first_ts), else_=Session.started_at)
        values["ended_at"] = case((Session.ended_at < last_ts, last_ts), else_=Session.ended_at)
    for name in ("distinct_id", "study", "participant"):
        if getattr(meta, name):
            values[name] = getattr(meta, name)
    db.execute(update(Session).where(Session.id == batch.session_id).values(**values))
