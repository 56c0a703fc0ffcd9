"""excessive_scroll (bonus): scrolling up and down and up again, hunting for something.

On one scroller of one visit: at least ``excessive_scroll_min_reversals`` direction
changes (each after a leg of half a viewport) within ``excessive_scroll_window_ms``,
covering at least ``excessive_scroll_min_viewports`` viewport heights. Reading a long
page top to bottom has no reversals; one look back up has one.
"""

from __future__ import annotations

from itertools import groupby

from analysis.config import DetectorConfig
from analysis.detectors.episodes import find_episodes
from analysis.detectors.thrashed_cursor import find_reversals
from analysis.moments import ScrollSample
from analysis.signals import Signal
from analysis.timeline import Timeline

KIND = "excessive_scroll"

LEG_VIEWPORTS = 0.5
"""A scroll leg shorter than half a screen is adjusting, not searching."""

FALLBACK_VIEWPORT_PX = 800
"""Viewport height assumed when the recording never said (a common laptop height)."""


def detect_excessive_scrolls(timeline: Timeline, config: DetectorConfig) -> list[Signal]:
    """One ``excessive_scroll`` signal per episode of back-and-forth scrolling.

    >>> from analysis.event_builders import pageview_event, scroll_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> ys = [0, 2000, 0, 2400, 200, 2600, 0]
    >>> raw = [pageview_event(0, "http://x/")] + [scroll_event(1000 + i * 800, y) for i, y in enumerate(ys)]
    >>> [(s.kind, s.count) for s in detect_excessive_scrolls(build_timeline(parse_events(raw)), DetectorConfig())]
    [('excessive_scroll', 5)]
    """
    signals = []
    by_scroller = sorted(timeline.scrolls, key=lambda s: (s.visit if s.visit is not None else -1, s.node_id or 0))
    for (visit, _), group in groupby(by_scroller, key=lambda s: (s.visit, s.node_id)):
        samples = list(group)
        viewport = samples[-1].viewport_height or FALLBACK_VIEWPORT_PX
        reversals = find_reversals([(s.ts, s.y) for s in samples], viewport * LEG_VIEWPORTS)
        for episode in find_episodes(reversals, config.excessive_scroll_window_ms,
                                     config.excessive_scroll_min_reversals):
            travelled = _distance(samples, episode[0] - config.excessive_scroll_window_ms, episode[-1])
            if travelled >= config.excessive_scroll_min_viewports * viewport:
                signals.append(
                    Signal(KIND, episode[0], episode[-1], timeline.visit_url(visit), count=len(episode),
                           details={"reversals": len(episode), "viewports": round(travelled / viewport, 1)})
                )
    return signals


def _distance(samples: list[ScrollSample], start: int, end: int) -> float:
    inside = [sample.y for sample in samples if start <= sample.ts <= end]
    return sum(abs(b - a) for a, b in zip(inside, inside[1:]))
