"""Clips as background jobs on the one job runner: due clips are claimed (a lease in the
database, like webhook deliveries), rendered one per pass, their progress recorded
about twice a second, and their bytes put in the blob store.

A render takes about 0.7 s per second of video: in the server's own worker it runs in
a lane of its own (``server/jobs/queue.py``), one at a time, so analysis and webhook
deliveries go on meanwhile; with Redis, RQ workers take renders and the web processes
never do. A render lost with its process is tried again
when its lease ends, twice at most; one that fails says why on the clip.
"""
from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Optional

from flask import current_app

from server.clips.encode import RenderError
from server.clips.plan import frame_for
from server.clips.render import RENDER_TIME_LIMIT_S, render_video
from server.runtime import Runtime
from server.storage.clips import (blob_key, claim_due_clips, clip_to_render, fail_clip, finish_clip,
                                  record_progress)

log = logging.getLogger(__name__)

RENDER_CLIP = "render_clip"
LEASE_MS = 2 * RENDER_TIME_LIMIT_S * 1000
"""Past the render's own limit and ffmpeg's last pass, with room to spare."""
MAX_ATTEMPTS = 2
CLAIM_PER_PASS = 1  # each render is a browser and an ffmpeg: one at a time per runner


def render_clip(runtime: Runtime, clip_id: str) -> Optional[bool]:
    """Render one claimed clip; whether it is done (False: failed, with why on the
    clip), None when it is gone or no longer rendering."""
    clip = clip_to_render(int(clip_id))
    if clip is None:
        return None
    number, fmt = clip.id, clip.format
    frame = frame_for(fmt, clip.viewport)
    workdir = Path(tempfile.mkdtemp(prefix="replaydesk-clip-job-"))
    output = workdir / f"clip.{fmt}"
    try:
        render_video(current_app._get_current_object(), clip.segments, fmt=fmt, fps=clip.fps, frame=frame,
                     output=output, progress=lambda done: record_progress(number, done))
        data = output.read_bytes()
    except RenderError as error:
        fail_clip(number, error.message, now_ms=runtime.now_ms())
        return False
    except Exception as error:  # noqa: BLE001 - whoever waits for the clip learns it failed; the log says how
        log.exception("rendering clip %s failed", number)
        fail_clip(number, f"Rendering failed ({type(error).__name__}).", now_ms=runtime.now_ms())
        return False
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    key = blob_key(number, fmt)
    runtime.blobs.put(key, data)
    if not finish_clip(number, key=key, size=len(data), width=frame.width, height=frame.height,
                       now_ms=runtime.now_ms()):
        runtime.blobs.delete(key)  # its session (or the clip) went while it rendered
        return None
    return True


def run_due_clips(runtime: Runtime) -> int:
    """Claim the clips due a render (as many as the runner has room for, one a pass)
    and run or queue them; how many."""
    claimed = claim_due_clips(now_ms=runtime.now_ms(), lease_ms=LEASE_MS, limit=runtime.jobs.room(CLAIM_PER_PASS, RENDER_CLIP),
                              max_attempts=MAX_ATTEMPTS)
    return runtime.jobs.submit(RENDER_CLIP, claimed)
