"""rage_click: the same spot clicked again and again, and nothing visibly changes.

SPEC: >= 3 clicks, each within 1000 ms of the previous one, all within 30 px of the
first. Clicks that each produce a visible change within 500 ms (a stepper, a seat map,
a carousel) are deliberate, not rage. One signal per sequence.

Only positioned clicks take part: a keyboard-triggered click arrives at (0, 0) and says
nothing about where the pointer was. A sequence never spans two page visits.
"""

from __future__ import annotations

import math

from analysis.config import DetectorConfig
from analysis.moments import Click
from analysis.signals import Signal, click_signal
from analysis.timeline import Timeline

KIND = "rage_click"


def find_click_bursts(timeline: Timeline, config: DetectorConfig) -> list[tuple[Click, ...]]:
    """Maximal runs of clicks, each soon after the previous, all near the first."""
    bursts: list[tuple[Click, ...]] = []
    run: list[Click] = []
    for click in timeline.clicks:
        if run and click.has_position and _continues(run, click, config):
            run.append(click)
            continue
        bursts.append(tuple(run))
        run = [click] if click.has_position else []
    bursts.append(tuple(run))
    return [burst for burst in bursts if burst]


def _continues(run: list[Click], click: Click, config: DetectorConfig) -> bool:
    first, previous = run[0], run[-1]
    if click.visit != first.visit or click.ts - previous.ts > config.rage_max_gap_ms:
        return False
    distance = math.hypot(click.x - first.x, click.y - first.y)  # type: ignore[operator]
    return distance <= config.rage_radius_px


def shows_change(timeline: Timeline, click: Click, config: DetectorConfig) -> bool:
    """True if something visible changed within the deliberate-change window after ``click``."""
    reaction = timeline.reactions.next_after(click.index, visible_only=True)
    return reaction is not None and reaction.ts - click.ts <= config.deliberate_change_ms


def find_rage_sequences(timeline: Timeline, config: DetectorConfig) -> list[tuple[Click, ...]]:
    """Bursts long enough to be rage, minus those where every click visibly worked."""
    return [
        burst
        for burst in find_click_bursts(timeline, config)
        if len(burst) >= config.rage_min_clicks
        and not all(shows_change(timeline, click, config) for click in burst)
    ]


def detect_rage_clicks(timeline: Timeline, config: DetectorConfig) -> list[Signal]:
    """One ``rage_click`` signal per rage sequence.

    >>> from analysis.event_builders import page_load, element, click_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> raw = page_load(0, "http://x/", element(10, "button", {"id": "pay"}))
    >>> raw += [click_event(1000, 10, 100, 100), click_event(1300, 10, 104, 98), click_event(1600, 10, 101, 103)]
    >>> [(s.kind, s.count, s.target.selector) for s in detect_rage_clicks(build_timeline(parse_events(raw)), DetectorConfig())]
    [('rage_click', 3, '#pay')]

    See also: :func:`analysis.detectors.dead_click.detect_dead_clicks`.
    """
    signals = []
    for sequence in find_rage_sequences(timeline, config):
        unchanged = sum(not shows_change(timeline, click, config) for click in sequence)
        signals.append(
            click_signal(KIND, sequence, clicks_without_visible_change=unchanged,
                         duration_ms=sequence[-1].ts - sequence[0].ts)
        )
    return signals
