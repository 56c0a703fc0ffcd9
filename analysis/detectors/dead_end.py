"""dead_end: a frustrating page the person gave up on.

SPEC: a page visit that ends by going back (to an earlier URL of the session) or by
the session ending, on a page that is not a goal (configurable URL patterns or events;
a ``$task`` complete), during which at least one rage, dead or error click happened.

Goal URL patterns are globs matched against the URL without fragment, and also
against its path and query alone, so ``*/thanks*`` and ``/thanks.html*`` both work.
"""

from __future__ import annotations

from collections import Counter
from fnmatch import fnmatchcase
from urllib.parse import urlsplit

from analysis.config import DetectorConfig
from analysis.detectors.dead_click import find_dead_clicks
from analysis.detectors.error_click import find_error_clicks
from analysis.detectors.rage_click import find_rage_sequences
from analysis.signals import Signal
from analysis.timeline import Timeline

KIND = "dead_end"


def count_frustration_by_visit(timeline: Timeline, config: DetectorConfig) -> dict[int, Counter[str]]:
    """Rage sequences, dead clicks and error clicks per visit index, by kind.

    >>> from analysis.event_builders import pageview_event, click_event, error_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> raw = [pageview_event(0, "http://x/"), pageview_event(50, "http://x/b"), click_event(100, 4, 5, 5), error_event(200)]
    >>> count_frustration_by_visit(build_timeline(parse_events(raw)), DetectorConfig())
    {1: Counter({'error_click': 1})}
    """
    kinds = [("rage_click", sequence[0]) for sequence in find_rage_sequences(timeline, config)]
    kinds += [("dead_click", click) for click in find_dead_clicks(timeline, config)]
    kinds += [("error_click", click) for click, _ in find_error_clicks(timeline, config)]
    by_visit: dict[int, Counter[str]] = {}
    for kind, click in kinds:
        if click.visit is not None:
            by_visit.setdefault(click.visit, Counter())[kind] += 1
    return by_visit


def is_goal_url(url: str, patterns: tuple[str, ...]) -> bool:
    """True if the URL, or its path and query, matches a goal glob (ignoring case).

    >>> is_goal_url("http://x/Thanks.html?order=7", ("/thanks.html*",))
    True
    >>> is_goal_url("http://x/cart.html", ("*/thanks*",))
    False
    """
    url = url.lower()
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return any(fnmatchcase(url, pattern.lower()) or fnmatchcase(path, pattern.lower()) for pattern in patterns)


def reached_goal(timeline: Timeline, visit: int, config: DetectorConfig) -> bool:
    """True if the visit is on a goal URL, or a ``$task`` completed or a goal event fired in it.

    >>> from analysis.event_builders import pageview_event, task_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> raw = [pageview_event(0, "http://x/a"), task_event(10, "t", "complete"), pageview_event(50, "http://x/b")]
    >>> timeline = build_timeline(parse_events(raw))
    >>> reached_goal(timeline, 0, DetectorConfig()), reached_goal(timeline, 1, DetectorConfig())
    (True, False)
    """
    if is_goal_url(timeline.visits[visit].url, config.goal_url_patterns):
        return True
    return any(
        mark.visit == visit
        and ((mark.tag == "$task" and mark.status == "complete") or mark.tag in config.goal_event_tags)
        for mark in timeline.marks
    )


def ending_of(timeline: Timeline, visit: int) -> str:
    """How a visit ended: ``session_end``, ``return_to_earlier_url`` or ``forward_navigation``.

    >>> from analysis.event_builders import pageview_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> urls = ["http://x/", "http://x/a", "http://x/", "http://x/b"]
    >>> timeline = build_timeline(parse_events([pageview_event(i * 100, url) for i, url in enumerate(urls)]))
    >>> [ending_of(timeline, visit) for visit in range(4)]
    ['forward_navigation', 'return_to_earlier_url', 'forward_navigation', 'session_end']
    """
    visits = timeline.visits
    if visit == len(visits) - 1:
        return "session_end"
    earlier = {previous.url for previous in visits[:visit]}
    return "return_to_earlier_url" if visits[visit + 1].url in earlier else "forward_navigation"


def detect_dead_ends(timeline: Timeline, config: DetectorConfig) -> list[Signal]:
    """One ``dead_end`` signal per frustrating, abandoned, non-goal visit.

    >>> from analysis.event_builders import page_load, element, click_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> raw = page_load(0, "http://x/help", element(10, "a", {"id": "promo"}))
    >>> raw += [click_event(1000, 10, 30, 5), click_event(9000, 4, 500, 500)]
    >>> [(s.url, s.count, s.details) for s in detect_dead_ends(build_timeline(parse_events(raw)), DetectorConfig())]
    [('http://x/help', 1, {'ended_by': 'session_end', 'signals': ['dead_click']})]
    """
    frustration = count_frustration_by_visit(timeline, config)
    signals = []
    for visit, kinds in sorted(frustration.items()):
        ended_by = ending_of(timeline, visit)
        if ended_by == "forward_navigation" or reached_goal(timeline, visit, config):
            continue
        page = timeline.visits[visit]
        signals.append(
            Signal(KIND, page.entered, page.left, page.url, count=sum(kinds.values()),
                   details={"ended_by": ended_by, "signals": sorted(kinds)})
        )
    return signals
