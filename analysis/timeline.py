"""The session as detectors see it: clicks, reactions, visits, errors, marks, ...

:func:`build_timeline` folds the typed events in time order through a
:class:`~analysis.dom.DomMirror`, so every click knows its element and every mutation
knows whether it was visible. Detectors only read the resulting :class:`Timeline`.

A *reaction* is anything showing that the page responded: a DOM mutation, a navigation
(a Meta to another URL, a load event, any ``$pageview``), a scroll, an input, a
selection change, media or canvas activity, or a CSSOM edit. A Meta and full snapshot
of the URL we are already on is rrweb re-serializing the page (``checkoutEveryNms``),
not a response to anything. ``is_visible`` marks those a person could
see: mutations judged by :mod:`analysis.mutations`, never selection changes (a side
effect of pressing the mouse, not of the click's handler) nor CSS edits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.dom import DomMirror
from analysis.limits import CHECKPOINT_EVERY, CLICK_WORK, CLICKS, DEFAULT_LIMITS, EVENTS, TIME, AnalysisLimits, Checkpoint, always_go_on
from analysis.events import (
    CanvasDraw,
    CustomEvent,
    Event,
    FullSnapshot,
    Input,
    MediaInteraction,
    Meta,
    MouseInteraction,
    MouseInteractionEvent,
    Mutation,
    PageLoad,
    PointerMove,
    Scroll,
    Selection,
    StyleSheetChange,
    ViewportResize,
)
from analysis.moments import (
    Click,
    CustomMark,
    FieldChange,
    PageError,
    PointerPath,
    Reaction,
    ReactionKind,
    Reactions,
    ScrollSample,
)
from analysis.mutations import apply_mutation
from analysis.ignore import ATTRIBUTE_ONLY, IgnoreRule
from analysis.targets import ClickTarget, closest, describe_click_target, is_text_entry_element
from analysis.visibility import is_rendered
from analysis.visits import PageVisit, VisitTracker

__all__ = ["Click", "Reaction", "ReactionKind", "Timeline", "build_timeline"]


@dataclass(frozen=True, slots=True)
class Timeline:
    """Everything detectors read about one session, each part in time order."""

    clicks: tuple[Click, ...]
    reactions: Reactions
    visits: tuple[PageVisit, ...]
    errors: tuple[PageError, ...]
    marks: tuple[CustomMark, ...]
    field_changes: tuple[FieldChange, ...]
    scrolls: tuple[ScrollSample, ...]
    pointer_paths: tuple[PointerPath, ...]
    start_ts: int
    end_ts: int
    event_count: int
    limited_by: tuple[str, ...] = ()
    """Bounds of :mod:`analysis.limits` this timeline was cut at (empty: the whole session)."""

    def visit_url(self, visit: int | None) -> str | None:
        return self.visits[visit].url if visit is not None and 0 <= visit < len(self.visits) else None


def build_timeline(events: Sequence[Event], limits: AnalysisLimits = DEFAULT_LIMITS,
                   checkpoint: Checkpoint = always_go_on, *, ignore: IgnoreRule = ATTRIBUTE_ONLY) -> Timeline:
    """Fold typed events (see :func:`analysis.events.parse_events`) into a timeline,
    within ``limits`` and for as long as ``checkpoint()`` says to go on (see
    :mod:`analysis.limits`). Clicks on elements ``ignore`` names (``data-rd-ignore``,
    a project's ignore selectors) are left out: no detector sees them.

    >>> from analysis.events import parse_events
    >>> from analysis.event_builders import page_load, element, click_event, mutation_event
    >>> raw = page_load(1000, "http://shop.test/", element(10, "button", {"id": "add"}))
    >>> raw += [click_event(2000, 10, 50, 60), mutation_event(2004, attributes=[{"id": 10, "attributes": {"disabled": ""}}])]
    >>> timeline = build_timeline(parse_events(raw))
    >>> click = timeline.clicks[0]
    >>> click.target.selector, click.url, timeline.reactions.next_after(click.index, visible_only=True).ts
    ('#add', 'http://shop.test/', 2004)

    See also: :class:`analysis.moments.Reactions`, :mod:`analysis.detectors`.
    """
    ordered = _in_time_order(events)
    limited_by = [EVENTS] if len(ordered) > limits.max_events else []
    ordered = ordered[: limits.max_events]
    fold = _Fold(limits.max_clicks, ignore)
    for index, event in enumerate(ordered):
        if fold.work >= CHECKPOINT_EVERY:
            fold.work = 0
            if not checkpoint():
                limited_by.append(TIME)
                ordered = ordered[:index]
                break
        fold.add(index, event)
    if fold.clicks_skipped:
        limited_by.append(CLICKS)
    start = ordered[0].ts if ordered else 0
    end = ordered[-1].ts if ordered else 0
    return Timeline(
        clicks=tuple(fold.clicks),
        reactions=Reactions(tuple(fold.reactions)),
        visits=fold.visits.finish(end),  # type: ignore[arg-type]
        errors=tuple(fold.errors),
        marks=tuple(fold.marks),
        field_changes=tuple(fold.field_changes),
        scrolls=tuple(fold.scrolls),
        pointer_paths=tuple(PointerPath(visit, tuple(points)) for visit, points in fold.pointer_paths),
        start_ts=start,  # type: ignore[arg-type]
        end_ts=end,  # type: ignore[arg-type]
        event_count=len(ordered),
        limited_by=tuple(limited_by),
    )


def _in_time_order(events: Sequence[Event]) -> list[Event]:
    """Events with a timestamp, stably sorted by it (stored sessions usually already are)."""
    timed = [event for event in events if event.ts is not None]
    if any(later.ts < earlier.ts for earlier, later in zip(timed, timed[1:])):  # type: ignore[operator]
        timed.sort(key=lambda event: event.ts)  # type: ignore[arg-type,return-value]
    return timed


class _Fold:
    """Mutable state while folding; only :func:`build_timeline` sees it."""

    def __init__(self, max_clicks: int, ignore: IgnoreRule = ATTRIBUTE_ONLY) -> None:
        self.mirror = DomMirror()
        self.ignore = ignore
        self.max_clicks = max_clicks
        self.clicks_skipped = 0
        self.work = 0  # events folded since the last checkpoint, a described click counting as many
        # Targets described since the DOM last changed: clicking one element again and
        # again (rage, or a crafted batch) walks the DOM once.
        self.targets: dict[int | None, ClickTarget | None] = {}  # None: an ignored element
        self.visits = VisitTracker()
        self.viewport_height: int | None = None
        self.clicks: list[Click] = []
        self.reactions: list[Reaction] = []
        self.errors: list[PageError] = []
        self.marks: list[CustomMark] = []
        self.field_changes: list[FieldChange] = []
        self.scrolls: list[ScrollSample] = []
        self.pointer_paths: list[tuple[int | None, list[tuple[int, float, float]]]] = []

    def add(self, index: int, event: Event) -> None:
        self.work += 1
        visit = self.visits.current
        match event:
            case MouseInteractionEvent(interaction=MouseInteraction.CLICK):
                if len(self.clicks) >= self.max_clicks:
                    self.clicks_skipped += 1
                    return
                if event.node_id not in self.targets:
                    node = self.mirror.node(event.node_id)
                    ignored = node is not None and self.ignore.ignores(node)
                    self.targets[event.node_id] = None if ignored else describe_click_target(self.mirror, event.node_id)
                    self.work += CLICK_WORK
                target = self.targets[event.node_id]
                if target is None:
                    return
                url = self.visits.current_url
                self.clicks.append(Click(index, event.ts, event.x, event.y, visit, url, target))
            case PointerMove():
                if not self.pointer_paths or self.pointer_paths[-1][0] != visit:
                    self.pointer_paths.append((visit, []))
                self.pointer_paths[-1][1].extend(event.positions)
            case Mutation() if not event.is_empty:
                self.targets.clear()
                visible = apply_mutation(self.mirror, event)
                self._react(index, event.ts, ReactionKind.MUTATION, visible)
            case Meta():
                self.viewport_height = event.height or self.viewport_height
                if self.visits.navigate(event.ts, event.href, "load") != visit:
                    self._react(index, event.ts, ReactionKind.NAVIGATION, True)
            case FullSnapshot():
                self.targets.clear()
                self.mirror.load_snapshot(event.node)  # its Meta already said whether we moved
            case CustomEvent():
                self._add_custom(index, event)
            case Scroll():
                self.scrolls.append(ScrollSample(index, event.ts, visit, event.node_id, event.y, self.viewport_height))
                self._react(index, event.ts, ReactionKind.SCROLL, True)
            case Input():
                self._add_field_change(index, event, visit)
                self._react(index, event.ts, ReactionKind.INPUT, self._is_visible_input(event))
            case _:
                self._add_other(index, event)

    def _add_other(self, index: int, event: Event) -> None:
        match event:
            case Selection():
                self._react(index, event.ts, ReactionKind.SELECTION, False)
            case MediaInteraction():
                self._react(index, event.ts, ReactionKind.MEDIA, True)
            case CanvasDraw():
                self._react(index, event.ts, ReactionKind.CANVAS, True)
            case StyleSheetChange():
                self.mirror.add_css(event.rules)
                self._react(index, event.ts, ReactionKind.STYLESHEET, False)
            case PageLoad():
                self._react(index, event.ts, ReactionKind.NAVIGATION, True)
            case ViewportResize():
                self.viewport_height = event.height or self.viewport_height

    def _add_custom(self, index: int, event: CustomEvent) -> None:
        payload = event.payload
        if event.tag == "$pageview":
            url, title = payload.get("url"), payload.get("title")
            if isinstance(url, str):
                self.visits.navigate(event.ts, url, "spa", title if isinstance(title, str) else None)
            self._react(index, event.ts, ReactionKind.NAVIGATION, True)
        elif event.tag == "$error":
            message = payload.get("message")
            self.errors.append(PageError(index, event.ts, self.visits.current, str(message or "")))
        else:
            status = payload.get("status")
            status = status if isinstance(status, str) else None
            self.marks.append(CustomMark(index, event.ts, self.visits.current, event.tag, status))

    def _add_field_change(self, index: int, event: Input, visit: int | None) -> None:
        node = self.mirror.node(event.node_id)
        form = closest(node, lambda n: n.tag == "form") if node is not None else None
        is_text_entry = node is not None and is_text_entry_element(node)
        self.field_changes.append(
            FieldChange(index, event.ts, visit, event.node_id, is_text_entry, form.id if form else None)
        )

    def _is_visible_input(self, event: Input) -> bool:
        """A control changed state. Custom checkboxes and seat maps hide the real input and
        restyle a label via ``:checked``, so a hidden input still shows, unless it is
        ``type=hidden`` or a script (not the user) set a value nobody can see."""
        node = self.mirror.node(event.node_id)
        if node is None:
            return True
        if node.tag == "input" and (node.attr("type") or "").lower() == "hidden":
            return False
        return event.user_triggered is not False or is_rendered(node, self.mirror.css_index())

    def _react(self, index: int, ts: int, kind: ReactionKind, is_visible: bool) -> None:
        self.reactions.append(Reaction(index, ts, kind, is_visible))
