"""dead_click: a click on something that looks clickable, and then nothing at all.

SPEC: a click on an interactive element (``a``, ``button``, ``input``, ``label``,
``summary``, ``[role=button|link|tab|menuitem|checkbox]``, ``[onclick]``, or inside
one) after which nothing happens within 2500 ms: no DOM mutation, no navigation or
``$pageview``, no scroll, no input, no selection change. Any reaction counts here, even
an invisible one. Text-entry targets are never dead (rrweb records typing late), nor
are clicks of a rage sequence (that signal already covers them).

Two more cases are never dead because we cannot know: links whose effect happens
elsewhere (new tab, download, ``mailto:``), and clicks less than the wait before the
recording ends (the tab may have closed or navigated off-site).
"""

from __future__ import annotations

from analysis.config import DetectorConfig
from analysis.detectors.rage_click import find_rage_sequences
from analysis.moments import Click
from analysis.signals import Signal, click_signal
from analysis.timeline import Timeline

KIND = "dead_click"


def is_dead_click_candidate(click: Click) -> bool:
    """True if a click on this target could be dead: interactive, not for typing, on-page.

    >>> from analysis.targets import UNKNOWN_TARGET
    >>> from dataclasses import replace
    >>> button = replace(UNKNOWN_TARGET, tag="button", is_interactive=True)
    >>> is_dead_click_candidate(Click(0, 0, 1, 1, 0, "http://x/", button))
    True
    >>> is_dead_click_candidate(Click(0, 0, 1, 1, 0, "http://x/", replace(button, is_text_entry=True)))
    False
    """
    target = click.target
    return target.is_interactive and not target.is_text_entry and not target.opens_elsewhere


def find_dead_clicks(timeline: Timeline, config: DetectorConfig) -> list[Click]:
    """The clicks that are dead (see the module docstring); used by ``dead_end`` too.

    >>> from analysis.event_builders import page_load, element, click_event, scroll_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> raw = page_load(0, "http://x/", element(10, "button", {})) + [click_event(100, 10, 5, 5), scroll_event(5000, 9)]
    >>> [click.ts for click in find_dead_clicks(build_timeline(parse_events(raw)), DetectorConfig())]
    [100]
    """
    in_rage = {click.index for sequence in find_rage_sequences(timeline, config) for click in sequence}
    wait = config.dead_click_wait_ms
    dead = []
    for click in timeline.clicks:
        if click.index in in_rage or not is_dead_click_candidate(click):
            continue
        if click.ts + wait > timeline.end_ts:
            continue  # the recording stopped before the wait was over
        reaction = timeline.reactions.next_after(click.index)
        if reaction is None or reaction.ts - click.ts > wait:
            dead.append(click)
    return dead


def detect_dead_clicks(timeline: Timeline, config: DetectorConfig) -> list[Signal]:
    """One ``dead_click`` signal per dead click.

    >>> from analysis.event_builders import page_load, element, click_event, scroll_event
    >>> from analysis.events import parse_events
    >>> from analysis.timeline import build_timeline
    >>> raw = page_load(0, "http://x/", element(10, "a", {"id": "promo"}))
    >>> raw += [click_event(1000, 10, 30, 5), scroll_event(4000, 300)]
    >>> [(s.kind, s.target.selector) for s in detect_dead_clicks(build_timeline(parse_events(raw)), DetectorConfig())]
    [('dead_click', '#promo')]

    See also: :func:`analysis.detectors.rage_click.find_rage_sequences`.
    """
    signals = []
    for click in find_dead_clicks(timeline, config):
        reaction = timeline.reactions.next_after(click.index)
        after = reaction.ts - click.ts if reaction is not None else None
        signals.append(click_signal(KIND, [click], waited_ms=config.dead_click_wait_ms,
                                    first_reaction_after_ms=after))
    return signals
