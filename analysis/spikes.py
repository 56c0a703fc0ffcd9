"""When a frustration signal of one kind on one page runs over its usual rate: the
``signal.spike`` webhook event.

Rates are per page visit, not raw counts, so a traffic surge alone is no spike. The
last hour is compared with the week before it; a handful of signals is never a spike
however quiet the week was (``MIN_SIGNALS``).
"""
from __future__ import annotations

from dataclasses import dataclass

RECENT_MS = 3600 * 1000
"""The window whose rate is judged: the last hour."""
USUAL_MS = 7 * 24 * 3600 * 1000
"""The window that sets the usual rate: the week before the last hour."""
MIN_SIGNALS = 5
"""Fewer signals than this in the last hour is never a spike."""
FACTOR = 2.0
"""The last hour's rate per visit must be at least this many times the usual one."""


@dataclass(frozen=True)
class Window:
    signals: int
    visits: int

    @property
    def rate(self) -> float:
        """Signals per visit (a window with signals but no recorded visit counts one)."""
        return self.signals / max(1, self.visits)


def is_spike(recent: Window, usual: Window) -> bool:
    """Whether the last hour (``recent``) runs over the usual rate (``usual``).

    >>> is_spike(Window(signals=12, visits=20), Window(signals=30, visits=400))  # 0.6 vs 0.075 per visit
    True
    >>> is_spike(Window(signals=12, visits=200), Window(signals=100, visits=2000))  # busier, same rate
    False
    >>> is_spike(Window(signals=4, visits=4), Window(signals=0, visits=100))  # too few to tell
    False
    >>> is_spike(Window(signals=5, visits=10), Window(signals=0, visits=0))  # a new page, already failing
    True
    """
    if recent.signals < MIN_SIGNALS:
        return False
    return recent.rate >= FACTOR * usual.rate and recent.rate > usual.rate
