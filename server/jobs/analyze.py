"""Analysis off the request path: load a session's events, run ``analysis.analyze``,
store signals, page visits and the score, stamped with the version that made them;
then tell webhooks about a signal kind spiking on a page (``server/webhooks/spikes.py``).

Due work lives in ``sessions.analysis_due_at`` (see ``server/storage/schedule.py``):
ingest pushes it a few seconds into the future on every batch, so analysis runs once
a session goes quiet; the background pass claims it (``server/jobs/due.py``).

Bounded: ``analysis.limits`` caps the events, clicks and signals of one session, and a
run stops after ``REPLAYDESK_ANALYSIS_TIME_LIMIT`` (both mark the session's analysis
partial). While it runs it lets request threads of the process in at every checkpoint,
so ingest never waits for analysis.
"""
from __future__ import annotations

import time
from typing import Callable, Optional

from analysis import ANALYSIS_VERSION, AnalysisResult, DetectorConfig, Signal, analyze
from analysis.live_signals import settled_signals
from server.runtime import Runtime
from server.storage.analysis_results import analysis_target, mark_stale_analyses, store_analysis
from server.storage.compaction import project_of
from server.storage.events import read_all_events
from server.webhooks.spikes import announce_spikes


def detector_config(project) -> DetectorConfig:
    """The detector settings of ``project`` (anything with the project's ``settings``).

    :raise ValueError: when stored overrides are invalid.
    """
    return settings_config(project.settings or {})


def settings_config(project_settings: dict) -> DetectorConfig:
    """Detector settings from a project's stored settings, over the SPEC defaults.

    :raise ValueError: when stored overrides are invalid.
    """
    overrides = dict(project_settings.get("detectors") or {})
    if project_settings.get("goal_urls"):
        overrides["goal_url_patterns"] = tuple(project_settings["goal_urls"])
    return DetectorConfig.from_dict(overrides)


def version_of(config: DetectorConfig) -> str:
    """What a stored result was made with: detector code version + settings."""
    return f"{ANALYSIS_VERSION}:{config.fingerprint()}"


def analyze_session(runtime: Runtime, session_id: str) -> Optional[AnalysisResult]:
    """Analyse one session now and store the result. None if it is gone.

    :raise ValueError: when the project's stored detector settings are invalid.
    """
    target = analysis_target(session_id)
    if target is None:
        return None
    config = settings_config(target.project_settings)
    events = read_all_events(runtime.blobs, runtime.dictionaries, session_id)
    result = analyze(events, config, checkpoint=_until(time.monotonic() + runtime.settings.analysis_time_limit_seconds))
    store_analysis(target, result, version=version_of(config), now_ms=runtime.now_ms())
    project_id = project_of(session_id)
    if project_id is not None:
        announce_spikes(project_id, result.signals, now_ms=runtime.now_ms())
    return result


def detect_signals_now(runtime: Runtime, session_id: str) -> Optional[list[Signal]]:
    """The settled signals of what is stored of a session still running, storing nothing
    (the live room flags them; the stored analysis runs once the session is quiet). None
    if the session is gone.

    :raise ValueError: when the project's stored detector settings are invalid.
    """
    target = analysis_target(session_id)
    if target is None:
        return None
    events = read_all_events(runtime.blobs, runtime.dictionaries, session_id)
    if not events:
        return []
    config = settings_config(target.project_settings)
    result = analyze(events, config, checkpoint=_until(time.monotonic() + runtime.settings.analysis_time_limit_seconds))
    return settled_signals(result.signals, max(event["timestamp"] for event in events), config)


def _until(deadline: float) -> Callable[[], bool]:
    """A checkpoint that lets other threads run (a CPU-bound thread otherwise holds the
    GIL for 5 ms at a time, every time a request thread wants it) and says whether
    ``deadline`` is still ahead."""
    def checkpoint() -> bool:
        time.sleep(0)
        return time.monotonic() < deadline
    return checkpoint


def mark_stale_sessions(runtime: Runtime) -> int:
    """Make sessions analysed with other settings or older detectors due again."""
    return mark_stale_analyses(_current_version, now_ms=runtime.now_ms())


def _current_version(project_settings: dict) -> Optional[str]:
    try:
        return version_of(settings_config(project_settings))
    except ValueError:
        return None  # invalid stored settings are reported where they are edited
