"""The rows one ingest batch writes, and the SQL that writes them: many batches in one
transaction (``write_rows_together``, the group commit of ``group_commit.py``), or one
in its own (``write_rows``: a poll's handover, and the fallback when a group fails).

The statements are compiled once per dialect and run on the driver's cursor
(``prepared.py``): on this hot path, SQLAlchemy's per-statement work cost more than the
database's own.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from sqlalchemy import bindparam, case, func, select, update
from sqlalchemy.engine import Dialect

from analysis.batch_summary import BatchSummary, summarize_batch
from server.storage.batch import IngestBatch, without_nul
from server.storage.dialect import insert_for_dialect
from server.storage.errors import ConflictError
from server.storage.models import (
    BatchReceipt,
    EventChunk,
    LiveCommand,
    Session,
    SessionAnswer,
    SessionMark,
    SessionPage,
    SessionVariant,
    StoredBlob,
)
from server.storage.prepared import DriverTransaction, Prepared, prepare

_sessions = Session.__table__
_receipts = BatchReceipt.__table__
_commands = LiveCommand.__table__
CONFLICT = "This session_id belongs to another project."


class AlreadyStored(Exception):
    """A retry of a stored batch: raised to roll its transaction back."""


class Raced(Exception):
    """Another writer changed what a group's writes were decided on: write them one by one."""


# Per-batch counters: a new session starts at the batch's values, a known one adds them.
_COUNTERS = ("event_count", "batch_count", "raw_bytes", "stored_bytes", "click_count", "error_count", "pageview_count",
             "console_error_count", "failed_request_count")
# The columns a batch writes to its session (``_session_row``).
_SESSION_COLUMNS = (
    "id", "project_id", "started_at", "ended_at", "first_received_at", "last_received_at", "analysis_due_at",
    "assets_due_at", "entry_url", "referrer", "user_agent", "viewport_w", "viewport_h", "distinct_id", "sdk_version",
    "study", "participant", *_COUNTERS, "slowest_request_ms", "frustration_score",
)
_RECEIPT_COLUMNS = ("session_id", "window_id", "seq", "event_count", "received_at")
_CHUNK_COLUMNS = ("session_id", "form", "blob_key", "first_ts", "last_ts", "event_count", "raw_bytes",
                  "stored_bytes", "dictionary_id", "frames", "created_at")


@dataclass(frozen=True)
class _Statements:
    add_to_session: Prepared  # returning the session's owner and watch mark
    add_to_sessions: Prepared  # the same, returning nothing (for many rows at once)
    insert_receipt: Prepared  # returning a row only when the batch is new
    insert_receipts: Prepared  # a plain insert: a receipt stored meanwhile fails it (for many rows at once)
    insert_chunk: Prepared
    insert_blob: Prepared  # the chunk's bytes, staged in the database (``blobs/staged.py``)
    insert_page: Prepared
    set_variant: Prepared
    insert_mark: Prepared
    insert_answer: Prepared
    pending_commands: Prepared
    mark_delivered: Prepared
    mark_present: Prepared  # a watched page's poll: it is still there (the live window counts it)
    command_payload: Callable  # the JSON column's value as stored → as written


