"""Bounds on the work one analysis does, so a crafted session cannot hold a worker.

Anyone holding a project key (it is public, in the snippet) can send recordings, and
the cost of a click grows with the page around it (its target is described by walking
the DOM: ancestors, rivals of the same tag for a unique selector). A 630 KB batch of
15,000 clicks on deeply nested buttons cost 40 s of CPU. Real sessions stay far below
each bound; a session that reaches one is analysed up to it and marked partial
(:attr:`analysis.pipeline.AnalysisResult.limited_by` says which bounds were reached).

Time is bounded by the caller: ``analyze(..., checkpoint=...)`` calls ``checkpoint()``
every :data:`CHECKPOINT_EVERY` events (and after each click it describes) and before each
detector, and stops (partial, ``"time"``) when it returns False. The server passes one
that checks the job's deadline and lets other threads run; analysis itself never reads
a clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

MAX_EVENTS = 200_000
"""Events analysed per session, in time order; a long real session has tens of thousands."""

MAX_CLICKS = 2_000
"""Clicks described per session (each walks the DOM); real sessions have tens to hundreds.
Later events still fold (pages, reactions), their clicks are not recorded."""

MAX_SIGNALS = 1_000
"""Signals kept per session, earliest first; past this the session is not a person's."""

CHECKPOINT_EVERY = 64
"""Events between two calls of the caller's ``checkpoint`` (well under a millisecond of work on most pages)."""

CLICK_WORK = CHECKPOINT_EVERY
"""A click whose target is described counts as this many events: on a big page one
description is a millisecond or more, so the checkpoint comes after each."""

EVENTS, CLICKS, SIGNALS, TIME = "events", "clicks", "signals", "time"

Checkpoint = Callable[[], bool]
"""Called now and then during an analysis; False stops it (the time limit was reached)."""


def always_go_on() -> bool:
    return True


@dataclass(frozen=True, slots=True)
class AnalysisLimits:
    """The bounds of one analysis (tests shrink them).

    >>> AnalysisLimits().max_clicks, AnalysisLimits(max_clicks=5).max_events
    (2000, 200000)
    """

    max_events: int = MAX_EVENTS
    max_clicks: int = MAX_CLICKS
    max_signals: int = MAX_SIGNALS


DEFAULT_LIMITS = AnalysisLimits()
