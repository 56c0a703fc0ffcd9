"""Incremental snapshots (rrweb type 3): one frozen shape per ``data.source`` we read.

:func:`parse_incremental` raises :class:`~analysis.json_fields.Malformed` for data it
cannot read; :func:`analysis.events.parse_event` turns that into an opaque record.
Sources we do not model (fonts, logs, custom elements) come back as None.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from analysis.json_fields import (
    Malformed,
    is_number,
    read_bool,
    read_list,
    read_number,
    read_optional_int,
    read_optional_number,
)
from analysis.rrweb import IncrementalSource, MouseInteraction

RawEntry = Mapping[str, object]

_INTERACTIONS: dict[int, MouseInteraction] = {member.value: member for member in MouseInteraction}
"""Value -> member; calling ``MouseInteraction(value)`` is surprisingly slow per event."""


@dataclass(frozen=True, slots=True)
class Mutation:
    """DOM changes batched by rrweb (source 0); entries stay raw JSON objects."""

    ts: int
    adds: tuple[RawEntry, ...]
    removes: tuple[RawEntry, ...]
    texts: tuple[RawEntry, ...]
    attributes: tuple[RawEntry, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.adds or self.removes or self.texts or self.attributes)


@dataclass(frozen=True, slots=True)
class MouseInteractionEvent:
    """Click, mouse-down, focus, ... (source 2) on node ``node_id``."""

    ts: int
    interaction: MouseInteraction | int
    node_id: int | None
    x: float | None
    y: float | None
    pointer_type: int | None


CursorPoint = tuple[int, float, float]
"""One sampled pointer position ``(ts, x, y)``, ``ts`` absolute (epoch ms). A plain
tuple: sessions hold tens of thousands of them."""


@dataclass(frozen=True, slots=True)
class PointerMove:
    """Mouse move, touch move or drag samples (sources 1, 6, 12)."""

    ts: int
    positions: tuple[CursorPoint, ...]


@dataclass(frozen=True, slots=True)
class Scroll:
    """A scroll of node ``node_id`` (the document when it is the root)."""

    ts: int
    node_id: int | None
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class ViewportResize:
    ts: int
    width: int | None
    height: int | None


@dataclass(frozen=True, slots=True)
class Input:
    """A form control's value or checked state changed (source 5)."""

    ts: int
    node_id: int | None
    text: str | None
    is_checked: bool | None
    user_triggered: bool | None


@dataclass(frozen=True, slots=True)
class Selection:
    """The text selection changed (source 14); collapsed means a bare caret."""

    ts: int
    range_count: int
    is_collapsed: bool


@dataclass(frozen=True, slots=True)
class MediaInteraction:
    """Play, pause, seek, ... of a media element (source 7)."""

    ts: int
    node_id: int | None
    kind: int | None


@dataclass(frozen=True, slots=True)
class CanvasDraw:
    """A canvas was drawn on (source 9, when canvas recording is on)."""

    ts: int
    node_id: int | None


@dataclass(frozen=True, slots=True)
class StyleSheetChange:
    """CSSOM edits that bypass the DOM (sources 8, 13, 15) and any new rule or declaration text."""

    ts: int
    source: IncrementalSource
    rules: tuple[str, ...]


IncrementalEvent = (
    Mutation
    | MouseInteractionEvent
    | PointerMove
    | Scroll
    | ViewportResize
    | Input
    | Selection
    | MediaInteraction
    | CanvasDraw
    | StyleSheetChange
)


def parse_incremental(ts: int, data: RawEntry) -> IncrementalEvent | None:
    """Parse ``data`` of a type-3 event; None for sources we do not model.

    >>> parse_incremental(5, {"source": 3, "id": 1, "x": 0, "y": 240})
    Scroll(ts=5, node_id=1, x=0.0, y=240.0)
    >>> parse_incremental(5, {"source": 10}) is None
    True
    """
    source = data.get("source")
    parser = _PARSERS.get(source) if type(source) is int else None
    return parser(ts, data) if parser else None


def _objects(value: object, name: str) -> tuple[RawEntry, ...]:
    return tuple(item for item in read_list(value, name) if type(item) is dict or isinstance(item, Mapping))


def _mutation(ts: int, data: RawEntry) -> Mutation:
    return Mutation(
        ts,
        _objects(data.get("adds"), "adds"),
        _objects(data.get("removes"), "removes"),
        _objects(data.get("texts"), "texts"),
        _objects(data.get("attributes"), "attributes"),
    )


