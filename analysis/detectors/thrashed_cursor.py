"""thrashed_cursor (bonus): the pointer shaken back and forth, a sign of impatience.

Direction changes of the pointer, on either axis, after a leg of at least
``thrash_min_leg_px``; ``thrash_min_reversals`` of them within ``thrash_window_ms`` make
an episode. One signal per episode. Sampled mouse moves (rrweb's ``sampling.mousemove``)
still show it: a shake is slower than the 50 ms sampling.
"""

from __future__ import annotations

from analysis.config import DetectorConfig
from analysis.detectors.episodes import find_episodes
from analysis.signals import Signal
from analysis.timeline import Timeline

KIND = "thrashed_cursor"


def find_reversals(values: list[tuple[int, float]], min_leg: float) -> list[int]:
    """Times at which a coordinate has turned back by at least ``min_leg`` (a zigzag).

    Jitter smaller than ``min_leg`` never counts, in either direction.

    >>> find_reversals([(0, 0), (50, 100), (100, 0), (150, 100), (200, 95)], 40)
    [100, 150]
    """
    if not values:
        return []
    times: list[int] = []
    direction = 0
    extreme = values[0][1]
    for ts, value in values[1:]:
        if direction == 0:
            if abs(value - extreme) >= min_leg:
                direction = 1 if value > extreme else -1
                extreme = value
        elif (value - extreme) * direction > 0:
            extreme = value  # still going the same way
        elif abs(value - extreme) >= min_leg:
            times.append(ts)
            direction, extreme = -direction, value
    return times


def detect_thrashed_cursor(timeline: Timeline, config: DetectorConfig) -> list[Signal]:
    """One ``thrashed_cursor`` signal per episode of shaking, per visit.

    >>> from analysis.event_builders import pageview_event, move_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> shake = [(400 + (200 if i % 2 else 0), 300, -1000 + i * 100) for i in range(11)]
    >>> raw = [pageview_event(0, "http://x/"), move_event(5000, shake), move_event(9000, [(10, 10, 0)])]
    >>> [(s.kind, s.count) for s in detect_thrashed_cursor(build_timeline(parse_events(raw)), DetectorConfig())]
    [('thrashed_cursor', 9)]
    """
    signals = []
    for path in timeline.pointer_paths:
        points = path.points
        reversals = sorted(
            find_reversals([(ts, x) for ts, x, _ in points], config.thrash_min_leg_px)
            + find_reversals([(ts, y) for ts, _, y in points], config.thrash_min_leg_px)
        )
        for episode in find_episodes(reversals, config.thrash_window_ms, config.thrash_min_reversals):
            _, x, y = next((point for point in points if point[0] >= episode[0]), points[-1])
            signals.append(
                Signal(KIND, episode[0], episode[-1], timeline.visit_url(path.visit), x, y,
                       count=len(episode), details={"reversals": len(episode)})
            )
    return signals
