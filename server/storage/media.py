"""Think-aloud recordings: the chunks the study widget uploads with a session
(``POST /api/v1/media``), stored like batches: bytes in the blob store under the
session's prefix (so a delete or purge takes them with the session, bytes first), a
row per chunk whose unique key makes a retried upload a duplicate, stored once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Optional

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from server.storage.blobs import BlobStore
from server.storage.errors import ConflictError, InvalidInput, NotFoundError
from server.storage.ingest import session_prefix
from server.storage.models import MediaChunk, Session
from server.storage.unit_of_work import reading, unit_of_work

RECORDING_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_SEQ = 1_000_000  # a chunk a second for eleven days
MEDIA_TYPES = {"audio": ("audio/webm", "audio/ogg", "audio/mp4"), "video": ("video/webm", "video/mp4")}
MIME = re.compile(r"(audio|video)/[a-z0-9.+-]{1,30}(;\s*codecs=\"?[A-Za-z0-9.,\s+-]{1,60}\"?)?")


@dataclass(frozen=True)
class MediaUpload:
    """One chunk as uploaded, checked (see :func:`parse_media_upload`)."""

    session_id: str
    recording_id: str
    seq: int
    kind: str
    mime: str
    started_at: int
    data: bytes


def _int(name: str, value: Optional[str], low: int, high: int) -> int:
    if value is None or not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise InvalidInput(f"{name} must be a whole number from {low} to {high}.")
    return int(value)


def parse_media_upload(args: dict, mime: str, data: bytes, *, session_id_pattern: re.Pattern, latest_ms: int) -> MediaUpload:
    """The chunk from the query (``session_id``, ``recording``, ``seq``, ``kind``,
    ``started_at`` in epoch ms), its Content-Type and body.

    :raise InvalidInput: naming the first field that is wrong; nothing is stored.
    """
    session_id = args.get("session_id") or ""
    if not session_id_pattern.fullmatch(session_id):
        raise InvalidInput("session_id must be 8-64 characters of A-Z, a-z, 0-9, _ and -.")
    recording = args.get("recording") or ""
    if not RECORDING_ID.fullmatch(recording):
        raise InvalidInput("recording must be 8-64 characters of A-Z, a-z, 0-9, _ and -.")
    kind = args.get("kind") or "audio"
    mime = (mime or "").strip().lower()
    if kind not in MEDIA_TYPES or not MIME.fullmatch(mime) or not mime.startswith(MEDIA_TYPES[kind]):
        raise InvalidInput(f"Content-Type must be one of {', '.join(t for types in MEDIA_TYPES.values() for t in types)} "
                           "(with codecs), matching kind=audio|video.")
    if not data:
        raise InvalidInput("The chunk is empty.")
    return MediaUpload(session_id, recording, _int("seq", args.get("seq"), 0, MAX_SEQ), kind, mime,
                       _int("started_at", args.get("started_at"), 946_684_800_000, latest_ms), data)


def media_key(session_id: str, recording_id: str, seq: int) -> str:
    return f"{session_prefix(session_id)}media/{recording_id}/{seq:07d}"


def media_bytes(session_id: str) -> int:
    """What the session's recordings hold so far."""
    return reading().execute(select(func.coalesce(func.sum(MediaChunk.size), 0))
                             .where(MediaChunk.session_id == session_id)).scalar_one()


def store_media_chunk(blobs: BlobStore, project_id: int, upload: MediaUpload, *, now_ms: int) -> bool:
    """Store a chunk once; True when it was stored before (a retry).

    :raise NotFoundError: when no batch of the session arrived yet (the widget sends it again later).
    :raise ConflictError: when the session belongs to another project.
    :commits: the chunk's row, after its bytes are in the blob store.
    """
    owner = reading().execute(select(Session.project_id).where(Session.id == upload.session_id)).scalar()
    if owner is None:
        raise NotFoundError("No batch of this session has arrived yet; send the chunk again later.")
    if owner != project_id:
        raise ConflictError("This session_id belongs to another project.")
    if _stored(upload):
        return True
    key = media_key(upload.session_id, upload.recording_id, upload.seq)
    blobs.put(key, upload.data)  # the same bytes under the same key: a race of two retries is harmless
    try:
        with unit_of_work() as db:
            db.add(MediaChunk(session_id=upload.session_id, recording_id=upload.recording_id, seq=upload.seq,
                              kind=upload.kind, mime=upload.mime, started_at=upload.started_at, size=len(upload.data),
                              blob_key=key, received_at=now_ms))
    except IntegrityError:
        return True  # the same chunk, stored meanwhile by a concurrent retry
    return False


def _stored(upload: MediaUpload) -> bool:
    return reading().execute(select(MediaChunk.id).where(
        MediaChunk.session_id == upload.session_id, MediaChunk.recording_id == upload.recording_id,
        MediaChunk.seq == upload.seq)).first() is not None


@dataclass(frozen=True)
class Recording:
    """A recording of a session: its chunks' facts (in ``seq`` order)."""

    recording_id: str
    kind: str
    mime: str
    started_at: int
    size: int
    chunks: int
    first_received_at: int
    last_received_at: int


def session_recordings(session_id: str) -> list[Recording]:
    """The session's recordings, in the order they started."""
    rows = reading().execute(
        select(MediaChunk.recording_id, func.min(MediaChunk.kind), func.min(MediaChunk.mime),
               func.min(MediaChunk.started_at), func.sum(MediaChunk.size), func.count(),
               func.min(MediaChunk.received_at), func.max(MediaChunk.received_at))
        .where(MediaChunk.session_id == session_id).group_by(MediaChunk.recording_id)).all()
    return sorted((Recording(*row) for row in rows), key=lambda r: (r.started_at, r.recording_id))


def recording_chunks(blobs: BlobStore, session_id: str, recording_id: str) -> Iterator[bytes]:
    """The recording's bytes, chunk by chunk in ``seq`` order (MediaRecorder's pieces
    of one stream: together they are one playable file).

    :raise NotFoundError: when the session has no such recording.
    """
    keys = reading().execute(select(MediaChunk.blob_key).where(
        MediaChunk.session_id == session_id, MediaChunk.recording_id == recording_id).order_by(MediaChunk.seq)).scalars().all()
    if not keys:
        raise NotFoundError(f"No recording {recording_id!r} in this session.")
    return (blobs.get(key) for key in keys)
