"""The ingest write path: one batch becomes one blob plus rows, in one transaction.

Order matters for the guarantees:
1. the blob is written *before* the transaction, so the database lock is never held
   across file writes;
2. the transaction starts with a write (SQLite takes its write lock at once instead
   of failing a read-to-write upgrade) and inserts the receipt, whose unique
   constraint recognises a retried batch (its blob is then deleted: retries are rare,
   so no read ahead of every write pays for them);
3. commit, then answer 200. A failure anywhere deletes the orphan blob.

Statements are built once per dialect with bind parameters: on this hot path,
building SQL expressions per request cost more than the database work.
"""
from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from operator import itemgetter
from typing import Optional

from sqlalchemy import Connection, bindparam, case, func, select, update

from analysis.batch_summary import BatchSummary, summarize_batch
from server.storage.batch import IngestBatch
from server.storage.blobs import BlobStore
from server.storage.codec import encode_events
from server.storage.dialect import insert_for_dialect
from server.storage.dictionaries import Dictionary
from server.storage.errors import ConflictError
from server.storage.models import BatchReceipt, EventChunk, LiveCommand, Session, SessionMark, SessionPage, SessionVariant
from server.storage.schedule import ASSETS_DELAY_MS
from server.storage.unit_of_work import reading, unit_of_work

_sessions = Session.__table__
_receipts = BatchReceipt.__table__


@dataclass(frozen=True)
class StoreResult:
    accepted: int
    duplicate: bool
    live: bool = False  # an observer is watching: the SDK should flush faster
    commands: tuple[dict, ...] = ()  # moderator messages for the participant
    events: tuple[dict, ...] = ()  # what was stored, in stream order (for live rooms)


def chunk_key(session_id: str, name: str) -> str:
    return f"sessions/{session_id}/{name}.zst"


def session_prefix(session_id: str) -> str:
    return f"sessions/{session_id}/"


# Per-batch counters: a new session starts at the batch's values, a known one adds them.
_COUNTERS = ("event_count", "batch_count", "raw_bytes", "stored_bytes", "click_count", "error_count", "pageview_count")
_SESSION_OWNER = select(_sessions.c.project_id, _sessions.c.watched_until).where(_sessions.c.id == bindparam("session_id"))
_commands = LiveCommand.__table__
_PENDING_COMMANDS = select(_commands.c.id, _commands.c.payload).where(
    _commands.c.session_id == bindparam("session_id"), _commands.c.delivered_at.is_(None)).order_by(_commands.c.id)
_MARK_DELIVERED = update(_commands).where(_commands.c.id.in_(bindparam("ids", expanding=True))).values(
    delivered_at=bindparam("now"))


@functools.cache
def _upserts(dialect: str):
    """(add or update the session, returning its owner; insert receipt if new; set variant)."""
    new = insert_for_dialect(dialect, _sessions)
    seen = new.excluded
    add_to_session = new.on_conflict_do_update(index_elements=["id"], set_={
        **{name: _sessions.c[name] + seen[name] for name in _COUNTERS},
        "started_at": case((seen.started_at < _sessions.c.started_at, seen.started_at), else_=_sessions.c.started_at),
        "ended_at": case((seen.ended_at > _sessions.c.ended_at, seen.ended_at), else_=_sessions.c.ended_at),
        "last_received_at": seen.last_received_at,
        "analysis_due_at": seen.analysis_due_at,
        "assets_due_at": case((_sessions.c.assets_due_at < seen.assets_due_at, _sessions.c.assets_due_at),
                              else_=seen.assets_due_at),
        **{name: func.coalesce(seen[name], _sessions.c[name]) for name in ("distinct_id", "study", "participant")},
    }).returning(_sessions.c.project_id, _sessions.c.watched_until)
    # RETURNING says whether the row went in: rowcount is -1 on PostgreSQL here.
    insert_receipt = insert_for_dialect(dialect, _receipts).on_conflict_do_nothing(
        index_elements=["session_id", "window_id", "seq"]).returning(_receipts.c.id)
    variant_insert = insert_for_dialect(dialect, SessionVariant.__table__)
    set_variant = variant_insert.on_conflict_do_update(
        index_elements=["session_id", "experiment"], set_={"variant": variant_insert.excluded.variant})
    return add_to_session, insert_receipt, set_variant


class _AlreadyStored(Exception):
    """A retry of a stored batch: raised to roll its transaction back."""


def store_batch(blobs: BlobStore, project_id: int, batch: IngestBatch, *, now_ms: int, analysis_due_at: int,
                dictionary: Optional[Dictionary] = None) -> StoreResult:
    """Store a batch once.

    :commits: the batch's chunk, receipt, pages, variants and marks, and the session's
        counters (its blob is written and synced before).
    :raise ConflictError: when the session id belongs to another project.
    """
    if not batch.events:
        return poll_session(project_id, batch.session_id, now_ms=now_ms)
    events = sorted(batch.events, key=itemgetter("timestamp"))  # stable: ties keep arrival order
    blob, raw_size = encode_events(events, dictionary=dictionary.data if dictionary else None)
    key = chunk_key(batch.session_id, f"b-{batch.window_id}-{batch.seq}-{secrets.token_hex(4)}")
    blobs.put(key, blob)
    chunk = {"blob_key": key, "raw_bytes": raw_size, "stored_bytes": len(blob),
             "dictionary_id": dictionary.id if dictionary else None}
    try:
        with unit_of_work() as db:
            return _write_rows(db.connection(), project_id, batch, events, chunk, now_ms, analysis_due_at)
    except _AlreadyStored:
        blobs.delete(key)
        return StoreResult(len(batch.events), duplicate=True)
    except BaseException:
        blobs.delete(key)
        raise


