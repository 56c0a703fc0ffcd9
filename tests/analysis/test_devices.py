"""Device class, browser and system of a session, from its viewport and user agent."""
from __future__ import annotations

import pytest

from analysis.devices import browser_of, describe_device, device_class, system_of

UA = {
    "chrome_mac": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    "safari_mac": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "firefox_win": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "chrome_ios": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
    "samsung": "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
    "opera": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
    "headless": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.28 Safari/537.36",
    "chromebook": "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
}


@pytest.mark.parametrize("name, browser, system", [
    ("chrome_mac", "Chrome 124", "macOS"),
    ("safari_mac", "Safari 17", "macOS"),
    ("firefox_win", "Firefox 125", "Windows"),
    ("chrome_ios", "Chrome 124", "iOS"),  # Chrome on iOS says Safari too
    ("samsung", "Samsung Internet 24", "Android"),  # and Chrome
    ("opera", "Opera 110", "Windows"),
    ("headless", "Chrome 120 (headless)", "Linux"),
    ("chromebook", "Chrome 124", "ChromeOS"),  # says Linux-ish X11 too
])
def test_browsers_and_systems(name, browser, system):
    assert (browser_of(UA[name]), system_of(UA[name])) == (browser, system)


@pytest.mark.parametrize("width, expected", [(0, None), (-5, None), (None, None), (320, "mobile"), (767, "mobile"),
                                             (768, "tablet"), (1023, "tablet"), (1024, "desktop"), (2560, "desktop")])
def test_device_class_follows_the_layout_breakpoints(width, expected):
    assert device_class(width) == expected


def test_unknown_agents_give_empty_labels_never_errors():
    for junk in ("", "pytest", "\x00" * 10, "Chrome/", "Version/ Safari/", "x" * 10_000):
        info = describe_device(None, junk)
        assert info.browser == "" and info.system == "" and info.device_class is None
