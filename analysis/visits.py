"""Page visits: where the person was, from when to when.

A visit starts at a navigation to a URL different from the current one: a Meta event
(rrweb type 4, a full page load) or the SDK's ``$pageview`` custom event (loads and
SPA navigations). URLs are compared without their fragment, so ``#reviews`` stays on
the same page and a reload of the same URL continues the same visit. A load's Meta
and its ``$pageview`` arrive a few ms apart and make one visit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PageVisit:
    """One stay on one URL; ``left`` is the next visit's start or the session's end."""

    url: str
    entered: int
    left: int
    title: str | None = None
    via: str = "load"
    """``load`` for a full page load, ``spa`` for a history navigation without one."""

    @property
    def duration_ms(self) -> int:
        return self.left - self.entered

    def to_dict(self) -> dict[str, object]:
        """The SPEC shape ``{url, entered, left}``.

        >>> PageVisit("http://x/", 10, 25, "Home").to_dict()
        {'url': 'http://x/', 'entered': 10, 'left': 25}
        """
        return {"url": self.url, "entered": self.entered, "left": self.left}


def normalize_url(url: str) -> str:
    """The URL without its fragment (which never changes the page) or an empty query.

    >>> normalize_url("http://x/help.html#returns"), normalize_url("http://x/thanks.html?")
    ('http://x/help.html', 'http://x/thanks.html')
    """
    page = url.partition("#")[0].strip()
    return page[:-1] if page.endswith("?") else page


class VisitTracker:
    """Collects visits while events are folded in time order.

    >>> tracker = VisitTracker()
    >>> tracker.navigate(100, "http://x/", "load"), tracker.navigate(105, "http://x/#top", "spa")
    (0, 0)
    >>> tracker.navigate(900, "http://x/cart", "spa")
    1
    >>> [visit.to_dict() for visit in tracker.finish(1500)]
    [{'url': 'http://x/', 'entered': 100, 'left': 900}, {'url': 'http://x/cart', 'entered': 900, 'left': 1500}]
    """

    def __init__(self) -> None:
        self._starts: list[tuple[str, int, str | None, str]] = []

    @property
    def current(self) -> int | None:
        """Index of the visit in progress, None before the first navigation."""
        return len(self._starts) - 1 if self._starts else None

    @property
    def current_url(self) -> str | None:
        return self._starts[-1][0] if self._starts else None

    def navigate(self, ts: int, url: str, via: str, title: str | None = None) -> int | None:
        """Record a navigation; returns the index of the visit now in progress."""
        page = normalize_url(url)
        if not page:
            return self.current
        if self._starts and self._starts[-1][0] == page:
            if title and self._starts[-1][2] is None:
                self._starts[-1] = (page, self._starts[-1][1], title, self._starts[-1][3])
            return self.current
        self._starts.append((page, ts, title or None, via))
        return self.current

    def finish(self, end_ts: int) -> tuple[PageVisit, ...]:
        """Close the visits: each ends where the next begins, the last at ``end_ts``."""
        ends = [start[1] for start in self._starts[1:]] + [end_ts]
        return tuple(
            PageVisit(url, entered, max(entered, left), title, via)
            for (url, entered, title, via), left in zip(self._starts, ends)
        )