def poll_session(project_id: int, session_id: str, *, now_ms: int) -> StoreResult:
    """An empty batch is a poll: it stores nothing (no receipt, its seq stays free) and
    answers whether someone watches, handing over waiting moderator commands.

    :commits: the commands handed over, marked delivered.
    :raise ConflictError: when the session id belongs to another project.
    """
    row = reading().execute(_SESSION_OWNER, {"session_id": session_id}).first()
    if row is None:
        return StoreResult(0, duplicate=False)
    if row.project_id != project_id:
        raise ConflictError("This session_id belongs to another project.")
    if row.watched_until is None or row.watched_until <= now_ms:
        return StoreResult(0, duplicate=False)
    with unit_of_work() as db:
        commands = _take_commands(db.connection(), session_id, now_ms)
    return StoreResult(0, duplicate=False, live=True, commands=commands)


def _write_rows(conn: Connection, project_id: int, batch: IngestBatch, events: list[dict], chunk: dict,
                now_ms: int, analysis_due_at: int) -> StoreResult:
    """Core statements on the connection: they skip the ORM's per-execute work.

    :raise _AlreadyStored: for a retry (the caller's unit of work rolls back).
    """
    add_to_session, insert_receipt, set_variant = _upserts(conn.dialect.name)
    summary = summarize_batch(events)
    first_ts, last_ts = events[0]["timestamp"], events[-1]["timestamp"]
    row = _session_row(project_id, batch, summary, chunk, first_ts, last_ts, now_ms, analysis_due_at)
    owner, watched_until = conn.execute(add_to_session, row).one()
    if owner != project_id:
        raise ConflictError("This session_id belongs to another project.")
    receipt = {"session_id": batch.session_id, "window_id": batch.window_id, "seq": batch.seq,
               "event_count": len(events), "received_at": now_ms}
    if conn.execute(insert_receipt, receipt).first() is None:
        raise _AlreadyStored()
    conn.execute(EventChunk.__table__.insert(), {
        **chunk, "session_id": batch.session_id, "form": "batch", "first_ts": first_ts, "last_ts": last_ts,
        "event_count": len(events), "frames": None, "created_at": now_ms})
    _note_summary(conn, set_variant, batch, summary)
    live = watched_until is not None and watched_until > now_ms
    commands = _take_commands(conn, batch.session_id, now_ms) if live else ()
    return StoreResult(len(batch.events), duplicate=False, live=live, commands=commands, events=tuple(events))


def _note_summary(conn: Connection, set_variant, batch: IngestBatch, summary: BatchSummary) -> None:
    """The batch's page entries, variants and marks: what list filters read."""
    session_id = batch.session_id
    if summary.pages:
        conn.execute(SessionPage.__table__.insert(), [
            {"session_id": session_id, "ts": page.entered, "url": page.url, "title": page.title or ""}
            for page in summary.pages])
    variants = {**batch.meta.variants, **summary.variants}
    if variants:
        conn.execute(set_variant, [{"session_id": session_id, "experiment": e, "variant": v} for e, v in variants.items()])
    if summary.marks:
        conn.execute(SessionMark.__table__.insert(), [
            {"session_id": session_id, "kind": kind, "name": name, "status": status, "ts": ts}
            for kind, name, status, ts in summary.marks])


def _take_commands(conn: Connection, session_id: str, now_ms: int) -> tuple[dict, ...]:
    """Undelivered moderator commands, marked delivered in this transaction (so a
    failed commit hands them out again with the retried batch)."""
    rows = conn.execute(_PENDING_COMMANDS, {"session_id": session_id}).all()
    if rows:
        conn.execute(_MARK_DELIVERED, {"ids": [row.id for row in rows], "now": now_ms})
    return tuple(row.payload for row in rows)


def _session_row(project_id: int, batch: IngestBatch, summary: BatchSummary, chunk: dict, first_ts: int, last_ts: int,
                 now_ms: int, analysis_due_at: int) -> dict:
    """The session as this batch alone shows it (the upsert adds it to what is stored)."""
    meta = batch.meta
    return {
        "id": batch.session_id, "project_id": project_id, "started_at": first_ts, "ended_at": last_ts,
        "first_received_at": now_ms, "last_received_at": now_ms, "analysis_due_at": analysis_due_at,
        "assets_due_at": now_ms + ASSETS_DELAY_MS,
        "entry_url": meta.url, "referrer": meta.referrer, "user_agent": meta.user_agent,
        "viewport_w": meta.viewport_w, "viewport_h": meta.viewport_h, "distinct_id": meta.distinct_id,
        "sdk_version": meta.sdk_version, "study": meta.study, "participant": meta.participant,
        "event_count": len(batch.events), "batch_count": 1, "raw_bytes": chunk["raw_bytes"],
        "stored_bytes": chunk["stored_bytes"], "click_count": summary.clicks, "error_count": summary.errors,
        "pageview_count": summary.pageviews, "frustration_score": 0.0,
    }
