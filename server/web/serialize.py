"""JSON shapes of stored objects, as the review API returns them."""
from __future__ import annotations

from typing import Iterable, Optional

from analysis.devices import describe_device
from analysis.visits import same_page
from server.storage.analysis_results import split_version
from server.storage.assets import session_asset_bytes


def session_summary(row, signal_counts: dict[str, int], variants: dict[str, str], live_after: int) -> dict:
    """The list's shape of a session (a Session row)."""
    return {
        "id": row.id,
        "project_id": row.project_id,
        "started_at": row.started_at,
        "ended_at": row.ended_at,
        "duration_ms": row.duration_ms,
        "entry_url": row.entry_url,
        "distinct_id": row.distinct_id,
        "study": row.study,
        "participant": row.participant,
        "variants": variants,
        "event_count": row.event_count,
        "pageview_count": row.pageview_count,
        "click_count": row.click_count,
        "error_count": row.error_count,
        "console_error_count": row.console_error_count,
        "failed_request_count": row.failed_request_count,
        "slowest_request_ms": row.slowest_request_ms,
        "frustration_score": row.frustration_score,
        "signal_counts": signal_counts,
        "live": row.last_received_at >= live_after,
        "device": device_dict(row),
    }


def device_dict(row) -> dict:
    """Device class (from the viewport width), browser and system (from the user agent)."""
    info = describe_device(row.viewport_w, row.user_agent)
    return {"class": info.device_class, "browser": info.browser, "system": info.system,
            "viewport": {"w": row.viewport_w, "h": row.viewport_h} if row.viewport_w else None}


def page_visits(pages: Iterable, session_end: int) -> list[dict]:
    """Navigations (SessionPage rows, in time order) as visits: consecutive entries of one
    page (:func:`analysis.visits.same_page`) merge, a visit is left when the next one is
    entered or the session ends."""
    visits: list[dict] = []
    for page in pages:
        if visits and same_page(visits[-1]["url"], page.url):
            visits[-1]["title"] = visits[-1]["title"] or page.title
            continue
        if visits:
            visits[-1]["left"] = page.ts
        visits.append({"url": page.url, "title": page.title, "entered": page.ts, "left": session_end})
    return visits


def annotation_dict(row, session_start: Optional[int] = None) -> dict:
    """A note (an Annotation row); ``offset_ms`` is None when its session's start is not known."""
    return {
        "id": row.id,
        "session_id": row.session_id,
        "ts": row.ts,
        "offset_ms": None if session_start is None else row.ts - session_start,
        "text": row.text,
        "tags": row.tags,
        "severity": row.severity,
        "finding_id": row.finding_id,
        "author": row.author,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def analysis_state(row) -> dict:
    """``done`` once analysed with nothing newer waiting; ``pending`` before or while due.
    ``partial``: the analysis stopped at the bounds in ``limited_by`` (analysis/limits.py)."""
    done = row.analysis_version is not None and row.analysis_due_at is None
    version, limited_by = split_version(row.analysis_version)
    return {"status": "done" if done else "pending", "version": version, "analyzed_at": row.analyzed_at,
            "partial": bool(limited_by), "limited_by": list(limited_by)}


def session_detail(row, live_after: int) -> dict:
    """Everything the player shows of a session (a Session row, read with its pages,
    variants, signals and notes)."""
    signals = [signal.to_dict() for signal in row.signals]
    by_kind: dict[str, int] = {}
    for signal in signals:
        by_kind[signal["kind"]] = by_kind.get(signal["kind"], 0) + 1
    variants = {assigned.experiment: assigned.variant for assigned in row.variants}
    return {
        **session_summary(row, by_kind, variants, live_after),
        "referrer": row.referrer,
        "user_agent": row.user_agent,
        "viewport": {"w": row.viewport_w, "h": row.viewport_h},
        "sdk_version": row.sdk_version,
        "pages": page_visits(row.pages, row.ended_at),
        "counts": {
            "events": row.event_count,
            "batches": row.batch_count,
            "clicks": row.click_count,
            "errors": row.error_count,
            "pageviews": row.pageview_count,
            "signals": by_kind,
        },
        "signals": signals,
        "annotations": [annotation_dict(a, row.started_at) for a in row.annotations],
        "analysis": analysis_state(row),
        # Its events' bytes, and its share of the cached assets it uses with other sessions.
        "stored_bytes": row.stored_bytes + session_asset_bytes(row.id),
        "raw_bytes": row.raw_bytes,
        "compacted": row.compacted_at is not None,
    }
