"""The jobs a runner knows, by name, and the one function that runs one (RQ calls it
by its dotted path; `replaydesk worker` runs it inside an app context)."""
from __future__ import annotations

from typing import Callable

from flask import current_app

from server.assets.cache import cache_assets_job
from server.clips.job import RENDER_CLIP, render_clip
from server.jobs.analyze import analyze_session
from server.jobs.compact import COMPACT, compact_job
from server.runtime import Runtime, current_runtime
from server.storage.schedule import ANALYZE, CACHE_ASSETS
from server.webhooks.deliver import DELIVER_WEBHOOK, deliver_webhook

# Each takes the runtime and its subject's id (a session's; a delivery's for webhooks, a clip's for renders),
# and returns None when the subject is gone.
JOBS: dict[str, Callable[[Runtime, str], object]] = {
    ANALYZE: analyze_session,
    CACHE_ASSETS: cache_assets_job,
    COMPACT: compact_job,
    DELIVER_WEBHOOK: deliver_webhook,
    RENDER_CLIP: render_clip,
}


def run_job(job: str, subject_id: str) -> bool:
    """Run ``job`` on one session (or delivery); False when it was deleted meanwhile.

    Each job gets an app context of its own, hence a database session of its own,
    released when it ends: nothing one job read lingers into the next.
    """
    with current_app.app_context():
        return JOBS[job](current_runtime(), subject_id) is not None