@functools.lru_cache(maxsize=4)
def _statements(dialect: Dialect) -> _Statements:
    new = insert_for_dialect(dialect.name, _sessions)
    seen = new.excluded
    add_to_session = new.on_conflict_do_update(index_elements=["id"], set_={
        **{name: _sessions.c[name] + seen[name] for name in _COUNTERS},
        "started_at": case((seen.started_at < _sessions.c.started_at, seen.started_at), else_=_sessions.c.started_at),
        "ended_at": case((seen.ended_at > _sessions.c.ended_at, seen.ended_at), else_=_sessions.c.ended_at),
        # The greater of the two; a batch without a timed request (None) leaves it be.
        "slowest_request_ms": case((seen.slowest_request_ms.is_(None), _sessions.c.slowest_request_ms),
                                   (_sessions.c.slowest_request_ms.is_(None), seen.slowest_request_ms),
                                   (seen.slowest_request_ms > _sessions.c.slowest_request_ms, seen.slowest_request_ms),
                                   else_=_sessions.c.slowest_request_ms),
        "last_received_at": seen.last_received_at,
        "analysis_due_at": seen.analysis_due_at,
        # The earlier of the two due marks; a batch naming no asset (None) leaves it be.
        "assets_due_at": case((_sessions.c.assets_due_at <= func.coalesce(seen.assets_due_at, _sessions.c.assets_due_at),
                               _sessions.c.assets_due_at), else_=seen.assets_due_at),
        **{name: func.coalesce(seen[name], _sessions.c[name]) for name in ("distinct_id", "study", "participant")},
    }, where=_sessions.c.project_id == seen.project_id)  # another project's session is left untouched
    # RETURNING says whether the row went in: rowcount is -1 on PostgreSQL here.
    insert_receipt = insert_for_dialect(dialect.name, _receipts).on_conflict_do_nothing(
        index_elements=["session_id", "window_id", "seq"]).returning(_receipts.c.id)
    variant = insert_for_dialect(dialect.name, SessionVariant.__table__)
    set_variant = variant.on_conflict_do_update(index_elements=["session_id", "experiment"],
                                                set_={"variant": variant.excluded.variant})
    pending = select(_commands.c.id, _commands.c.payload).where(
        _commands.c.session_id == bindparam("session_id"), _commands.c.delivered_at.is_(None)).order_by(_commands.c.id)
    delivered = update(_commands).where(_commands.c.id == bindparam("command_id")).values(delivered_at=bindparam("now"))
    payload = _commands.c.payload.type.result_processor(dialect, None) or (lambda value: value)
    return _Statements(
        add_to_session=prepare(add_to_session.returning(_sessions.c.project_id, _sessions.c.watched_until), dialect,
                               _SESSION_COLUMNS),
        add_to_sessions=prepare(add_to_session, dialect, _SESSION_COLUMNS),
        insert_receipt=prepare(insert_receipt, dialect, _RECEIPT_COLUMNS),
        insert_receipts=prepare(_receipts.insert().inline(), dialect, _RECEIPT_COLUMNS),
        insert_chunk=prepare(EventChunk.__table__.insert().inline(), dialect, _CHUNK_COLUMNS),
        insert_blob=prepare(StoredBlob.__table__.insert().inline(), dialect, ("key", "data")),
        insert_page=prepare(SessionPage.__table__.insert().inline(), dialect, ("session_id", "ts", "url", "title")),
        set_variant=prepare(set_variant, dialect, ("session_id", "experiment", "variant")),
        insert_mark=prepare(SessionMark.__table__.insert().inline(), dialect, ("session_id", "kind", "name", "status", "ts")),
        insert_answer=prepare(SessionAnswer.__table__.insert().inline(), dialect,
                              ("session_id", "question", "task_id", "value", "ts")),
        pending_commands=prepare(pending, dialect),
        mark_present=prepare(update(_sessions).where(_sessions.c.id == bindparam("session_id"))
                             .values(last_received_at=func.greatest(_sessions.c.last_received_at, bindparam("now")))
                             if dialect.name == "postgresql" else
                             update(_sessions).where(_sessions.c.id == bindparam("session_id"))
                             .values(last_received_at=func.max(_sessions.c.last_received_at, bindparam("now"))),
                             dialect, ("session_id", "now")),
        mark_delivered=prepare(delivered, dialect),
        command_payload=payload,
    )


@dataclass(frozen=True)
class BatchRows:
    """What one batch writes, built before the transaction (see ``batch_rows``)."""

    session: dict
    receipt: dict
    chunk: dict
    blob: dict  # {key, data}: the chunk's compressed events
    pages: list[dict]
    variants: list[dict]
    marks: list[dict]
    answers: list[dict]

    @property
    def session_id(self) -> str:
        return self.session["id"]

    @property
    def project_id(self) -> int:
        return self.session["project_id"]

    @property
    def now_ms(self) -> int:
        return self.receipt["received_at"]

    @property
    def batch_key(self) -> tuple[str, str, int]:
        return self.receipt["session_id"], self.receipt["window_id"], self.receipt["seq"]


