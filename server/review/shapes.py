"""JSON shapes of findings and their evidence clips, as the review API returns them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


def moment_link(public_url: str, session_id: str, offset_ms: int) -> str:
    """The deep link that opens a session's player at a moment."""
    return f"{public_url}/sessions/{session_id}?t={max(0, offset_ms)}"


@dataclass(frozen=True)
class Clip:
    """A note used as evidence, with what a report needs to point at its moment."""

    annotation_id: int
    session_id: str
    ts: int
    offset_ms: int
    text: str
    tags: list
    severity: int
    author: str
    url: str  # the page the session was on, when known
    link: str

    def to_dict(self) -> dict:
        return {
            "annotation_id": self.annotation_id, "session_id": self.session_id, "ts": self.ts,
            "offset_ms": self.offset_ms, "text": self.text, "tags": self.tags, "severity": self.severity,
            "author": self.author, "page_url": self.url, "link": self.link,
        }


def clip_of(annotation, session_start: int, public_url: str, page_url: Optional[str] = None) -> Clip:
    offset = annotation.ts - session_start
    return Clip(annotation.id, annotation.session_id, annotation.ts, offset, annotation.text, list(annotation.tags or []),
                annotation.severity, annotation.author, page_url or "", moment_link(public_url, annotation.session_id, offset))


def finding_dict(finding, clips: list[Clip]) -> dict:
    return {
        "id": finding.id,
        "project_id": finding.project_id,
        "title": finding.title,
        "description": finding.description,
        "severity": finding.severity,
        "status": finding.status,
        "tags": list(finding.tags or []),
        "variant": finding.variant,
        "author": finding.author,
        "created_at": finding.created_at,
        "updated_at": finding.updated_at,
        "evidence": [clip.annotation_id for clip in clips],
        "clips": [clip.to_dict() for clip in clips],
    }
