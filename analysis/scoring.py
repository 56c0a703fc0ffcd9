"""Session frustration score and per-page rates.

**Session score.** ``load = sum(weight[kind] for each signal)`` and
``score = 100 * (1 - exp(-load / SCORE_SCALE))``, rounded to 0.1. So 0 means calm,
one rage click scores about 31, a rage click on a page then abandoned about 53, and the
score approaches but never reaches 100. Weights say how surely a kind means a person was
stuck: rage, error clicks and dead ends most, quick backs and the bonus kinds least.

**Per-page rates.** :func:`summarize_pages` aggregates stored sessions by URL: visits,
distinct sessions, signals per visit by kind, and the dead-end rate.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from analysis.signals import Signal
from analysis.visits import page_key

SCORE_WEIGHTS: Mapping[str, float] = {
    "rage_click": 3.0,
    "error_click": 3.0,
    "dead_end": 3.0,
    "dead_click": 2.0,
    "form_abandon": 2.0,
    "quick_back": 1.0,
    "thrashed_cursor": 1.0,
    "excessive_scroll": 1.0,
}
"""Points per signal; kinds not listed weigh 1."""

SCORE_SCALE = 8.0
"""Load at which the score reaches 63: about three strong signals in one session."""


def score_session(signals: Iterable[Signal], weights: Mapping[str, float] = SCORE_WEIGHTS) -> float:
    """The session's frustration score, 0 (calm) to under 100.

    >>> score_session([])
    0.0
    >>> score_session([Signal("rage_click", 0, 900, "http://x/")])
    31.3
    >>> score_session([Signal("rage_click", 0, 900, "http://x/"), Signal("dead_end", 0, 9000, "http://x/")])
    52.8
    """
    load = sum(weights.get(signal.kind, 1.0) for signal in signals)
    return round(100 * (1 - math.exp(-load / SCORE_SCALE)), 1)


@dataclass(frozen=True, slots=True)
class PageStats:
    """Aggregates for one URL over many sessions."""

    url: str
    visits: int
    sessions: int
    signals: Mapping[str, int] = field(default_factory=dict)
    """Signal count by kind on this URL (dead ends included)."""

    @property
    def dead_ends(self) -> int:
        return self.signals.get("dead_end", 0)

    @property
    def dead_end_rate(self) -> float:
        return round(self.dead_ends / self.visits, 4) if self.visits else 0.0

    def signals_per_visit(self) -> dict[str, float]:
        return {kind: round(n / self.visits, 4) if self.visits else 0.0 for kind, n in sorted(self.signals.items())}

    def to_dict(self) -> dict[str, object]:
        return {
            "url": self.url,
            "visits": self.visits,
            "sessions": self.sessions,
            "signals": dict(sorted(self.signals.items())),
            "signals_per_visit": self.signals_per_visit(),
            "dead_ends": self.dead_ends,
            "dead_end_rate": self.dead_end_rate,
        }


def summarize_pages(sessions: Iterable[object]) -> list[PageStats]:
    """Per-URL stats over sessions, busiest URL first.

    Each session is a mapping (a database row is fine) or an object with attributes:

    - ``session_id``: any hashable id (optional; sessions without one count apart),
    - ``pages``: page visits, each with ``url`` (``{"url", "entered", "left"}`` rows or
      :class:`~analysis.visits.PageVisit` objects),
    - ``signals``: signals, each with ``kind`` and ``url`` (``Signal.to_dict()`` rows or
      :class:`~analysis.signals.Signal` objects).

    An :class:`~analysis.pipeline.AnalysisResult` is itself a valid session. URLs are
    compared without fragment; signals without a URL are ignored.

    >>> rows = [
    ...     {"session_id": "a", "pages": [{"url": "http://x/"}, {"url": "http://x/help"}],
    ...      "signals": [{"kind": "dead_click", "url": "http://x/help"}, {"kind": "dead_end", "url": "http://x/help"}]},
    ...     {"session_id": "b", "pages": [{"url": "http://x/"}, {"url": "http://x/help#faq"}], "signals": []},
    ... ]
    >>> [(p.url, p.visits, p.sessions, p.dead_end_rate) for p in summarize_pages(rows)]
    [('http://x/', 2, 2, 0.0), ('http://x/help', 2, 2, 0.5)]
    >>> summarize_pages(rows)[1].signals_per_visit()
    {'dead_click': 0.5, 'dead_end': 0.5}

    See also: :func:`score_session`.
    """
    visits: Counter[str] = Counter()
    visitors: dict[str, set[object]] = {}
    signals: dict[str, Counter[str]] = {}
    for number, session in enumerate(sessions):
        session_key = _field(session, "session_id") or ("unnamed", number)
        for page in _field(session, "pages") or ():
            url = _url(page)
            if url:
                visits[url] += 1
                visitors.setdefault(url, set()).add(session_key)
        for signal in _field(session, "signals") or ():
            url, kind = _url(signal), _field(signal, "kind")
            if url and isinstance(kind, str):
                signals.setdefault(url, Counter())[kind] += 1
    urls = sorted(set(visits) | set(signals), key=lambda url: (-visits[url], url))
    return [PageStats(url, visits[url], len(visitors.get(url, ())), dict(signals.get(url, {}))) for url in urls]


def _field(item: object, name: str) -> object:
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)


def _url(item: object) -> str | None:
    url = _field(item, "url")
    return page_key(url) if isinstance(url, str) and url else None
