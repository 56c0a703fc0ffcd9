"""error_click: a click followed by a JavaScript error within a second.

SPEC: a click followed by a ``$error`` within 1000 ms. Every such click is reported,
also when it belongs to a rage sequence or is a dead click: the error is news of its
own. "Followed" means later in the stream, so an error logged just before the click
(same millisecond) is not blamed on it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from analysis.config import DetectorConfig
from analysis.moments import Click, PageError
from analysis.signals import Signal, click_signal
from analysis.timeline import Timeline

KIND = "error_click"


def find_error_clicks(timeline: Timeline, config: DetectorConfig) -> list[tuple[Click, PageError]]:
    """Each click followed by an error within the window, with the first such error.

    >>> from analysis.event_builders import pageview_event, click_event, error_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> raw = [pageview_event(0, "http://x/"), error_event(50), click_event(100, 4, 5, 5), error_event(900)]
    >>> [(click.ts, error.ts) for click, error in find_error_clicks(build_timeline(parse_events(raw)), DetectorConfig())]
    [(100, 900)]
    """
    positions = [error.index for error in timeline.errors]
    found = []
    for click in timeline.clicks:
        following = bisect_right(positions, click.index)
        if following < len(positions):
            error = timeline.errors[following]
            if error.ts - click.ts <= config.error_click_window_ms:
                found.append((click, error))
    return found


def detect_error_clicks(timeline: Timeline, config: DetectorConfig) -> list[Signal]:
    """One ``error_click`` signal per click followed by an error.

    >>> from analysis.event_builders import page_load, element, click_event, error_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> raw = page_load(0, "http://x/", element(10, "button", {"id": "wish"}))
    >>> raw += [click_event(1000, 10, 30, 5), error_event(1002, "ReferenceError: wishlist is not defined")]
    >>> [(s.kind, s.details["message"]) for s in detect_error_clicks(build_timeline(parse_events(raw)), DetectorConfig())]
    [('error_click', 'ReferenceError: wishlist is not defined')]
    """
    return [
        replace(
            click_signal(KIND, [click], message=error.message, error_after_ms=error.ts - click.ts),
            end_ts=error.ts,
        )
        for click, error in find_error_clicks(timeline, config)
    ]
