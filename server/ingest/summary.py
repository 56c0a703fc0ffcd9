"""What ingest notes about a batch while it is in hand: navigations, variants and a
few counters for list filters. Signals come later, from ``analysis``."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from analysis.rrweb import EventType, IncrementalSource, MouseInteraction


@dataclass
class BatchSummary:
    clicks: int = 0
    errors: int = 0
    pageviews: int = 0
    pages: list[tuple[int, str, str]] = field(default_factory=list)  # (ts, url, title)
    variants: dict[str, str] = field(default_factory=dict)


def _custom(event: dict[str, Any]) -> tuple[str, dict]:
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("tag"), str):
        return "", {}
    payload = data.get("payload")
    return data["tag"], payload if isinstance(payload, dict) else {}


def _is_click(event: dict[str, Any]) -> bool:
    data = event.get("data")
    return (
        isinstance(data, dict)
        and data.get("source") == IncrementalSource.MOUSE_INTERACTION
        and data.get("type") == MouseInteraction.CLICK
    )


def summarize_batch(events: Iterable[dict[str, Any]]) -> BatchSummary:
    """Counters, page entries (Meta and ``$pageview``) and ``$variant`` assignments."""
    summary = BatchSummary()
    for event in events:
        kind = event["type"]
        if kind == EventType.INCREMENTAL_SNAPSHOT and _is_click(event):
            summary.clicks += 1
        elif kind == EventType.META and isinstance(event.get("data"), dict):
            href = event["data"].get("href")
            if isinstance(href, str):
                summary.pages.append((event["timestamp"], href, ""))
        elif kind == EventType.CUSTOM:
            tag, payload = _custom(event)
            if tag == "$pageview":
                summary.pageviews += 1
                url, title = payload.get("url"), payload.get("title")
                if isinstance(url, str):
                    summary.pages.append((event["timestamp"], url, title if isinstance(title, str) else ""))
            elif tag == "$error":
                summary.errors += 1
            elif tag == "$variant":
                experiment, variant = payload.get("experiment"), payload.get("variant")
                if isinstance(experiment, str) and isinstance(variant, str) and experiment:
                    summary.variants[experiment[:200]] = variant[:200]
    return summary
