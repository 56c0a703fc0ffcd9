"""parse_events: typed shapes for what we read, opaque records for everything else."""

from __future__ import annotations

import pytest

from analysis.events import (
    CustomEvent,
    FullSnapshot,
    Input,
    IncrementalSource,
    Meta,
    MouseInteraction,
    MouseInteractionEvent,
    Mutation,
    OpaqueEvent,
    PageLoad,
    PointerMove,
    Scroll,
    Selection,
    StyleSheetChange,
    ViewportResize,
    parse_event,
    parse_events,
)


def incremental(source: int, **data: object) -> dict[str, object]:
    return {"type": 3, "timestamp": 100, "data": {"source": source, **data}}


PARSED = [
    # Meta: the page URL and viewport
    ({"type": 4, "timestamp": 100, "data": {"href": "http://x/", "width": 800, "height": 600}},
     Meta(100, "http://x/", 800, 600)),
    # load events carry no data
    ({"type": 1, "timestamp": 100}, PageLoad(100, 1)),
    # a click, with rrweb 2's pointerType
    (incremental(2, type=2, id=7, x=10, y=20, pointerType=0),
     MouseInteractionEvent(100, MouseInteraction.CLICK, 7, 10.0, 20.0, 0)),
    # an interaction type rrweb may add later is kept as its number
    (incremental(2, type=42, id=7), MouseInteractionEvent(100, 42, 7, None, None, None)),
    # mouse moves: offsets are relative to the event's timestamp
    (incremental(1, positions=[{"x": 1, "y": 2, "id": 4, "timeOffset": -40}, {"x": "bad"}]),
     PointerMove(100, ((60, 1, 2),))),
    (incremental(3, id=1, x=0, y=240), Scroll(100, 1, 0.0, 240.0)),
    (incremental(4, width=1024, height=700), ViewportResize(100, 1024, 700)),
    (incremental(5, id=9, text="***", isChecked=False), Input(100, 9, "***", False, None)),
    # a caret (collapsed range) is still a selection change
    (incremental(14, ranges=[{"start": 5, "startOffset": 1, "end": 5, "endOffset": 1}]), Selection(100, 1, True)),
    (incremental(8, id=3, adds=[{"rule": ".a{color:red}", "index": 0}]),
     StyleSheetChange(100, IncrementalSource.STYLE_SHEET_RULE, (".a{color:red}",))),
    # a custom event whose payload is not an object keeps it under "value"
    ({"type": 5, "timestamp": 100, "data": {"tag": "signup", "payload": "free"}},
     CustomEvent(100, "signup", {"value": "free"})),
]


@pytest.mark.parametrize(("raw", "expected"), PARSED)
def test_parse_event(raw, expected):
    assert parse_event(raw) == expected


def test_mutation_keeps_only_object_entries():
    event = parse_event(incremental(0, adds=[{"parentId": 1, "node": {}}, 3], removes=None, texts=[], attributes=[]))
    assert isinstance(event, Mutation)
    assert event.adds == ({"parentId": 1, "node": {}},) and event.removes == () and not event.is_empty


def test_full_snapshot_keeps_the_raw_tree():
    node = {"type": 0, "id": 1, "childNodes": []}
    assert parse_event({"type": 2, "timestamp": 5, "data": {"node": node}}) == FullSnapshot(5, node)


@pytest.mark.parametrize(("offset", "expected"), [
    ({"left": 10, "top": 480.5}, (10.0, 480.5)),  # the document was scrolled when snapshotted
    ({"top": 30}, (0.0, 30.0)),  # a missing side is 0
    ({"left": "far", "top": True}, (0.0, 0.0)),  # unreadable sides are 0, the snapshot still parses
    ("top", (0.0, 0.0)),
])
def test_full_snapshot_reads_the_initial_scroll(offset, expected):
    raw = {"type": 2, "timestamp": 5, "data": {"node": {"id": 1}, "initialOffset": offset}}
    assert parse_event(raw).initial_offset == expected


OPAQUE = [
    # not an object at all
    ("text", "event is not an object"),
    # booleans are not timestamps
    ({"type": 4, "timestamp": True}, "timestamp is missing or not a number"),
    ({"type": 4, "timestamp": float("nan")}, "timestamp is missing or not a number"),
    # unknown top-level type
    ({"type": 9, "timestamp": 1}, "unknown event type"),
    ({"type": [4], "timestamp": 1}, "unknown event type"),
    # known type, malformed data
    ({"type": 4, "timestamp": 1, "data": {"href": 7}}, "data.href is not a string"),
    ({"type": 2, "timestamp": 1, "data": {"node": "html"}}, "data.node is not an object"),
    ({"type": 3, "timestamp": 1, "data": {"source": 2, "type": "click"}}, "data.type is not a number"),
    ({"type": 6, "timestamp": 1, "data": {"plugin": "rrweb/console@1"}}, "data.payload is not an object"),
    ({"type": 6, "timestamp": 1, "data": {"plugin": "rrweb/console@1", "payload": {"level": 3}}},
     "data.payload.level is not a string"),
    ({"type": 6, "timestamp": 1, "data": {"plugin": "rrweb/network@1", "payload": {"requests": "all"}}},
     "data.payload.requests is not an array"),
    ({"type": 6, "timestamp": 1, "data": "console"}, "data is not an object"),
    ({"type": 3, "timestamp": 1, "data": {"source": 0, "adds": "many"}}, "adds is not an array"),
    # kinds we know but do not analyse
    ({"type": 6, "timestamp": 1, "data": {"plugin": "rrweb/sequential-id@1", "payload": {"id": 1}}}, "not analysed"),
    ({"type": 3, "timestamp": 1, "data": {"source": 11}}, "not analysed"),
]


@pytest.mark.parametrize(("raw", "reason"), OPAQUE)
def test_unreadable_events_become_opaque(raw, reason):
    event = parse_event(raw)
    assert isinstance(event, OpaqueEvent) and event.reason == reason


def test_parse_events_is_one_to_one_and_tolerates_non_lists():
    assert len(parse_events([{}, None, {"type": 4, "timestamp": 1, "data": {"href": "x"}}])) == 3
    assert parse_events({"events": []}) == [] and parse_events(None) == []
