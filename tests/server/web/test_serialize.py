"""Shapes of the review API that need no database: page visits from navigations."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from server.web.serialize import page_visits


def _pages(*entries):
    return [SimpleNamespace(ts=ts, url=url, title=title) for ts, url, title in entries]


@pytest.mark.parametrize(("second", "merged"), [
    ("http://x/thanks?", True),  # an empty query is the same page
    ("http://x/thanks#receipt", True),  # so is a fragment
    ("http://x/thanks/", False),  # a trailing slash may be another document
    ("http://x/thanks?order=7", False),  # a real query shows other content
])
def test_consecutive_entries_of_one_page_make_one_visit(second, merged):
    visits = page_visits(_pages((10, "http://x/thanks", ""), (20, second, "Thanks")), 50)
    if merged:
        assert visits == [{"url": "http://x/thanks", "title": "Thanks", "entered": 10, "left": 50}]
    else:
        assert [(v["url"], v["entered"], v["left"]) for v in visits] == [("http://x/thanks", 10, 20), (second, 20, 50)]


def test_coming_back_is_a_new_visit():
    visits = page_visits(_pages((10, "http://x/", "Home"), (20, "http://x/cart", "Cart"), (30, "http://x/#top", "")), 40)
    assert [(v["url"], v["entered"], v["left"]) for v in visits] == [
        ("http://x/", 10, 20), ("http://x/cart", 20, 30), ("http://x/#top", 30, 40)]
