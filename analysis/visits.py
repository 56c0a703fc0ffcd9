"""Page visits: where the person was, from when to when.

A visit starts at a navigation to a URL different from the current one: a Meta event
(rrweb type 4, a full page load) or the SDK's ``$pageview`` custom event (loads and
SPA navigations). URLs are compared by :func:`same_page`: ``#reviews`` or an empty
``?`` stays on the same page, and a reload of the same URL continues the same visit.
A load's Meta and its ``$pageview`` arrive a few ms apart and make one visit.
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


def page_key(url: str) -> str:
    """The part of a URL that names a page: what :func:`same_page` compares.

    Two things never make another page, because the browser shows the same document:

    - the fragment (``#reviews``): it scrolls within the page or drives a hash route's
      view, and the server never sees it;
    - a query that is empty (``/thanks?``): a form sent with no fields ends in a bare
      ``?``, and the server answers exactly as without it.

    A non-empty query and a trailing slash are kept: ``/search?q=a`` and ``/search?q=b``
    show different results, and a server may answer ``/docs`` and ``/docs/`` with two
    different documents (when it redirects one to the other, the browser reports only
    the URL it landed on, so the recording never holds both for one page).

    >>> page_key("http://x/help.html#returns"), page_key("http://x/thanks.html?")
    ('http://x/help.html', 'http://x/thanks.html')
    >>> page_key("http://x/thanks?#top"), page_key("http://x/docs/"), page_key("http://x/s?q=a#r")
    ('http://x/thanks', 'http://x/docs/', 'http://x/s?q=a')

    See also: :func:`same_page`.
    """
    page = url.partition("#")[0].strip()
    return page[:-1] if page.endswith("?") else page


def same_page(a: str, b: str) -> bool:
    """Whether two URLs name the same page (see :func:`page_key` for the rule and why).

    >>> same_page("http://x/thanks?", "http://x/thanks"), same_page("http://x/a#top", "http://x/a")
    (True, True)
    >>> same_page("http://x/docs/", "http://x/docs"), same_page("http://x/s?q=a", "http://x/s?q=b")
    (False, False)

    See also: :func:`page_key`, :class:`VisitTracker`.
    """
    return page_key(a) == page_key(b)


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
        page = page_key(url)
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
