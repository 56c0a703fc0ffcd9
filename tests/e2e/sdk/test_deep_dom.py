"""A real page whose DOM is nested 200 elements deep (in its full snapshot; a mutation
adding another such branch too) is recorded through the real SDK and stored: every batch
is answered 200 and the stored stream is what the page sent (issue 10: orjson wrote
254 levels, so such a page was answered 500 and its batches retried for ever)."""
from __future__ import annotations

import pytest

from tests.e2e.sdk.site import tab_session_id, wait_until_recording
from tests.e2e.sdk.test_custom_events import settle_and_read

pytestmark = pytest.mark.browser

DEPTH = 200


def element_depth(node: dict) -> int:
    """Levels of elements below and including `node` (an rrweb serialized node), without recursion."""
    deepest, stack = 0, [(node, 0)]
    while stack:
        current, depth = stack.pop()
        depth += current.get("type") == 2
        deepest = max(deepest, depth)
        stack.extend((child, depth) for child in current.get("childNodes") or ())
    return deepest


def test_a_page_nested_200_elements_deep_is_recorded_and_read_back(site, context, tap, server):
    page = context.new_page()
    page.goto(site.url("deep.html"))
    wait_until_recording(page)
    session_id = tab_session_id(page)
    page.click("#grow")

    stored = settle_and_read(page, tap, server, session_id)  # what the page sent, stored exactly
    assert {batch.status for batch in tap.sent} == {200}, [(b.status, b.batch["seq"]) for b in tap.sent]
    snapshot = next(event for event in stored if event["type"] == 2)
    assert element_depth(snapshot["data"]["node"]) >= DEPTH + 3  # html > body > main > 200 divs
    added = [add["node"] for event in stored if event["type"] == 3 and event["data"].get("source") == 0
             for add in event["data"].get("adds") or ()]  # rrweb sends a mutation's nodes one by one, by parentId
    assert sum(node.get("tagName") == "section" for node in added) == DEPTH
