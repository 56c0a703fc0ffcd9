"""Issues: the same frustration on the same element of the same page, across sessions.

One rage click is an anecdote; forty on ``#apply`` of ``/cart`` in twelve sessions is an
issue. Signals group by kind, page (host and path, no query: ``/product?id=7`` and
``?id=9`` are one template) and target selector; each group says how often, in how many
sessions, since when, whether it is growing (the last 7 days against the 7 before), and
which sessions show it best (the latest, one moment each) for someone to watch.

Pure: signal records in, issues out; ``now_ms`` is given, never read.

>>> day = 86_400_000
>>> rows = [IssueSignal("rage_click", "https://shop.test/cart?c=1", "#apply", "Apply", f"s{n}", 10 * day - 3 * n * day)
...         for n in range(4)] + [IssueSignal("dead_click", "https://shop.test/", "a.more", "More", "s9", 9 * day)]
>>> issue = group_issues(rows, now_ms=10 * day)[0]
>>> issue.kind, issue.page, issue.selector, issue.count, issue.sessions, issue.trend
('rage_click', 'shop.test/cart', '#apply', 4, 4, 'up')
>>> [sample.session_id for sample in issue.samples]
['s0', 's1', 's2']

See also: :mod:`analysis.scoring` (per-page rates), ``server/api/issues.py``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

WEEK_MS = 7 * 86_400_000
SAMPLES = 3
"""Sessions offered to watch per issue: enough to see a pattern, few enough to watch."""
NO_ELEMENT = ""
"""The selector of signals that name no element (quick backs, dead ends, scrolling)."""


@dataclass(frozen=True, slots=True)
class IssueSignal:
    """One stored signal, as much as grouping needs."""

    kind: str
    url: str | None
    selector: str | None
    text: str | None
    session_id: str
    ts: int


@dataclass(frozen=True, slots=True)
class Sample:
    session_id: str
    ts: int  # epoch ms of the signal: the moment to watch


@dataclass(frozen=True, slots=True)
class Issue:
    kind: str
    page: str  # host and path
    selector: str  # "" when the signal names no element
    text: str  # the element's most common text
    count: int
    sessions: int
    first_ts: int
    last_ts: int
    last_week: int  # signals in the 7 days before now
    week_before: int  # in the 7 days before those
    samples: tuple[Sample, ...]

    @property
    def key(self) -> str:
        """Stable across requests: what a link to the issue (or a finding from it) names."""
        return "|".join((self.kind, self.page, self.selector))

    @property
    def trend(self) -> str:
        """``new`` (nothing before this week), ``up``, ``down``, ``flat`` or ``quiet`` (none lately).

        >>> [Issue("k", "p", "", "", 1, 1, 0, 0, a, b, ()).trend for a, b in ((3, 0), (4, 2), (1, 3), (2, 2), (0, 0))]
        ['new', 'up', 'down', 'flat', 'quiet']
        """
        if not self.last_week and not self.week_before:
            return "quiet"
        if not self.week_before:
            return "new"
        if self.last_week == self.week_before:
            return "flat"
        return "up" if self.last_week > self.week_before else "down"

    def to_dict(self) -> dict[str, object]:
        return {"key": self.key, "kind": self.kind, "page": self.page, "selector": self.selector, "text": self.text,
                "count": self.count, "sessions": self.sessions, "first_ts": self.first_ts, "last_ts": self.last_ts,
                "last_week": self.last_week, "week_before": self.week_before, "trend": self.trend,
                "samples": [{"session_id": s.session_id, "ts": s.ts} for s in self.samples]}


def page_of(url: str | None) -> str:
    """Host and path of a URL, the page template people recognise.

    >>> page_of("https://shop.test/product?id=7#reviews"), page_of("https://shop.test"), page_of(None)
    ('shop.test/product', 'shop.test/', '')
    """
    if not url:
        return ""
    parts = urlsplit(url)
    if not parts.netloc:
        return parts.path or url
    return parts.netloc + (parts.path or "/")


def group_issues(signals: Iterable[IssueSignal], *, now_ms: int, samples: int = SAMPLES) -> list[Issue]:
    """Issues from signals, most sessions affected first (then most signals, latest)."""
    groups: dict[tuple[str, str, str], list[IssueSignal]] = {}
    for signal in signals:
        key = (signal.kind, page_of(signal.url), signal.selector or NO_ELEMENT)
        groups.setdefault(key, []).append(signal)
    issues = [_issue(key, rows, now_ms, samples) for key, rows in groups.items()]
    return sorted(issues, key=lambda issue: (-issue.sessions, -issue.count, -issue.last_ts, issue.key))


def _issue(key: tuple[str, str, str], rows: list[IssueSignal], now_ms: int, samples: int) -> Issue:
    kind, page, selector = key
    latest_first = sorted(rows, key=lambda row: -row.ts)
    picked: dict[str, Sample] = {}
    for row in latest_first:
        if len(picked) >= samples:
            break
        picked.setdefault(row.session_id, Sample(row.session_id, row.ts))
    texts = Counter(row.text for row in rows if row.text)
    return Issue(
        kind=kind, page=page, selector=selector, text=texts.most_common(1)[0][0] if texts else "",
        count=len(rows), sessions=len({row.session_id for row in rows}),
        first_ts=latest_first[-1].ts, last_ts=latest_first[0].ts,
        last_week=sum(1 for row in rows if now_ms - WEEK_MS <= row.ts < now_ms + 1),
        week_before=sum(1 for row in rows if now_ms - 2 * WEEK_MS <= row.ts < now_ms - WEEK_MS),
        samples=tuple(picked.values()),
    )
