"""``analyze()``: raw rrweb events in, signals, pages, score and counts out.

parse (:mod:`analysis.events`) -> timeline (:mod:`analysis.timeline`) -> detectors
(:mod:`analysis.detectors`) -> failed requests as evidence of click signals
(:mod:`analysis.failed_requests`) -> score (:mod:`analysis.scoring`). Pure: the same events
and config always give the same result, and nothing here reads a clock or does IO.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from analysis.config import DetectorConfig
from analysis.context import count_context, timed_requests
from analysis.detectors import DETECTORS, run_detectors
from analysis.events import parse_events
from analysis.failed_requests import attach_failed_requests
from analysis.ignore import IgnoreRule
from analysis.limits import DEFAULT_LIMITS, SIGNALS, TIME, AnalysisLimits, Checkpoint, always_go_on
from analysis.scoring import score_session
from analysis.signals import Signal
from analysis.timeline import Timeline, build_timeline
from analysis.visits import PageVisit

ANALYSIS_VERSION = 3  # 3: clicks on data-rd-ignore elements and ignore selectors are no signal
"""Bump whenever detector logic changes, so stored results are re-analysed.
2: click signals carry the failed request that followed (``details.request``); counts
gain the engineer's context (console errors, failed requests, slowest request)."""

DEFAULT_CONFIG = DetectorConfig()


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    """What :func:`analyze` found: signals, page visits, score and headline counts."""

    signals: list[Signal]
    pages: list[PageVisit]
    score: float
    counts: dict[str, object]
    version: int = ANALYSIS_VERSION
    config_fingerprint: str = field(default="")
    limited_by: tuple[str, ...] = ()
    """Bounds of :mod:`analysis.limits` the analysis stopped at; empty when it saw everything."""

    @property
    def partial(self) -> bool:
        return bool(self.limited_by)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: ``{version, config_fingerprint, partial, limited_by, score, counts, pages, signals}``."""
        return {
            "version": self.version,
            "config_fingerprint": self.config_fingerprint,
            "partial": self.partial,
            "limited_by": list(self.limited_by),
            "score": self.score,
            "counts": self.counts,
            "pages": [page.to_dict() for page in self.pages],
            "signals": [signal.to_dict() for signal in self.signals],
        }


def analyze(raw_events: object, config: DetectorConfig = DEFAULT_CONFIG, *, limits: AnalysisLimits = DEFAULT_LIMITS,
            checkpoint: Checkpoint = always_go_on) -> AnalysisResult:
    """Analyse one session's stored events (any order; malformed events are skipped),
    within ``limits`` and while ``checkpoint()`` says to go on (see :mod:`analysis.limits`).

    >>> from analysis.event_builders import page_load, element, click_event
    >>> raw = page_load(1000, "http://shop.test/cart", element(10, "button", {"id": "apply"}, ))
    >>> raw += [click_event(2000 + i * 300, 10, 700, 420) for i in range(4)]
    >>> result = analyze(raw)
    >>> [(s.kind, s.count) for s in result.signals], result.score
    ([('dead_end', 1), ('rage_click', 4)], 52.8)
    >>> result.counts["clicks"], [page.url for page in result.pages]
    (4, ['http://shop.test/cart'])

    Counts include the engineer's context, over every event (also past a bound below):

    >>> result.counts["console_errors"], result.counts["failed_requests"], result.counts["slowest_request_ms"]
    (0, 0, None)

    A session past a bound is analysed up to it:

    >>> result = analyze(raw, limits=AnalysisLimits(max_clicks=2))
    >>> result.partial, result.limited_by, result.counts["clicks"]
    (True, ('clicks',), 2)

    See also: :func:`analysis.scoring.summarize_pages`, :class:`analysis.config.DetectorConfig`.
    """
    stopped: list[str] = []

    def go_on() -> bool:
        if checkpoint():
            return True
        stopped[:] = [TIME]
        return False

    events = parse_events(raw_events)
    timeline = build_timeline(events, limits, go_on, ignore=IgnoreRule.from_selectors(config.ignore_selectors))
    signals = run_detectors(timeline, config, go_on)
    limited_by = list(timeline.limited_by)
    if len(signals) > limits.max_signals:
        signals, limited_by = signals[: limits.max_signals], [*limited_by, SIGNALS]
    limited_by += [reason for reason in stopped if reason not in limited_by]
    signals = attach_failed_requests(signals, {click.ts for click in timeline.clicks}, timed_requests(events))
    return AnalysisResult(
        signals=signals,
        pages=list(timeline.visits),
        score=score_session(signals),
        counts={**count_session(timeline, signals), **asdict(count_context(events))},
        config_fingerprint=config.fingerprint(),
        limited_by=tuple(limited_by),
    )


def count_session(timeline: Timeline, signals: list[Signal]) -> dict[str, object]:
    """Headline numbers: events, clicks, page views, errors, duration, signals by kind.

    >>> count_session(build_timeline([]), [])["signals"]["rage_click"]
    0
    """
    by_kind = Counter(signal.kind for signal in signals)
    return {
        "events": timeline.event_count,
        "clicks": len(timeline.clicks),
        "pageviews": len(timeline.visits),
        "errors": len(timeline.errors),
        "duration_ms": timeline.end_ts - timeline.start_ts,
        "signals": {kind: by_kind.get(kind, 0) for kind in DETECTORS},
    }
