"""JSON shapes of stored objects, as the review API returns them."""
from __future__ import annotations

from typing import Optional
from urllib.parse import urldefrag

from sqlalchemy.orm import Session as OrmSession

from server.storage import queries
from server.storage.models import Annotation, Session, SessionPage


def session_summary(row: Session, signal_counts: dict[str, int], variants: dict[str, str], live_after: int) -> dict:
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
        "frustration_score": row.frustration_score,
        "signal_counts": signal_counts,
        "live": row.last_received_at >= live_after,
    }


def page_visits(pages: list[SessionPage], session_end: int) -> list[dict]:
    """Navigations as visits: consecutive entries of one URL (fragment aside) merge,
    a visit is left when the next one is entered or the session ends."""
    visits: list[dict] = []
    for page in pages:
        if visits and urldefrag(visits[-1]["url"])[0] == urldefrag(page.url)[0]:
            visits[-1]["title"] = visits[-1]["title"] or page.title
            continue
        if visits:
            visits[-1]["left"] = page.ts
        visits.append({"url": page.url, "title": page.title, "entered": page.ts, "left": session_end})
    return visits


def annotation_dict(row: Annotation, session_start: Optional[int] = None) -> dict:
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


def analysis_state(row: Session) -> dict:
    """``done`` once analysed with nothing newer waiting; ``pending`` before or while due."""
    done = row.analysis_version is not None and row.analysis_due_at is None
    return {"status": "done" if done else "pending", "version": row.analysis_version, "analyzed_at": row.analyzed_at}


def session_detail(db: OrmSession, row: Session, live_after: int) -> dict:
    signals = [signal.to_dict() for signal in row.signals]
    by_kind: dict[str, int] = {}
    for signal in signals:
        by_kind[signal["kind"]] = by_kind.get(signal["kind"], 0) + 1
    variants = queries.variants_of(db, [row.id]).get(row.id, {})
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
        "stored_bytes": row.stored_bytes,
        "raw_bytes": row.raw_bytes,
        "compacted": row.compacted_at is not None,
    }
