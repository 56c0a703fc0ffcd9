"""Exact moments in the browser: the player opened at a moment shows the state after
every event at or before it, the event at exactly that moment and the session's last
one included (rrweb's Replayer alone leaves out the events at the moment it pauses at).

The sessions are hand-built (analysis.event_builders): each ends on the kind of change
reviewers missed (a modal opened last, a CSS rule inserted last, an iframe's content
added last), so `?t=` at the end or at that event must show it and 1 ms before must not.
"""
from __future__ import annotations

import json

import pytest

from analysis.event_builders import (added, document, element, incremental_event, meta_event, mutation_event,
                                     snapshot_event, text)
from analysis.rrweb import IncrementalSource
from tests.e2e.ui.conftest import wait_for_first_frame
from tests.factories import T0

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STYLE_ID, IFRAME_ID, INNER_BODY_ID = 10, 20, 24
LATE_MS = 3000  # the last event of every session, and its length


def _session(ui_server, tmp_path, name: str, last: dict, *, also_at_start: list[dict] = ()) -> str:
    style = element(STYLE_ID, "style", {}, text(11, ".plain { color: black }"))
    style["childNodes"][0]["isStyle"] = True
    body = [element(12, "p", {"class": "plain", "id": "greeting"}, text(13, "Hello")),
            element(IFRAME_ID, "iframe", {"id": "frame", "style": "width: 300px; height: 120px"})]
    events = [meta_event(T0, "http://shop.test/", 1024, 640),
              snapshot_event(T0 + 1, document(*body, head_children=[style])),
              *also_at_start,
              incremental_event(T0 + 1500, IncrementalSource.MOUSE_MOVE, positions=[{"x": 5, "y": 5, "id": 12, "timeOffset": 0}]),
              {**last, "timestamp": T0 + LATE_MS}]
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps({"session_id": f"exact-{name}-0001", "events": events}))
    return ui_server.import_recording(path)


def _iframe_document(ts: int) -> dict:
    """The same-origin iframe's document, attached as rrweb's recorder attaches it."""
    inner = {"type": 0, "id": 21, "childNodes": [
        element(22, "html", {}, element(23, "head", {}), element(INNER_BODY_ID, "body", {}))]}
    event = mutation_event(ts, adds=[added(IFRAME_ID, inner)])
    event["data"]["isAttachIframe"] = True
    return event


# rrweb lists every added node as its own entry (a node's childNodes are not read).
MODAL = mutation_event(0, adds=[added(4, element(30, "div", {"id": "modal", "role": "dialog"})), added(30, text(31, "Your basket"))])
CSS_RULE = incremental_event(0, IncrementalSource.STYLE_SHEET_RULE, id=STYLE_ID,
                             adds=[{"rule": "#greeting { background-color: rgb(0, 128, 0) }", "index": 1}])
IFRAME_CONTENT = mutation_event(0, adds=[added(INNER_BODY_ID, element(40, "h2", {"id": "inside"})), added(40, text(41, "In the frame"))])


def _open(page, ui_server, sid: str, t: int):
    page.goto(f"{ui_server.url}/sessions/{sid}?t={t}")
    wait_for_first_frame(page)
    page.wait_for_timeout(150)
    return page.frame_locator("#stage iframe")


def _greeting_background(frame) -> str:
    return frame.locator("#greeting").evaluate("e => getComputedStyle(e).backgroundColor")


@pytest.mark.parametrize("t", [LATE_MS, 99_000])  # the session's end; a t past it is the end too
def test_a_modal_opened_last_shows_at_the_end(page, ui_server, tmp_path, t):
    sid = _session(ui_server, tmp_path, f"modal-{t}", MODAL)
    assert _open(page, ui_server, sid, t).locator("#modal").inner_text() == "Your basket"


def test_a_css_rule_inserted_last_applies_at_its_moment_and_not_before(page, ui_server, tmp_path):
    sid = _session(ui_server, tmp_path, "rule", CSS_RULE)
    assert _greeting_background(_open(page, ui_server, sid, LATE_MS)) == "rgb(0, 128, 0)"
    assert _greeting_background(_open(page, ui_server, sid, LATE_MS - 1)) == "rgba(0, 0, 0, 0)"


def test_an_iframes_content_added_last_shows_at_its_moment_and_not_before(page, ui_server, tmp_path):
    sid = _session(ui_server, tmp_path, "iframe", IFRAME_CONTENT, also_at_start=[_iframe_document(T0 + 2)])
    frame = _open(page, ui_server, sid, LATE_MS)
    assert frame.frame_locator("#frame").locator("#inside").inner_text() == "In the frame"
    frame = _open(page, ui_server, sid, LATE_MS - 1)
    assert frame.frame_locator("#frame").locator("#inside").count() == 0
