"""What a visitor's device was, from what the SDK sends with a session: the viewport
width decides the device class (the layout the page chose, which is what a heatmap or
a reviewer needs), the user agent names the browser and system.

Pure: strings and numbers in, short labels out.

>>> describe_device(390, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
...                 "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")
DeviceInfo(device_class='mobile', browser='Safari 17', system='iOS')

See also: ``server/heatmap`` (heatmaps split by device class).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

# Viewport widths (CSS px) where common layouts switch: below 768 a phone layout,
# below 1024 a tablet's, desktop from there (Bootstrap's md and lg breakpoints).
MOBILE_BELOW_PX = 768
TABLET_BELOW_PX = 1024
DEVICE_CLASSES = ("mobile", "tablet", "desktop")

# Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", iOS browsers say
# "Safari" with their own token first.
_BROWSERS = (
    ("Edge", re.compile(r"\bEdg(?:e|A|iOS)?/(\d+)")),
    ("Opera", re.compile(r"\bOPR/(\d+)")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/(\d+)")),
    ("Firefox", re.compile(r"\b(?:Firefox|FxiOS)/(\d+)")),
    ("Chrome", re.compile(r"\b(?:HeadlessChrome|Chrome|CriOS)/(\d+)")),
    ("Safari", re.compile(r"\bVersion/(\d+)[.\d]* (?:Mobile/\S+ )?Safari/")),
)
_SYSTEMS = (
    ("iOS", re.compile(r"\b(?:iPhone|iPad|iPod)\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("macOS", re.compile(r"\bMac OS X\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)
_HEADLESS = re.compile(r"\bHeadless", re.IGNORECASE)


@dataclass(frozen=True)
class DeviceInfo:
    device_class: Optional[str]  # mobile, tablet, desktop; None without a viewport width
    browser: str  # "Chrome 124", "Safari 17", "" when not recognised
    system: str  # "Android", "macOS", "" when not recognised


def device_class(viewport_width: Optional[int]) -> Optional[str]:
    """``mobile`` below 768 px, ``tablet`` below 1024 px, else ``desktop``; None when unknown.

    >>> [device_class(w) for w in (390, 768, 1023, 1280, None)]
    ['mobile', 'tablet', 'tablet', 'desktop', None]
    """
    if not viewport_width or viewport_width <= 0:
        return None
    if viewport_width < MOBILE_BELOW_PX:
        return "mobile"
    return "tablet" if viewport_width < TABLET_BELOW_PX else "desktop"


def browser_of(user_agent: str) -> str:
    """The browser and its major version.

    >>> browser_of("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    ...            "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51")
    'Edge 124'
    >>> browser_of("pytest"), browser_of("")
    ('', '')
    """
    text = user_agent or ""
    for name, pattern in _BROWSERS:
        found = pattern.search(text)
        if found:
            label = f"{name} {found.group(1)}"
            return f"{label} (headless)" if _HEADLESS.search(text) else label
    return ""


def system_of(user_agent: str) -> str:
    """The operating system family.

    >>> system_of("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36"), system_of("curl/8")
    ('Android', '')
    """
    for name, pattern in _SYSTEMS:
        if pattern.search(user_agent or ""):
            return name
    return ""


def describe_device(viewport_width: Optional[int], user_agent: str) -> DeviceInfo:
    """Device class, browser and system of a session (see the module's example)."""
    return DeviceInfo(device_class(viewport_width), browser_of(user_agent), system_of(user_agent))
