"""What ingest notes about one batch while it is in hand: page entries, variants, task
steps, study answers and a few counters for list filters (clicks, errors, console errors, failed
requests, the slowest request). Signals come later, from :func:`analyze`.

This runs on the write path, once per batch, so it parses only the events it reads
(page loads, custom events, clicks, console and network plugin events, all small):
mutations and pointer moves are most of a batch's bytes and say nothing here. Page entries follow the one rule of :func:`same_page`, so a
load's Meta and its ``$pageview`` make one entry, as they make one visit in analysis.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from analysis.context import count_context, is_context_event
from analysis.events import ConsoleEntry, CustomEvent, Meta, MouseInteractionEvent, NetworkEvent, parse_event
from analysis.rrweb import EventType, IncrementalSource, MouseInteraction
from analysis.study_answers import Answer, read_answer
from analysis.visits import PageVisit, VisitTracker

MAX_NAME = 200
"""Experiment, variant, task and event names are cut to this (they are list filters)."""
MAX_STATUS = 20


@dataclass
class BatchSummary:
    clicks: int = 0
    errors: int = 0
    pageviews: int = 0
    console_errors: int = 0
    failed_requests: int = 0
    slowest_request_ms: int | None = None
    pages: tuple[PageVisit, ...] = ()
    variants: dict[str, str] = field(default_factory=dict)
    marks: list[tuple[str, str, str, int]] = field(default_factory=list)
    """``(kind, name, status, ts)``: ``task`` steps and the product's own (``custom``) events."""
    answers: list[tuple[Answer, int]] = field(default_factory=list)
    """``$answer`` events (the study widget's questions) with their time."""


def summarize_batch(events: Iterable[Mapping[str, object]]) -> BatchSummary:
    """Counters, page entries (Meta and ``$pageview``), ``$variant`` assignments and
    marks of one batch, its events in time order.

    >>> from analysis.event_builders import click_event, meta_event, pageview_event, task_event
    >>> summary = summarize_batch([
    ...     meta_event(1000, "http://x/"), pageview_event(1004, "http://x/#top", "Home"),
    ...     click_event(1500, 7, 10, 20), pageview_event(2000, "http://x/cart", "Cart"),
    ...     task_event(2100, "find-cart", "complete"),
    ... ])
    >>> [(page.entered, page.url, page.title) for page in summary.pages]
    [(1000, 'http://x/', 'Home'), (2000, 'http://x/cart', 'Cart')]
    >>> summary.clicks, summary.pageviews, summary.marks
    (1, 2, [('task', 'find-cart', 'complete', 2100)])

    Answers to the study widget's questions:

    >>> from analysis.event_builders import answer_event
    >>> summarize_batch([answer_event(3000, "seq", 6, "find-cart")]).answers
    [(Answer(question='seq', value='6', task_id='find-cart'), 3000)]

    Console errors, failed requests (400 or more, or no response with an error) and the slowest one:

    >>> from analysis.event_builders import console_event, network_event, network_request
    >>> summary = summarize_batch([console_event(10, "error", "x"), network_event(900,
    ...     network_request("http://x/a", 500, 100, 80), network_request("http://x/b", 200, 200, 640))])
    >>> summary.console_errors, summary.failed_requests, summary.slowest_request_ms
    (1, 1, 640)

    See also: :class:`analysis.visits.VisitTracker`, :func:`analysis.events.parse_event`.
    """
    summary = BatchSummary()
    visits = VisitTracker()
    plugin_events: list[ConsoleEntry | NetworkEvent] = []
    last_ts = 0
    for raw in events:
        if not _is_summarized(raw):
            continue
        event = parse_event(raw)
        match event:
            case MouseInteractionEvent(interaction=MouseInteraction.CLICK):
                summary.clicks += 1
            case Meta():
                visits.navigate(event.ts, event.href, "load")
            case CustomEvent():
                _add_custom(summary, visits, event)
            case ConsoleEntry() | NetworkEvent():
                plugin_events.append(event)
        last_ts = max(last_ts, event.ts or 0)
    summary.pages = visits.finish(last_ts)
    counts = count_context(plugin_events)
    summary.console_errors, summary.failed_requests = counts.console_errors, counts.failed_requests
    summary.slowest_request_ms = counts.slowest_request_ms
    return summary


def _is_summarized(raw: Mapping[str, object]) -> bool:
    """Whether the event can be a click, a page load, a custom event or a console or
    network entry (checked on the raw dict, so the events this summary never reads are
    not parsed)."""
    kind = raw.get("type")
    if kind == EventType.META:
        return True
    if kind == EventType.INCREMENTAL_SNAPSHOT:
        data = raw.get("data")
        return isinstance(data, Mapping) and data.get("source") == IncrementalSource.MOUSE_INTERACTION \
            and data.get("type") == MouseInteraction.CLICK
    return is_context_event(raw)


def _add_custom(summary: BatchSummary, visits: VisitTracker, event: CustomEvent) -> None:
    payload = event.payload
    if event.tag == "$pageview":
        summary.pageviews += 1
        url, title = payload.get("url"), payload.get("title")
        if isinstance(url, str):
            visits.navigate(event.ts, url, "spa", title if isinstance(title, str) else None)
    elif event.tag == "$error":
        summary.errors += 1
    elif event.tag == "$variant":
        experiment, variant = payload.get("experiment"), payload.get("variant")
        if isinstance(experiment, str) and isinstance(variant, str) and experiment:
            summary.variants[experiment[:MAX_NAME]] = variant[:MAX_NAME]
    elif event.tag == "$task":
        task_id, status = payload.get("task_id"), payload.get("status")
        if isinstance(task_id, str) and task_id and isinstance(status, str):
            summary.marks.append(("task", task_id[:MAX_NAME], status[:MAX_STATUS], event.ts))
    elif event.tag == "$answer":
        answer = read_answer(payload)
        if answer is not None:
            summary.answers.append((answer, event.ts))
    elif event.tag and not event.tag.startswith("$"):
        summary.marks.append(("custom", event.tag[:MAX_NAME], "", event.ts))
