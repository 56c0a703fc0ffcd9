"""After a session's analysis: did one of its fresh signals push a kind on a page over
its usual rate (``analysis.spikes``)? Then ``signal.spike`` goes to the project's
webhooks, at most once per kind and page every ``QUIET_MS``."""
from __future__ import annotations

from typing import Iterable

from analysis.spikes import RECENT_MS, USUAL_MS, Window, is_spike
from server.storage.signal_rates import signals_and_visits
from server.storage.webhooks import SIGNAL_SPIKE, has_webhooks_for, queue_event_once

QUIET_MS = 6 * 3600 * 1000
"""One alert per kind and page in this long: a spike is news once, not every hour."""


def announce_spikes(project_id: int, signals: Iterable, *, now_ms: int) -> int:
    """Check each (kind, page) of ``signals`` (anything with ``kind``, ``url``, ``ts``)
    that happened within the last hour; how many ``signal.spike`` deliveries were queued."""
    fresh = {(s.kind, s.url) for s in signals if s.url and s.ts >= now_ms - RECENT_MS}
    if not fresh or not has_webhooks_for(project_id, SIGNAL_SPIKE):
        return 0
    queued = 0
    for kind, url in sorted(fresh):
        recent = Window(*signals_and_visits(project_id, kind, url, since_ms=now_ms - RECENT_MS, until_ms=now_ms + 1))
        usual = Window(*signals_and_visits(project_id, kind, url, since_ms=now_ms - RECENT_MS - USUAL_MS,
                                           until_ms=now_ms - RECENT_MS))
        if not is_spike(recent, usual):
            continue
        data = {"kind": kind, "url": url, "signals": recent.signals, "visits": recent.visits,
                "rate": round(recent.rate, 4), "usual_rate": round(usual.rate, 4), "window_ms": RECENT_MS}
        queued += queue_event_once(project_id, SIGNAL_SPIKE, data, now_ms=now_ms,
                                   dedupe_key=f"{SIGNAL_SPIKE}:{project_id}:{kind}:{url}"[:300], quiet_ms=QUIET_MS)
    return queued
