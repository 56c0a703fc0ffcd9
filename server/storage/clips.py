"""Video clips of replays: the rows of a render's life (queued → rendering → done or
failed, with its progress) and the key of its bytes in the blob store.

A clip is rendered by the job runner (``server/clips/job.py``): due clips are leased
like webhook deliveries, so a render lost with its process is tried again when the
lease ends, at most ``max_attempts`` times. A clip goes with any session it shows
(``removal.py`` removes its bytes first), and with ``purge_clips``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session as OrmSession, selectinload

from server.storage.blobs import BlobStore
from server.storage.lookup import get_row
from server.storage.models import ClipSegment, Session, VideoClip
from server.storage.unit_of_work import end_read, reading, unit_of_work

QUEUED, RENDERING, DONE, FAILED = "queued", "rendering", "done", "failed"
MAX_ERROR = 300  # the column's width
BLOB_PREFIX = "clips/"


@dataclass(frozen=True)
class Segment:
    """One range of one session to show, and the caption over it."""

    session_id: str
    from_ms: int
    to_ms: int
    caption: str = ""

    @property
    def duration_ms(self) -> int:
        return self.to_ms - self.from_ms


def blob_key(clip_id: int, fmt: str) -> str:
    """Where a clip's bytes live in the blob store.

    >>> blob_key(12, "mp4")
    'clips/12.mp4'
    """
    return f"{BLOB_PREFIX}{clip_id}.{fmt}"


def create_clip(project_id: Optional[int], segments: Sequence[Segment], *, fmt: str, fps: int, created_by: str,
                now_ms: int, finding_id: Optional[int] = None) -> VideoClip:
    """A clip due for rendering now.

    :raise NotFoundError: when a segment's session is not there (or not visible).
    :commits: the clip and its segments.
    """
    with unit_of_work() as db:
        for segment in segments:
            get_row(db, Session, segment.session_id, "session")
        clip = VideoClip(project_id=project_id, finding_id=finding_id, format=fmt, fps=fps,
                         duration_ms=sum(s.duration_ms for s in segments), state=QUEUED, progress=0.0, attempts=0,
                         error="", size=0, created_by=created_by, created_at=now_ms, due_at=now_ms)
        clip.segments = [ClipSegment(position=i, session_id=s.session_id, from_ms=s.from_ms, to_ms=s.to_ms,
                                     caption=s.caption) for i, s in enumerate(segments)]
        db.add(clip)
    return clip


def get_clip(clip_id: int) -> VideoClip:
    """:raise NotFoundError: when no clip this request may read has this id."""
    return get_row(reading(), VideoClip, clip_id, "clip")


def clips_of_finding(finding_id: int, *, limit: int = 20) -> list[VideoClip]:
    """The finding's highlight reels, newest first."""
    query = (select(VideoClip).where(VideoClip.finding_id == finding_id)
             .order_by(VideoClip.created_at.desc(), VideoClip.id.desc()).limit(limit))
    return list(reading().execute(query).scalars())


def claim_due_clips(*, now_ms: int, lease_ms: int, limit: int, max_attempts: int) -> list[str]:
    """Take a lease on clips whose render is due (oldest first), as ``rendering``; ids
    as text, as the job runner hands ids around. A clip already tried ``max_attempts``
    times (each lost with its process) fails instead.

    :commits: the leases and failures.
    """
    if limit <= 0:
        return []
    due = reading().execute(select(VideoClip.id, VideoClip.due_at, VideoClip.attempts)
                            .where(VideoClip.due_at <= now_ms)
                            .order_by(VideoClip.due_at, VideoClip.id).limit(limit)).all()
    claimed: list[str] = []
    if not due:
        return claimed
    with unit_of_work() as db:
        for clip_id, was_due_at, attempts in due:
            still_due = (VideoClip.id == clip_id, VideoClip.due_at == was_due_at)
            if attempts >= max_attempts:
                db.execute(update(VideoClip).where(*still_due).values(
                    state=FAILED, due_at=None, finished_at=now_ms,
                    error=f"Rendering stopped {attempts} times before it finished."))
                continue
            taken = db.execute(update(VideoClip).where(*still_due).values(
                state=RENDERING, due_at=now_ms + lease_ms, attempts=attempts + 1)).rowcount
            if taken:
                claimed.append(str(clip_id))
    return claimed


