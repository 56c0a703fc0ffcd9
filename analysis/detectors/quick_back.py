"""quick_back: on to page B, and straight back to page A.

SPEC: arriving at page B from page A and returning to A within 7000 ms. Measured
from B's arrival to the return, on URLs without fragment; SPA navigations count the
same as full loads. The signal sits on B, the page that disappointed.
"""

from __future__ import annotations

from analysis.config import DetectorConfig
from analysis.signals import Signal
from analysis.timeline import Timeline

KIND = "quick_back"


def detect_quick_backs(timeline: Timeline, config: DetectorConfig) -> list[Signal]:
    """One ``quick_back`` signal per A -> B -> A with a short stay on B.

    >>> from analysis.event_builders import pageview_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> raw = [pageview_event(0, "http://x/"), pageview_event(5000, "http://x/b"), pageview_event(8000, "http://x/")]
    >>> [(s.url, s.details) for s in detect_quick_backs(build_timeline(parse_events(raw)), DetectorConfig())]
    [('http://x/b', {'from_url': 'http://x/', 'dwell_ms': 3000})]
    """
    visits = timeline.visits
    signals = []
    for before, visit, after in zip(visits, visits[1:], visits[2:]):
        dwell = after.entered - visit.entered
        if after.url == before.url and dwell <= config.quick_back_max_dwell_ms:
            signals.append(
                Signal(KIND, visit.entered, after.entered, visit.url,
                       details={"from_url": before.url, "dwell_ms": dwell})
            )
    return signals
