"""form_abandon (bonus): a form filled in, then left without trying to send it.

On one visit, values entered in at least ``form_abandon_min_fields`` text-entry fields
of one form (fields outside any ``<form>`` count as one form), and after the last of
them no click on a button or submit control and no keyboard-triggered click (Enter).
A failed submit still counts as trying: dead and rage clicks report that.
"""

from __future__ import annotations

from itertools import groupby

from analysis.config import DetectorConfig
from analysis.detectors.dead_end import ending_of
from analysis.moments import FieldChange
from analysis.signals import Signal
from analysis.timeline import Timeline

KIND = "form_abandon"


def detect_form_abandons(timeline: Timeline, config: DetectorConfig) -> list[Signal]:
    """One ``form_abandon`` signal per form left unsent.

    >>> from analysis.event_builders import page_load, element, input_event, click_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> form = element(10, "form", {}, element(11, "input", {"type": "email"}), element(12, "input", {}))
    >>> raw = page_load(0, "http://x/signup", form) + [input_event(3000, 11), input_event(6000, 12)]
    >>> raw += page_load(7000, "http://x/")
    >>> [(s.url, s.count) for s in detect_form_abandons(build_timeline(parse_events(raw)), DetectorConfig())]
    [('http://x/signup', 2)]
    """
    entries = [change for change in timeline.field_changes if change.is_text_entry and change.visit is not None]
    entries.sort(key=lambda change: (change.visit, change.form_id or 0, change.index))
    signals = []
    for (visit, _), group in groupby(entries, key=lambda change: (change.visit, change.form_id)):
        changes = list(group)
        fields = {change.node_id for change in changes}
        if len(fields) < config.form_abandon_min_fields or _tried_to_send(timeline, changes[-1]):
            continue
        page = timeline.visits[visit]  # type: ignore[index]
        signals.append(
            Signal(KIND, changes[0].ts, page.left, page.url, count=len(fields),
                   details={"fields": len(fields), "ended_by": ending_of(timeline, visit)})  # type: ignore[arg-type]
        )
    return signals


def _tried_to_send(timeline: Timeline, last_change: FieldChange) -> bool:
    return any(
        click.visit == last_change.visit
        and click.index > last_change.index
        and (click.target.is_button or click.is_keyboard)
        for click in timeline.clicks
    )
