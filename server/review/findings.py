"""Findings as the API takes and shows them: validated input, and evidence clips that
point at the moment of each note."""
from __future__ import annotations

from typing import Iterable, Optional

from server.review import fields
from server.review.shapes import Clip, clip_of, finding_dict
from server.storage import findings
from server.storage.pages import url_at
from server.storage.sessions import start_times


def list_findings(*, status: Optional[str] = None, text: Optional[str] = None, tag: Optional[str] = None) -> list:
    """Findings (rows), most severe first, then newest.

    :raise InvalidInput: for an unknown ``status``.
    """
    if status is not None:
        fields.parse_status(status)
    return findings.list_findings(status=status, text=text, tag=tag)


def create_finding(body: dict, *, author: str, now_ms: int, project_id: Optional[int] = None):
    """``{title, description?, severity?, status?, tags?, variant?, evidence?: [note ids]}``;
    without evidence it belongs to ``project_id``.

    :raise InvalidInput: naming the first invalid field or unknown note ids; nothing is stored.
    :commits: the finding and its evidence.
    """
    body = fields.require_object(body)
    values = fields.finding_values(body)
    evidence = fields.parse_evidence(body.get("evidence"))
    return findings.create_finding(values, evidence, author=author, now_ms=now_ms, project_id=project_id)


def evidence_project(body) -> tuple[bool, Optional[int]]:
    """``(names evidence, its one project)`` of a finding body (None: several projects).

    :raise InvalidInput: for a body that is not an object, or unknown note ids.
    """
    body = fields.require_object(body)
    evidence = fields.parse_evidence(body.get("evidence"))
    return bool(evidence), findings.evidence_project(evidence) if evidence else None


def edit_finding(finding_id: int, body: dict, *, now_ms: int):
    """Change any field; ``evidence`` replaces the set of notes.

    :raise NotFoundError: when no finding has this id.
    :raise InvalidInput: naming the first invalid field; nothing changes.
    :commits: the finding and its evidence.
    """
    findings.get_finding(finding_id)
    body = fields.require_object(body)
    changes = fields.finding_changes(body)
    evidence = fields.parse_evidence(body["evidence"]) if "evidence" in body else None
    return findings.change_finding(finding_id, changes, evidence, now_ms=now_ms)


def clips_for(notes: Iterable, public_url: str) -> list[Clip]:
    """Each note (Annotation rows) as a clip: its moment, the page it was on, a deep link."""
    notes = list(notes)
    starts = start_times(note.session_id for note in notes)
    return [clip_of(note, starts[note.session_id], public_url, url_at(note.session_id, note.ts)) for note in notes]


def finding_json(finding, public_url: str) -> dict:
    """A finding (a Finding row) with its evidence clips, as the API returns it."""
    return finding_dict(finding, clips_for(finding.evidence, public_url))