def write_rows(transaction: DriverTransaction, rows: BatchRows) -> tuple[bool, tuple[dict, ...]]:
    """Write one batch; (whether someone watches, the moderator commands handed over).

    :raise ConflictError: when the session belongs to another project.
    :raise AlreadyStored: for a retry (the caller's transaction rolls back).
    """
    statements = _statements(transaction.dialect)
    added = transaction.fetch_one(statements.add_to_session, rows.session)
    if added is None:  # the session is another project's: the upsert left it alone
        raise ConflictError(CONFLICT)
    watched_until = added[1]
    if transaction.fetch_one(statements.insert_receipt, rows.receipt) is None:
        raise AlreadyStored()
    transaction.execute(statements.insert_chunk, rows.chunk)
    transaction.execute(statements.insert_blob, rows.blob)
    _write_notes(transaction, statements, [rows])
    return _handover(transaction, rows, watched_until)


def write_rows_together(transaction: DriverTransaction, group: Sequence[BatchRows]) -> list:
    """Write many batches in one transaction; per batch, (live, commands) or the exception
    its own transaction would have raised (``ConflictError``, ``AlreadyStored``).

    Owners and receipts are read first and decide each batch's fate. Should another
    writer change them before the writes (another process; SQLite's BEGIN IMMEDIATE
    rules that out), a receipt insert fails on its unique key or the owners read again
    at the end differ: the group then raises ``Raced`` and is written one by one.
    """
    statements = _statements(transaction.dialect)
    owners = _owners(transaction, {rows.session_id for rows in group})
    stored = _stored_batches(transaction, [rows.batch_key for rows in group])
    outcomes: list = []
    accepted: list[BatchRows] = []
    for rows in group:
        owner = owners.setdefault(rows.session_id, (rows.project_id, None))
        if owner[0] != rows.project_id:
            outcomes.append(ConflictError(CONFLICT))
        elif rows.batch_key in stored:
            outcomes.append(AlreadyStored())
        else:
            stored.add(rows.batch_key)
            accepted.append(rows)
            outcomes.append(rows)
    if accepted:
        transaction.execute_many(statements.add_to_sessions, [rows.session for rows in accepted])
        transaction.execute_many(statements.insert_receipts, [rows.receipt for rows in accepted])
        transaction.execute_many(statements.insert_chunk, [rows.chunk for rows in accepted])
        transaction.execute_many(statements.insert_blob, [rows.blob for rows in accepted])
        _write_notes(transaction, statements, accepted)
        written = _owners(transaction, {rows.session_id for rows in accepted})
        if any(written[rows.session_id][0] != rows.project_id for rows in accepted):
            raise Raced()
    return [_handover(transaction, outcome, owners[outcome.session_id][1]) if isinstance(outcome, BatchRows)
            else outcome for outcome in outcomes]


def _placeholders(transaction: DriverTransaction, count: int) -> list[str]:
    return ["?" if transaction.dialect.positional else "%s"] * count


def _owners(transaction: DriverTransaction, session_ids: set[str]) -> dict[str, tuple[int, Optional[int]]]:
    """``{session id: (project id, watched until)}`` of the sessions stored already."""
    ids = sorted(session_ids)
    transaction.cursor.execute(f"SELECT id, project_id, watched_until FROM {_sessions.name} "
                               f"WHERE id IN ({', '.join(_placeholders(transaction, len(ids)))})", ids)
    return {session_id: (project_id, watched) for session_id, project_id, watched in transaction.cursor.fetchall()}


def _stored_batches(transaction: DriverTransaction, keys: list[tuple[str, str, int]]) -> set[tuple[str, str, int]]:
    """Which of these (session, window, seq) have a receipt already."""
    # One indexed lookup per key: SQLite scans the whole table for a row-value IN (VALUES ...).
    p = _placeholders(transaction, 1)[0]
    matches = " OR ".join(f"(session_id = {p} AND window_id = {p} AND seq = {p})" for _ in keys)
    transaction.cursor.execute(f"SELECT session_id, window_id, seq FROM {_receipts.name} WHERE {matches}",
                               [value for key in keys for value in key])
    return {tuple(row) for row in transaction.cursor.fetchall()}


def _write_notes(transaction: DriverTransaction, statements: _Statements, group: Sequence[BatchRows]) -> None:
    """The batches' page entries, variants and marks (what list filters read), and study answers."""
    for statement, rows_of in ((statements.insert_page, lambda rows: rows.pages),
                               (statements.set_variant, lambda rows: rows.variants),
                               (statements.insert_mark, lambda rows: rows.marks),
                               (statements.insert_answer, lambda rows: rows.answers)):
        many = [row for rows in group for row in rows_of(rows)]
        if many:
            transaction.execute_many(statement, many)


