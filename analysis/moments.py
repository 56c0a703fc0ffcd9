"""Things that happened at a moment of a session, as the timeline records them.

Every record carries ``index``, its position in the time-ordered stream (ties in
``ts`` are common: a click and the mutation it causes often share a millisecond, and
stream order says which came first), and ``visit``, the index of the page visit it
happened in (None before the first navigation).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from enum import StrEnum

from analysis.targets import ClickTarget


class ReactionKind(StrEnum):
    """What kind of evidence that the page responded."""

    MUTATION = "mutation"
    NAVIGATION = "navigation"
    SCROLL = "scroll"
    INPUT = "input"
    SELECTION = "selection"
    MEDIA = "media"
    CANVAS = "canvas"
    STYLESHEET = "stylesheet"


@dataclass(frozen=True, slots=True)
class Reaction:
    """Evidence that the page responded, and whether a person could see it."""

    index: int
    ts: int
    kind: ReactionKind
    is_visible: bool


@dataclass(frozen=True, slots=True)
class Click:
    """An rrweb Click (source 2, type 2); ``index`` is its position in the stream."""

    index: int
    ts: int
    x: float | None
    y: float | None
    visit: int | None
    url: str | None
    target: ClickTarget

    @property
    def is_keyboard(self) -> bool:
        """Enter or Space on a control makes the browser click it at (0, 0)."""
        return self.x == 0 and self.y == 0

    @property
    def has_position(self) -> bool:
        return self.x is not None and self.y is not None and not self.is_keyboard


@dataclass(frozen=True, slots=True)
class PageError:
    """The SDK's ``$error`` custom event."""

    index: int
    ts: int
    visit: int | None
    message: str


@dataclass(frozen=True, slots=True)
class CustomMark:
    """Any other custom event: ``$task``, ``$variant``, the product's own events."""

    index: int
    ts: int
    visit: int | None
    tag: str
    status: str | None
    """``payload.status`` when there is one (``$task``: start|complete|give_up|fail|abandon)."""


@dataclass(frozen=True, slots=True)
class FieldChange:
    """An rrweb Input event: a field's value or checked state changed."""

    index: int
    ts: int
    visit: int | None
    node_id: int | None
    is_text_entry: bool
    form_id: int | None


@dataclass(frozen=True, slots=True)
class ScrollSample:
    """A scroll position of one scroller, with the viewport height known at the time."""

    index: int
    ts: int
    visit: int | None
    node_id: int | None
    y: float
    viewport_height: int | None


@dataclass(frozen=True, slots=True)
class PointerPath:
    """The pointer's sampled positions ``(ts, x, y)`` during one visit, in time order."""

    visit: int | None
    points: tuple[tuple[int, float, float], ...]


@dataclass(frozen=True, slots=True)
class Reactions:
    """Reactions in stream order, searchable by stream position."""

    items: tuple[Reaction, ...]
    visible: tuple[Reaction, ...] = field(init=False, repr=False)
    _positions: tuple[int, ...] = field(init=False, repr=False)
    _visible_positions: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        visible = tuple(reaction for reaction in self.items if reaction.is_visible)
        object.__setattr__(self, "visible", visible)
        object.__setattr__(self, "_positions", tuple(reaction.index for reaction in self.items))
        object.__setattr__(self, "_visible_positions", tuple(reaction.index for reaction in visible))

    def __len__(self) -> int:
        return len(self.items)

    def next_after(self, index: int, visible_only: bool = False) -> Reaction | None:
        """The first reaction after stream position ``index`` (optionally a visible one).

        >>> reactions = Reactions((Reaction(3, 10, ReactionKind.SELECTION, False),
        ...                        Reaction(5, 12, ReactionKind.MUTATION, True)))
        >>> reactions.next_after(2).kind, reactions.next_after(2, visible_only=True).kind
        (<ReactionKind.SELECTION: 'selection'>, <ReactionKind.MUTATION: 'mutation'>)
        >>> reactions.next_after(5) is None
        True
        """
        items = self.visible if visible_only else self.items
        positions = self._visible_positions if visible_only else self._positions
        position = bisect_right(positions, index)
        return items[position] if position < len(items) else None
