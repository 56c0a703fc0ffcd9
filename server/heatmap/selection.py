"""What one heatmap covers: a page, or pages matching a URL pattern (``/product/*``), and
the visitors of one viewport class (mobile < 768 px, tablet < 1024 px, desktop) or one
exact viewport width, so clicks recorded at 390 px never land on a 1280 px backdrop.
Pure: query values in, a selection out."""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Optional

from analysis.devices import MOBILE_BELOW_PX, TABLET_BELOW_PX
from analysis.visits import page_key

VIEWPORT_CLASSES = {"mobile": (0, MOBILE_BELOW_PX), "tablet": (MOBILE_BELOW_PX, TABLET_BELOW_PX),
                    "desktop": (TABLET_BELOW_PX, None)}
MAX_VIEWPORT_PX = 100_000  # as ingest keeps viewports


@dataclass(frozen=True)
class Viewports:
    """Viewport widths from ``low`` (inclusive) up to ``high`` (exclusive; None: no end)."""

    low: int = 0
    high: Optional[int] = None
    label: str = ""

    def holds(self, width: Optional[int]) -> bool:
        return width is not None and self.low <= width and (self.high is None or width < self.high)


ANY_VIEWPORT = Viewports()


def parse_viewports(value: Optional[str]) -> Viewports:
    """``mobile``, ``tablet``, ``desktop``, a width in CSS px (``390``), or nothing.

    >>> parse_viewports("tablet"), parse_viewports("390").high
    (Viewports(low=768, high=1024, label='tablet'), 391)

    :raise ValueError: for anything else.
    """
    if not value:
        return ANY_VIEWPORT
    if value in VIEWPORT_CLASSES:
        low, high = VIEWPORT_CLASSES[value]
        return Viewports(low, high, value)
    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_VIEWPORT_PX:
        return Viewports(int(value), int(value) + 1, f"{int(value)} px")
    raise ValueError(f"viewport must be mobile, tablet, desktop or a width in px, got {value!r}")


def is_pattern(url: str) -> bool:
    return "*" in url


def page_matcher(url: str):
    """A predicate on page keys: the page of ``url``, or every page its ``*`` pattern matches.

    >>> matches = page_matcher("https://shop.test/product/*")
    >>> matches("https://shop.test/product/7"), matches("https://shop.test/product?x"), matches("https://shop.test/cart")
    (True, False, False)
    >>> page_matcher("https://shop.test/cart#top")("https://shop.test/cart")
    True
    """
    if not is_pattern(url):
        key = page_key(url)
        return lambda candidate: candidate == key
    pattern = url.split("#", 1)[0].replace("[", "[[]").replace("?", "[?]")  # only * is special
    return lambda candidate: fnmatch.fnmatchcase(candidate, pattern)