def _handover(transaction: DriverTransaction, rows: BatchRows, watched_until: Optional[int]) -> tuple[bool, tuple]:
    live = watched_until is not None and watched_until > rows.now_ms
    return live, take_commands(transaction, rows.session_id, rows.now_ms) if live else ()


def mark_present(transaction: DriverTransaction, session_id: str, now_ms: int) -> None:
    """A watched session's page polled: it is open, so the session stays live (a live
    room's badge and the list's Live use the time of the last arrival)."""
    transaction.execute(_statements(transaction.dialect).mark_present, {"session_id": session_id, "now": now_ms})


def take_commands(transaction: DriverTransaction, session_id: str, now_ms: int) -> tuple[dict, ...]:
    """Undelivered moderator commands, marked delivered in this transaction (so a
    failed commit hands them out again with the retried batch)."""
    statements = _statements(transaction.dialect)
    found = transaction.fetch_all(statements.pending_commands, {"session_id": session_id})
    if found:
        transaction.execute_many(statements.mark_delivered, [{"command_id": row[0], "now": now_ms} for row in found])
    return tuple(statements.command_payload(row[1]) for row in found)


def batch_rows(project_id: int, batch: IngestBatch, events: list[dict], chunk: dict, blob: bytes, *, now_ms: int,
               analysis_due_at: int, assets_due_at: Optional[int]) -> BatchRows:
    """The rows of one batch (``events`` sorted), its chunk described by ``chunk`` and
    compressed as ``blob``."""
    summary = summarize_batch(events)
    session_id = batch.session_id
    first_ts, last_ts = events[0]["timestamp"], events[-1]["timestamp"]
    variants = {**batch.meta.variants, **summary.variants}
    return BatchRows(
        session={**_session_row(project_id, batch, summary, chunk, first_ts, last_ts, now_ms, analysis_due_at),
                 "assets_due_at": assets_due_at},
        receipt={"session_id": session_id, "window_id": batch.window_id, "seq": batch.seq,
                 "event_count": len(events), "received_at": now_ms},
        blob={"key": chunk["blob_key"], "data": blob},
        chunk={**chunk, "session_id": session_id, "form": "batch", "first_ts": first_ts, "last_ts": last_ts,
               "event_count": len(events), "frames": None, "created_at": now_ms},
        # Names and titles come from the events: NUL is the one character a column refuses.
        pages=[{"session_id": session_id, "ts": page.entered, "url": without_nul(page.url),
                "title": without_nul(page.title or "")} for page in summary.pages],
        variants=[{"session_id": session_id, "experiment": without_nul(e), "variant": without_nul(v)}
                  for e, v in variants.items()],
        marks=[{"session_id": session_id, "kind": kind, "name": without_nul(name), "status": without_nul(status),
                "ts": ts} for kind, name, status, ts in summary.marks],
        answers=[{"session_id": session_id, "question": answer.question, "value": without_nul(answer.value),
                  "task_id": without_nul(answer.task_id) if answer.task_id else None, "ts": ts}
                 for answer, ts in summary.answers],
    )


def _session_row(project_id: int, batch: IngestBatch, summary: BatchSummary, chunk: dict, first_ts: int, last_ts: int,
                 now_ms: int, analysis_due_at: int) -> dict:
    """The session as this batch alone shows it (the upsert adds it to what is stored)."""
    meta = batch.meta
    return {
        "id": batch.session_id, "project_id": project_id, "started_at": first_ts, "ended_at": last_ts,
        "first_received_at": now_ms, "last_received_at": now_ms, "analysis_due_at": analysis_due_at,
        "entry_url": meta.url, "referrer": meta.referrer, "user_agent": meta.user_agent,
        "viewport_w": meta.viewport_w, "viewport_h": meta.viewport_h, "distinct_id": meta.distinct_id,
        "sdk_version": meta.sdk_version, "study": meta.study, "participant": meta.participant,
        "event_count": len(batch.events), "batch_count": 1, "raw_bytes": chunk["raw_bytes"],
        "stored_bytes": chunk["stored_bytes"], "click_count": summary.clicks, "error_count": summary.errors,
        "pageview_count": summary.pageviews, "console_error_count": summary.console_errors,
        "failed_request_count": summary.failed_requests, "slowest_request_ms": summary.slowest_request_ms,
        "frustration_score": 0.0,
    }