@dataclass(frozen=True)
class ClipToRender:
    """What a render needs of a clip, read once."""

    id: int
    format: str
    fps: int
    segments: list[Segment]
    viewport: tuple[Optional[int], Optional[int]]  # the first segment's session's, as recorded


def clip_to_render(clip_id: int) -> Optional[ClipToRender]:
    """The clip while it is being rendered; None when it is gone or no longer rendering.
    The read ends here: a render holds no database snapshot through its minutes."""
    db = reading()
    clip = db.execute(select(VideoClip).where(VideoClip.id == clip_id)
                      .options(selectinload(VideoClip.segments))).scalar_one_or_none()
    found = None
    if clip is not None and clip.state == RENDERING and clip.segments:
        session = db.get(Session, clip.segments[0].session_id)
        found = ClipToRender(clip.id, clip.format, clip.fps,
                             [Segment(s.session_id, s.from_ms, s.to_ms, s.caption) for s in clip.segments],
                             (session.viewport_w, session.viewport_h) if session else (None, None))
    end_read()
    return found


def record_progress(clip_id: int, progress: float) -> None:
    """:commits: the clip's progress (0..1; it never goes back)."""
    with unit_of_work() as db:
        db.execute(update(VideoClip).where(VideoClip.id == clip_id, VideoClip.state == RENDERING,
                                           VideoClip.progress < progress)
                   .values(progress=min(1.0, max(0.0, progress))))


def finish_clip(clip_id: int, *, key: str, size: int, width: int, height: int, now_ms: int) -> bool:
    """Mark a rendered clip done, its bytes stored at ``key``; False when the clip (or a
    session it shows) went meanwhile: the caller then removes the bytes.

    :commits: the clip's new state.
    """
    with unit_of_work() as db:
        done = db.execute(update(VideoClip).where(VideoClip.id == clip_id, VideoClip.state == RENDERING)
                          .values(state=DONE, progress=1.0, blob_key=key, size=size, width=width, height=height,
                                  due_at=None, finished_at=now_ms, error="")).rowcount
    return bool(done)


def fail_clip(clip_id: int, error: str, *, now_ms: int) -> None:
    """:commits: the clip's failure, with why (shown to whoever asked for it)."""
    with unit_of_work() as db:
        db.execute(update(VideoClip).where(VideoClip.id == clip_id)
                   .values(state=FAILED, due_at=None, finished_at=now_ms, error=error[:MAX_ERROR]))


def clips_showing(db: OrmSession, session_id: str) -> list[tuple[int, Optional[str]]]:
    """(id, blob key) of every clip that shows this session."""
    query = (select(VideoClip.id, VideoClip.blob_key).where(
        VideoClip.id.in_(select(ClipSegment.clip_id).where(ClipSegment.session_id == session_id))))
    return [(clip_id, key) for clip_id, key in db.execute(query).all()]


def delete_clip_rows(db: OrmSession, clip_ids: Sequence[int]) -> None:
    """Inside the caller's unit of work, after the clips' bytes went."""
    if clip_ids:
        db.execute(delete(VideoClip).where(VideoClip.id.in_(list(clip_ids))))


def purge_clips(blobs: BlobStore, *, created_before_ms: int) -> int:
    """Delete every clip made before ``created_before_ms`` (bytes, then rows); how
    many went. Clips are copies of replays: any can be made again while its session
    is kept.

    :commits: the removal.
    """
    old = reading().execute(select(VideoClip.id, VideoClip.blob_key)
                            .where(VideoClip.created_at < created_before_ms)).all()
    for _, key in old:
        if key:
            blobs.delete(key)
    with unit_of_work() as db:
        delete_clip_rows(db, [clip_id for clip_id, _ in old])
    return len(old)
