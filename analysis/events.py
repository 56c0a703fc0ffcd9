"""Typed rrweb events: the shapes detectors read, parsed once at the boundary.

Raw events are untrusted JSON. :func:`parse_events` turns each one into a frozen
dataclass, or into an :class:`OpaqueEvent` when its kind is unknown or its fields are
malformed. It never raises and keeps one output per input, so positions line up.
The numeric enums live in :mod:`analysis.rrweb`, the incremental-snapshot shapes in
:mod:`analysis.incremental`, the console and network plugin shapes in
:mod:`analysis.plugin_events`; all are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from analysis.incremental import (
    CanvasDraw,
    CursorPoint,
    IncrementalEvent,
    Input,
    MediaInteraction,
    MouseInteractionEvent,
    Mutation,
    PointerMove,
    Scroll,
    Selection,
    StyleSheetChange,
    ViewportResize,
    parse_incremental,
)
from analysis.json_fields import Malformed, read_mapping, read_optional_int, read_optional_number, read_str
from analysis.plugin_events import ConsoleEntry, NetworkEvent, NetworkRequest, PluginEvent, parse_plugin
from analysis.rrweb import (
    EventType,
    IncrementalSource,
    MouseInteraction,
    NodeType,
    PointerType,
)

__all__ = [
    "CanvasDraw",
    "ConsoleEntry",
    "CursorPoint",
    "CustomEvent",
    "Event",
    "EventType",
    "FullSnapshot",
    "IncrementalSource",
    "Input",
    "MediaInteraction",
    "Meta",
    "MouseInteraction",
    "MouseInteractionEvent",
    "Mutation",
    "NetworkEvent",
    "NetworkRequest",
    "NodeType",
    "OpaqueEvent",
    "PageLoad",
    "PointerMove",
    "PointerType",
    "Scroll",
    "Selection",
    "StyleSheetChange",
    "ViewportResize",
    "parse_event",
    "parse_events",
]


@dataclass(frozen=True, slots=True)
class Meta:
    """A page load (rrweb type 4): the document's URL and viewport."""

    ts: int
    href: str
    width: int | None
    height: int | None


@dataclass(frozen=True, slots=True)
class FullSnapshot:
    """A whole serialized document (type 2); ``node`` stays the raw JSON tree.

    ``initial_offset`` is the document's scroll ``(left, top)`` when it was taken
    (``data.initialOffset``; ``(0.0, 0.0)`` when absent or unreadable).
    """

    ts: int
    node: Mapping[str, object]
    initial_offset: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True, slots=True)
class PageLoad:
    """DOMContentLoaded (type 0) or load (type 1): the page (re)loaded."""

    ts: int
    kind: EventType


@dataclass(frozen=True, slots=True)
class CustomEvent:
    """rrweb type 5, ``data: {tag, payload}``: the SDK's ``$pageview``, ``$error``, ..."""

    ts: int
    tag: str
    payload: Mapping[str, object]


@dataclass(frozen=True, slots=True)
class OpaqueEvent:
    """An event we do not model or could not read; ``ts`` is None when unusable."""

    ts: int | None
    type: object
    reason: str


Event = Meta | FullSnapshot | PageLoad | CustomEvent | OpaqueEvent | IncrementalEvent | PluginEvent


def parse_events(raw: object) -> list[Event]:
    """Parse raw rrweb events; one typed event per input, never an exception.

    >>> events = parse_events([
    ...     {"type": 4, "timestamp": 1000, "data": {"href": "http://x/", "width": 800, "height": 600}},
    ...     {"type": 3, "timestamp": 1500, "data": {"source": 2, "type": 2, "id": 7, "x": 10, "y": 20}},
    ...     {"type": 99, "timestamp": 1600},
    ...     "not an event",
    ... ])
    >>> [type(event).__name__ for event in events]
    ['Meta', 'MouseInteractionEvent', 'OpaqueEvent', 'OpaqueEvent']
    >>> events[1].interaction is MouseInteraction.CLICK
    True

    See also: :func:`parse_event`, :func:`analysis.timeline.build_timeline`.
    """
    if not isinstance(raw, (list, tuple)):
        return []
    return [parse_event(item) for item in raw]


def parse_event(raw: object) -> Event:
    """Parse one raw event; anything unreadable becomes an :class:`OpaqueEvent`.

    >>> parse_event({"type": 5, "timestamp": 10, "data": {"tag": "$error", "payload": {"message": "x"}}})
    CustomEvent(ts=10, tag='$error', payload={'message': 'x'})
    >>> parse_event({"type": 3, "timestamp": "soon"})
    OpaqueEvent(ts=None, type=3, reason='timestamp is missing or not a number')

    See also: :func:`parse_events`.
    """
    if not isinstance(raw, Mapping):
        return OpaqueEvent(None, None, "event is not an object")
    kind = raw.get("type")
    ts = raw.get("timestamp")
    if type(ts) is not int:
        ts = read_optional_int(ts)
    if ts is None:
        return OpaqueEvent(None, _scalar(kind), "timestamp is missing or not a number")
    parser = _PARSERS.get(kind) if type(kind) is int else None
    if parser is None:
        return OpaqueEvent(ts, _scalar(kind), "unknown event type")
    try:
        return parser(ts, raw.get("data")) or OpaqueEvent(ts, kind, "not analysed")
    except Malformed as problem:
        return OpaqueEvent(ts, kind, str(problem))


def _scalar(value: object) -> object:
    """Keep scalars for the record; containers could be huge."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return type(value).__name__


def _meta(ts: int, data: object) -> Meta:
    fields = read_mapping(data, "data")
    return Meta(
        ts,
        read_str(fields.get("href"), "data.href"),
        read_optional_int(fields.get("width")),
        read_optional_int(fields.get("height")),
    )


def _full_snapshot(ts: int, data: object) -> FullSnapshot:
    fields = read_mapping(data, "data")
    offset = fields.get("initialOffset")
    left, top = (offset.get("left"), offset.get("top")) if isinstance(offset, Mapping) else (None, None)
    return FullSnapshot(ts, read_mapping(fields.get("node"), "data.node"),
                        (read_optional_number(left) or 0.0, read_optional_number(top) or 0.0))


def _custom(ts: int, data: object) -> CustomEvent:
    fields = read_mapping(data, "data")
    payload = fields.get("payload")
    if payload is None:
        payload = {}
    elif not isinstance(payload, Mapping):
        payload = {"value": payload}
    return CustomEvent(ts, read_str(fields.get("tag"), "data.tag"), payload)


def _incremental(ts: int, data: object) -> IncrementalEvent | None:
    return parse_incremental(ts, read_mapping(data, "data"))


def _dom_content_loaded(ts: int, data: object) -> PageLoad:
    return PageLoad(ts, EventType.DOM_CONTENT_LOADED)


def _load(ts: int, data: object) -> PageLoad:
    return PageLoad(ts, EventType.LOAD)


def _plugin(ts: int, data: object) -> PluginEvent | None:
    return parse_plugin(ts, read_mapping(data, "data"))  # None: a plugin we do not read


_PARSERS: dict[int, Callable[[int, object], Event | None]] = {
    EventType.DOM_CONTENT_LOADED: _dom_content_loaded,
    EventType.LOAD: _load,
    EventType.FULL_SNAPSHOT: _full_snapshot,
    EventType.INCREMENTAL_SNAPSHOT: _incremental,
    EventType.META: _meta,
    EventType.CUSTOM: _custom,
    EventType.PLUGIN: _plugin,
}