def _mouse_interaction(ts: int, data: RawEntry) -> MouseInteractionEvent:
    kind = read_optional_int(data.get("type"))
    if kind is None:
        raise Malformed("data.type is not a number")
    return MouseInteractionEvent(
        ts,
        _INTERACTIONS.get(kind, kind),
        read_optional_int(data.get("id")),
        read_optional_number(data.get("x")),
        read_optional_number(data.get("y")),
        read_optional_int(data.get("pointerType")),
    )


def _pointer_move(ts: int, data: RawEntry) -> PointerMove:
    positions = []
    for sample in _objects(data.get("positions"), "positions"):
        x, y, offset = sample.get("x"), sample.get("y"), sample.get("timeOffset")
        if is_number(x) and is_number(y):
            offset = offset if type(offset) is int else (read_optional_int(offset) or 0)
            positions.append((ts + offset, x, y))  # type: ignore[operator]
    return PointerMove(ts, tuple(positions))  # type: ignore[arg-type]


def _scroll(ts: int, data: RawEntry) -> Scroll:
    return Scroll(
        ts,
        read_optional_int(data.get("id")),
        read_optional_number(data.get("x")) or 0.0,
        read_optional_number(data.get("y")) or 0.0,
    )


def _viewport_resize(ts: int, data: RawEntry) -> ViewportResize:
    return ViewportResize(ts, read_optional_int(data.get("width")), read_optional_int(data.get("height")))


def _input(ts: int, data: RawEntry) -> Input:
    text = data.get("text")
    return Input(
        ts,
        read_optional_int(data.get("id")),
        text if isinstance(text, str) else None,
        read_bool(data.get("isChecked")),
        read_bool(data.get("userTriggered")),
    )


def _selection(ts: int, data: RawEntry) -> Selection:
    ranges = _objects(data.get("ranges"), "ranges")
    collapsed = all(
        part.get("start") == part.get("end") and part.get("startOffset") == part.get("endOffset")
        for part in ranges
    )
    return Selection(ts, len(ranges), collapsed)


def _media_interaction(ts: int, data: RawEntry) -> MediaInteraction:
    return MediaInteraction(ts, read_optional_int(data.get("id")), read_optional_int(data.get("type")))


def _canvas_draw(ts: int, data: RawEntry) -> CanvasDraw:
    return CanvasDraw(ts, read_optional_int(data.get("id")))


def _style_sheet_change(ts: int, data: RawEntry) -> StyleSheetChange:
    source = IncrementalSource(int(read_number(data.get("source"), "data.source")))
    rules = [entry.get("rule") for entry in _objects(data.get("adds"), "adds")]
    for style in _objects(data.get("styles"), "styles"):  # adopted style sheets
        rules.extend(entry.get("rule") for entry in _objects(style.get("rules"), "rules"))
    declared = data.get("set")  # a CSSOM declaration (source 13): style.setProperty(property, value)
    if isinstance(declared, dict) and isinstance(declared.get("value"), str):
        rules.append(f"{declared.get('property')}: {declared['value']}")
    return StyleSheetChange(ts, source, tuple(rule for rule in rules if isinstance(rule, str)))


_PARSERS: dict[int, Callable[[int, RawEntry], IncrementalEvent]] = {
    IncrementalSource.MUTATION: _mutation,
    IncrementalSource.MOUSE_MOVE: _pointer_move,
    IncrementalSource.MOUSE_INTERACTION: _mouse_interaction,
    IncrementalSource.SCROLL: _scroll,
    IncrementalSource.VIEWPORT_RESIZE: _viewport_resize,
    IncrementalSource.INPUT: _input,
    IncrementalSource.TOUCH_MOVE: _pointer_move,
    IncrementalSource.MEDIA_INTERACTION: _media_interaction,
    IncrementalSource.STYLE_SHEET_RULE: _style_sheet_change,
    IncrementalSource.CANVAS_MUTATION: _canvas_draw,
    IncrementalSource.DRAG: _pointer_move,
    IncrementalSource.STYLE_DECLARATION: _style_sheet_change,
    IncrementalSource.SELECTION: _selection,
    IncrementalSource.ADOPTED_STYLE_SHEET: _style_sheet_change,
}
