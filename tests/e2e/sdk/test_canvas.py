"""Canvas recording (`recordCanvas`, off by default): rrweb's canvas recorder arrives as
a chunk of its own only on pages that record canvases, and sends sampled frames
(CanvasMutation events carrying a WebP picture), at most `fps` a second however often
the page redraws, nothing while the canvas does not change."""
from __future__ import annotations

import pytest

from tests.e2e.sdk.ingest import wait_for_stored
from tests.e2e.sdk.site import ProductSite, tab_session_id, wait_until_recording

pytestmark = pytest.mark.browser

CANVAS_MUTATION = 9


def frames(events: list) -> list:
    return [e for e in events if e["type"] == 3 and e["data"].get("source") == CANVAS_MUTATION]


def record(context, server, options: dict) -> tuple[list, list]:
    """(stored events, URLs the page requested from the server's /sdk/) of a page drawing."""
    requested = []
    page = context.new_page()
    page.on("request", lambda request: requested.append(request.url) if "/sdk/" in request.url else None)
    with ProductSite(server, init_options=options) as site:
        page.goto(site.url("canvas.html"))
        wait_until_recording(page)
        session_id = tab_session_id(page)
        page.wait_for_timeout(1200)
        page.click("#draw")
        page.wait_for_timeout(1200)
        page.click("#spin")
        page.wait_for_timeout(3000)  # 2 s of redrawing every frame, then still
        page.close()  # what is left leaves with the page
    stored = wait_for_stored(server, session_id, lambda events: _has_click(events, "spin"))
    return stored, requested


def test_off_by_default_the_canvas_recorder_is_never_loaded(context, server):
    stored, requested = record(context, server, {})
    assert frames(stored) == []
    assert not any("replaydesk-canvas.js" in url for url in requested)


def test_sampled_frames_at_a_bounded_rate(context, server):
    stored, requested = record(context, server, {"recordCanvas": {"fps": 2, "quality": 0.5}})
    assert any("replaydesk-canvas.js" in url for url in requested)
    canvas_id = next(node["id"] for node in _nodes(next(e for e in stored if e["type"] == 2)["data"]["node"])
                     if node.get("tagName") == "canvas")
    sent = frames(stored)
    assert sent and all(e["data"]["id"] == canvas_id for e in sent)
    image = sent[0]["data"]["commands"][1]["args"][0]["args"][0]
    assert image["type"] == "image/webp" and image["data"][0]["base64"]
    spinning = [e for e in sent if e["timestamp"] >= _clicked(stored, "spin")]
    assert 2 <= len(spinning) <= 6  # 2 s of 60 redraws a second → ~2 frames a second, then nothing new
    snapshot = next(e for e in stored if e["type"] == 2)
    assert any(node.get("attributes", {}).get("rr_dataURL", "").startswith("data:image/webp")
               for node in _nodes(snapshot["data"]["node"]))  # the picture at the snapshot


def _nodes(root):
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.get("childNodes") or ())


def _has_click(stored: list, button_id: str) -> bool:
    try:
        _clicked(stored, button_id)
        return True
    except StopIteration:
        return False


def _clicked(stored: list, button_id: str) -> int:
    ids = {node["id"]: node for e in stored if e["type"] == 2 for node in _nodes(e["data"]["node"])}
    return next(e["timestamp"] for e in stored if e["type"] == 3 and e["data"].get("source") == 2
                and e["data"].get("type") == 2 and ids.get(e["data"].get("id"), {}).get("attributes", {}).get("id") == button_id)
