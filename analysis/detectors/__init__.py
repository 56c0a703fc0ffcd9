"""Frustration detectors: one pure function per signal kind, and their registry.

Every detector has the signature ``detect(timeline, config) -> list[Signal]``, reads
only the :class:`~analysis.timeline.Timeline` and the
:class:`~analysis.config.DetectorConfig`, and never touches IO or the clock. Adding a
kind means one module, one line in :data:`DETECTORS` and one test module.
"""

from __future__ import annotations

from collections.abc import Callable

from analysis.config import DetectorConfig
from analysis.limits import Checkpoint, always_go_on
from analysis.detectors.dead_click import detect_dead_clicks
from analysis.detectors.dead_end import detect_dead_ends
from analysis.detectors.error_click import detect_error_clicks
from analysis.detectors.excessive_scroll import detect_excessive_scrolls
from analysis.detectors.form_abandon import detect_form_abandons
from analysis.detectors.quick_back import detect_quick_backs
from analysis.detectors.rage_click import detect_rage_clicks
from analysis.detectors.thrashed_cursor import detect_thrashed_cursor
from analysis.signals import Signal
from analysis.timeline import Timeline

Detector = Callable[[Timeline, DetectorConfig], list[Signal]]

DETECTORS: dict[str, Detector] = {
    "rage_click": detect_rage_clicks,
    "dead_click": detect_dead_clicks,
    "error_click": detect_error_clicks,
    "quick_back": detect_quick_backs,
    "dead_end": detect_dead_ends,
    "thrashed_cursor": detect_thrashed_cursor,
    "excessive_scroll": detect_excessive_scrolls,
    "form_abandon": detect_form_abandons,
}
"""Signal kind -> detector. SPEC's five first, then the bonus kinds."""


def run_detectors(timeline: Timeline, config: DetectorConfig, checkpoint: Checkpoint = always_go_on) -> list[Signal]:
    """Run every enabled detector while ``checkpoint()`` says to go on (asked before
    each, see :mod:`analysis.limits`); signals sorted by time, then kind.

    >>> from analysis.timeline import build_timeline
    >>> run_detectors(build_timeline([]), DetectorConfig())
    []
    """
    signals: list[Signal] = []
    for kind, detect in DETECTORS.items():
        if kind in config.disabled_kinds:
            continue
        if not checkpoint():
            break
        signals.extend(detect(timeline, config))
    return sorted(signals, key=lambda signal: (signal.ts, signal.end_ts, signal.kind))
