"""Issues: signals grouped by kind, page and element across sessions."""
from __future__ import annotations

import gzip
import json

from analysis import analyze
from analysis.issues import WEEK_MS, IssueSignal, group_issues, page_of
from tests.conftest import CORPUS_DIR

DAY = 86_400_000
NOW = 100 * DAY


def row(kind="rage_click", url="https://shop.test/cart", selector="#apply", text="Apply", session="s1", days_ago=1.0):
    return IssueSignal(kind, url, selector, text, session, int(NOW - days_ago * DAY))


def test_one_issue_per_kind_page_and_element():
    issues = group_issues([
        row(session="a"), row(session="a", days_ago=1.1), row(session="b"),  # one issue, two sessions
        row(url="https://shop.test/cart?coupon=1#top", session="c"),  # same page template
        row(selector="#other", session="a"),  # another element
        row(kind="dead_click", session="a"),  # another kind
        row(url="https://shop.test/checkout", session="a"),  # another page
        row(selector=None, kind="quick_back", text=None, session="d"),  # no element
    ], now_ms=NOW)
    assert [(i.kind, i.page, i.selector, i.count, i.sessions) for i in issues] == [
        ("rage_click", "shop.test/cart", "#apply", 4, 3),  # most sessions first
        ("dead_click", "shop.test/cart", "#apply", 1, 1),  # then, alike in size and time, by key
        ("quick_back", "shop.test/cart", "", 1, 1),
        ("rage_click", "shop.test/cart", "#other", 1, 1),
        ("rage_click", "shop.test/checkout", "#apply", 1, 1),
    ]
    assert issues[0].key == "rage_click|shop.test/cart|#apply"


def test_first_and_last_seen_trend_and_one_sample_per_session_latest_first():
    issue = group_issues([row(session="old", days_ago=12), row(session="a", days_ago=3), row(session="a", days_ago=2),
                          row(session="b", days_ago=5), row(session="c", days_ago=6), row(session="d", days_ago=40)],
                         now_ms=NOW)[0]
    assert (issue.first_ts, issue.last_ts) == (NOW - 40 * DAY, NOW - 2 * DAY)
    assert (issue.last_week, issue.week_before, issue.trend) == (4, 1, "up")
    assert [s.session_id for s in issue.samples] == ["a", "b", "c"]
    assert issue.samples[0].ts == NOW - 2 * DAY
    assert issue.to_dict()["samples"][0] == {"session_id": "a", "ts": NOW - 2 * DAY}


def test_a_week_boundary_belongs_to_the_recent_week():
    issue = group_issues([row(days_ago=7), row(days_ago=7.0001)], now_ms=NOW)[0]
    assert (issue.last_week, issue.week_before) == (1, 1) and WEEK_MS == 7 * DAY


def test_pages_keep_host_and_path():
    assert page_of("http://127.0.0.1:8731/cart.html?x=1") == "127.0.0.1:8731/cart.html"
    assert page_of("/relative/path") == "/relative/path"


def test_the_dev_corpus_coupon_button_is_one_issue_across_sessions():
    """The labelled shop: several visitors rage on the coupon's Apply button."""
    rows = []
    for path in sorted(CORPUS_DIR.glob("shop-*.json.gz")):
        recording = json.load(gzip.open(path))
        events = recording["events"] if isinstance(recording, dict) else recording
        for signal in analyze(events).signals:
            rows.append(IssueSignal(signal.kind, signal.url, signal.target.selector if signal.target else None,
                                    signal.target.text if signal.target else None, path.name, signal.ts))
    issues = group_issues(rows, now_ms=max(r.ts for r in rows) + 1)
    rage = [i for i in issues if i.kind == "rage_click"]
    assert rage and rage[0].sessions >= 3, [(i.page, i.selector, i.sessions) for i in rage]
    assert rage[0].selector and rage[0].page.endswith("/cart.html")
    assert len(rage[0].samples) == 3 and len({s.session_id for s in rage[0].samples}) == 3
