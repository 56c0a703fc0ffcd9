"""The one rule for "same page", shared by analysis, ingest, the heatmap and the review API."""

from __future__ import annotations

import pytest

from analysis.visits import VisitTracker, page_key, same_page

SAME_PAGE = [
    # a bare "?" (a form sent with no fields) is the page without it
    ("http://x/thanks?", "http://x/thanks", True),
    # a fragment scrolls or drives a hash route; the document stays
    ("http://x/thanks#receipt", "http://x/thanks", True),
    # both at once
    ("http://x/thanks?#receipt", "http://x/thanks", True),
    # a trailing slash may be another document on the server: kept apart
    ("http://x/docs/", "http://x/docs", False),
    # a real query shows other content
    ("http://x/search?q=a", "http://x/search?q=b", False),
    ("http://x/search?q=a", "http://x/search", False),
    # a query plus a fragment: the fragment alone goes
    ("http://x/search?q=a#results", "http://x/search?q=a", True),
    # whitespace around a URL from a payload is not part of it
    (" http://x/a ", "http://x/a", True),
]


@pytest.mark.parametrize(("a", "b", "expected"), SAME_PAGE)
def test_same_page(a, b, expected):
    assert same_page(a, b) is expected
    assert same_page(b, a) is expected
    assert (page_key(a) == page_key(b)) is expected


def test_a_visit_continues_across_an_empty_query_and_a_fragment():
    tracker = VisitTracker()
    tracker.navigate(0, "http://x/thanks", "load")
    tracker.navigate(10, "http://x/thanks?", "load")
    tracker.navigate(20, "http://x/thanks#top", "spa")
    tracker.navigate(30, "http://x/thanks/", "spa")
    assert [visit.url for visit in tracker.finish(40)] == ["http://x/thanks", "http://x/thanks/"]
