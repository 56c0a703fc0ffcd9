"""Which signals of a session still running are settled: what later events cannot undo.

A live room is told of signals while the participant is still at it, from the events
stored so far. Two kinds of finding would be premature there:

- a click signal whose wait has not run out: a dead click is "nothing happened within
  2.5 s", and the events of those 2.5 s may still be on their way (a rage sequence may
  also grow, an error follow); such a signal is told on a later pass, once the stored
  events run :attr:`DetectorConfig.dead_click_wait_ms` past it;
- a dead end "ended by the session's end": the session has not ended.
"""

from __future__ import annotations

from collections.abc import Iterable

from analysis.config import DetectorConfig
from analysis.signals import Signal

CLICK_KINDS = frozenset({"rage_click", "dead_click", "error_click"})


def settled_signals(signals: Iterable[Signal], last_ts: int, config: DetectorConfig = DetectorConfig()) -> list[Signal]:
    """The signals of a running session that later events cannot change, ``last_ts``
    being its latest stored event.

    >>> dead = Signal("dead_click", 1000, 1000, "http://x/")
    >>> [s.kind for s in settled_signals([dead], 3000)], [s.kind for s in settled_signals([dead], 3500)]
    ([], ['dead_click'])
    >>> end = Signal("dead_end", 0, 9000, "http://x/", details={"ended_by": "session_end"})
    >>> back = Signal("dead_end", 0, 9000, "http://x/", details={"ended_by": "return_to_earlier_url"})
    >>> [s.details["ended_by"] for s in settled_signals([end, back], 20_000)]
    ['return_to_earlier_url']

    See also: :func:`analysis.pipeline.analyze`.
    """
    wait = config.dead_click_wait_ms
    return [signal for signal in signals
            if not (signal.kind in CLICK_KINDS and signal.end_ts + wait > last_ts)
            and not (signal.kind == "dead_end" and (signal.details or {}).get("ended_by") == "session_end")]
