"""rage_click: the same spot clicked again and again, and nothing visibly changes.

SPEC: >= 3 clicks, each within 1000 ms of the previous one, all within 30 px of the
first. Clicks that each produce a visible change within 500 ms (a stepper, a seat map,
a carousel) are deliberate, not rage. One signal per sequence.

Only positioned clicks take part: a keyboard-triggered click arrives at (0, 0) and says
nothing about where the pointer was. A sequence never spans two page visits. Clicks into
text-entry targets count as visibly answered: a triple-click selecting a field's text,
or a select or date picker opening, are feedback rrweb does not record.
"""

from __future__ import annotations

import math

from analysis.config import DetectorConfig
from analysis.moments import Click
from analysis.signals import Signal, click_signal
from analysis.timeline import Timeline

KIND = "rage_click"


def find_click_bursts(timeline: Timeline, config: DetectorConfig) -> list[tuple[Click, ...]]:
    """Maximal runs of clicks, each soon after the previous, all near the first.

    >>> from analysis.event_builders import pageview_event, click_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> raw = [pageview_event(0, "http://x/")] + [click_event(t, 4, x, 9) for t, x in [(100, 5), (300, 9), (2000, 9), (2100, 90)]]
    >>> [[click.ts for click in burst] for burst in find_click_bursts(build_timeline(parse_events(raw)), DetectorConfig())]
    [[100, 300], [2000], [2100]]
    """
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
    """True if something visible changed within the deliberate-change window after ``click``.

    >>> from analysis.event_builders import pageview_event, click_event, scroll_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> timeline = build_timeline(parse_events([pageview_event(0, "http://x/"), click_event(100, 4, 5, 5),
    ...                                         scroll_event(400, 300), click_event(1000, 4, 5, 5)]))
    >>> [shows_change(timeline, click, DetectorConfig()) for click in timeline.clicks]
    [True, False]
    """
    if click.target.is_text_entry:
        return True  # caret moves, text selected, a picker opens: real feedback rrweb cannot see
    reaction = timeline.reactions.next_after(click.index, visible_only=True)
    return reaction is not None and reaction.ts - click.ts <= config.deliberate_change_ms


def find_rage_sequences(timeline: Timeline, config: DetectorConfig) -> list[tuple[Click, ...]]:
    """Bursts long enough to be rage, minus those where every click visibly worked.

    >>> from analysis.event_builders import pageview_event, click_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> raw = [pageview_event(0, "http://x/")] + [click_event(100 + i * 200, 4, 5, 5) for i in range(3)]
    >>> [len(run) for run in find_rage_sequences(build_timeline(parse_events(raw)), DetectorConfig())]
    [3]

    See also: :func:`find_click_bursts`, :func:`shows_change`.
    """
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
