"""The ingest write path: one batch becomes rows plus its compressed events, in one
transaction, committed before the 200 answer.

- The events' bytes are staged in the database with the rows (``blobs/staged.py``):
  one commit makes the batch durable, and a failed or duplicate batch leaves nothing
  behind. Compaction moves them to the blob store.
- The receipt's unique key recognises a retried batch: it is acknowledged again with
  ``duplicate: true`` and stored once.
- Everything that needs no database (sorting, compressing, summarising, building the
  rows) happens before the transaction, and batches that arrive together share one
  transaction and one commit (``group_commit.py``); each is still answered only after
  the commit that holds it. On SQLite the transaction starts with BEGIN IMMEDIATE: it
  takes the write lock at once, so what it read stays true until it commits.
"""
from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from operator import itemgetter
from typing import Optional

from sqlalchemy import bindparam, select

from analysis.asset_refs import may_name_assets
from server.storage.batch import IngestBatch
from server.storage.batch_rows import (
    CONFLICT,
    AlreadyStored,
    BatchRows,
    batch_rows,
    mark_present,
    take_commands,
    write_rows,
    write_rows_together,
)
from server.storage.blobs.staged import STAGED_DIR
from server.storage.codec import compress_events, dump_events
from server.storage.database import db
from server.storage.dictionaries import Dictionary
from server.storage.errors import ConflictError
from server.storage.group_commit import GroupCommit
from server.storage.models import Session
from server.storage.prepared import driver_transaction, release_read
from server.storage.schedule import ASSETS_DELAY_MS
from server.storage.unit_of_work import reading

_sessions = Session.__table__
_SESSION_OWNER = select(_sessions.c.project_id, _sessions.c.watched_until).where(_sessions.c.id == bindparam("session_id"))


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


def store_batch(project_id: int, batch: IngestBatch, *, now_ms: int, analysis_due_at: int,
                dictionary: Optional[Dictionary] = None) -> StoreResult:
    """Store a batch once.

    :commits: the batch's chunk with its bytes (staged in the database until
        compaction), receipt, pages, variants and marks, and the session's counters.
    :raise ConflictError: when the session id belongs to another project.
    """
    if not batch.events:
        return poll_session(project_id, batch.session_id, now_ms=now_ms)
    events = sorted(batch.events, key=itemgetter("timestamp"))  # stable: ties keep arrival order
    raw = dump_events(events)
    blob = compress_events(raw, dictionary=dictionary.data if dictionary else None)
    # The suffix keeps racing copies of one batch apart (one is kept); it need not be secret.
    key = chunk_key(batch.session_id, f"{STAGED_DIR}b-{batch.window_id}-{batch.seq}-{random.getrandbits(32):08x}")
    chunk = {"blob_key": key, "raw_bytes": len(raw), "stored_bytes": len(blob),
             "dictionary_id": dictionary.id if dictionary else None}
    rows = batch_rows(project_id, batch, events, chunk, blob, now_ms=now_ms, analysis_due_at=analysis_due_at,
                      assets_due_at=now_ms + ASSETS_DELAY_MS if may_name_assets(raw) else None)
    try:
        live, commands = _write(rows)
    except AlreadyStored:
        return StoreResult(len(batch.events), duplicate=True)
    return StoreResult(len(batch.events), duplicate=False, live=live, commands=commands, events=tuple(events))


def _write(rows: BatchRows) -> tuple[bool, tuple[dict, ...]]:
    """:raise ConflictError, AlreadyStored: as ``write_rows``."""
    release_read()
    engine = db.engine
    return _group_commit(engine).submit(engine, rows)


_groups: dict[str, GroupCommit] = {}
_groups_guard = threading.Lock()


def _group_commit(engine) -> GroupCommit:
    """This process's queue of batches for one database. On SQLite the group takes the
    write lock first (BEGIN IMMEDIATE), so what it reads stays true until it commits."""
    database = str(engine.url)
    with _groups_guard:
        if database not in _groups:
            begin = "BEGIN IMMEDIATE" if engine.dialect.name == "sqlite" else None
            _groups[database] = GroupCommit(write_rows_together, write_rows, begin=begin)
        return _groups[database]


def poll_session(project_id: int, session_id: str, *, now_ms: int) -> StoreResult:
    """An empty batch is a poll: it stores nothing (no receipt, its seq stays free) and
    answers whether someone watches, handing over waiting moderator commands. A watched
    page's poll also counts as an arrival: the page is open, so the session is live.

    :commits: the commands handed over, marked delivered, and the arrival.
    :raise ConflictError: when the session id belongs to another project.
    """
    row = reading().execute(_SESSION_OWNER, {"session_id": session_id}).first()
    if row is None:
        return StoreResult(0, duplicate=False)
    if row.project_id != project_id:
        raise ConflictError(CONFLICT)
    if row.watched_until is None or row.watched_until <= now_ms:
        return StoreResult(0, duplicate=False)
    with driver_transaction() as transaction:
        mark_present(transaction, session_id, now_ms)
        commands = take_commands(transaction, session_id, now_ms)
    return StoreResult(0, duplicate=False, live=True, commands=commands)
