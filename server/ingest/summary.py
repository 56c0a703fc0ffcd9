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
    marks: list[tuple[str, str, str, int]] = field(default_factory=list)  # (kind, name, status, ts)


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
    """Counters, page entries (Meta and ``$pageview``), ``$variant`` assignments, and
    marks for ``$task`` steps and the product's own events."""
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
            elif tag == "$task":
                task_id, status = payload.get("task_id"), payload.get("status")
                if isinstance(task_id, str) and task_id and isinstance(status, str):
                    summary.marks.append(("task", task_id[:200], status[:20], event["timestamp"]))
            elif tag and not tag.startswith("$"):
                summary.marks.append(("custom", tag[:200], "", event["timestamp"]))
    return summary
