"""Import and export of rrweb recordings as files (a bare event array, or an object
with ``events`` and optional ``session_id``/``meta``; gzip accepted)."""
from __future__ import annotations

import gzip
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import orjson
from sqlalchemy import case, update

from server.storage.batch import ID_PATTERN, IngestBatch, IngestError, parse_batch
from server.storage.blobs import BlobStore
from server.storage.codec import dump_json
from server.storage.dictionaries import DictionaryCache
from server.storage.errors import InvalidInput
from server.storage.ingest import store_batch
from server.storage.models import Session
from server.storage.unit_of_work import unit_of_work

IMPORT_WINDOW_ID = "imported"
# Imports are stored as batches of this many events, like a long recording sent live.
IMPORT_BATCH_EVENTS = 2000
GZIP_MAGIC = b"\x1f\x8b"


class TransferError(InvalidInput):
    """The file cannot be imported; the message names it."""


@dataclass(frozen=True)
class Recording:
    session_id: str
    events: list[dict[str, Any]]
    meta: dict[str, Any]


def read_recording(path: Path) -> Recording:
    """:raise TransferError: for unreadable, non-JSON or malformed files."""
    try:
        data = path.read_bytes()
        if data[:2] == GZIP_MAGIC:
            data = gzip.decompress(data)
        document = orjson.loads(data)
    except (OSError, EOFError, gzip.BadGzipFile, orjson.JSONDecodeError) as error:
        raise TransferError(f"{path}: {error}") from None
    if isinstance(document, list):
        document = {"events": document}
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        raise TransferError(f"{path}: expected an event array or an object with \"events\"")
    session_id = document.get("session_id")
    if not isinstance(session_id, str) or not ID_PATTERN.fullmatch(session_id):
        session_id = uuid.uuid4().hex
    meta = document.get("meta") if isinstance(document.get("meta"), dict) else {}
    return Recording(session_id, document["events"], meta)


def _ingest_meta(meta: dict[str, Any], events: list[dict]) -> dict[str, Any]:
    first_url = next((e["data"].get("href") for e in events if e.get("type") == 4 and isinstance(e.get("data"), dict)), "")
    kept = {key: meta[key] for key in ("user_agent", "viewport", "variants", "distinct_id", "study", "participant") if key in meta}
    return {"url": meta.get("url") or first_url or "", **kept}


def recording_batches(recording: Recording) -> list[IngestBatch]:
    """The recording as ingest batches, validated like anything the SDK sends.

    :raise TransferError: when an event is malformed.
    """
    meta = _ingest_meta(recording.meta, recording.events)
    batches = []
    for seq, start in enumerate(range(0, max(len(recording.events), 1), IMPORT_BATCH_EVENTS)):
        payload = {
            "session_id": recording.session_id, "window_id": IMPORT_WINDOW_ID, "seq": seq,
            "events": recording.events[start : start + IMPORT_BATCH_EVENTS], "meta": meta,
        }
        try:
            batches.append(parse_batch(payload))
        except IngestError as error:
            raise TransferError(f"session {recording.session_id}: {error}") from None
    return batches


def export_document(session_id: str, events: list[dict], meta: dict[str, Any]) -> bytes:
    return dump_json({"session_id": session_id, "events": events, "meta": meta})  # any depth ingest took


def store_recording(blobs: BlobStore, dictionaries: DictionaryCache, project_id: int, batches: list[IngestBatch],
                    *, clock: Callable[[], int]) -> int:
    """Store a recording's batches like ingest would, dated by the recording; returns
    the number of events stored (0 when it was imported before).

    :commits: each batch (see ``store_batch``), then the session's date.
    """
    stored = 0
    for batch in batches:
        now = clock()
        result = store_batch(project_id, batch, now_ms=now, analysis_due_at=now,
                             dictionary=dictionaries.latest(project_id))
        stored += 0 if result.duplicate else result.accepted
    date_import_by_recording(batches[0].session_id)
    return stored


def date_import_by_recording(session_id: str) -> None:
    """An imported recording counts as received when it was recorded (its last event),
    not when it was imported: it is not shown live, is compacted as idle at once, and
    ages out by its real age.

    :commits: the session's last_received_at.
    """
    with unit_of_work() as db:
        db.execute(update(Session).where(Session.id == session_id).values(
            last_received_at=case((Session.ended_at < Session.last_received_at, Session.ended_at),
                                  else_=Session.last_received_at)))
