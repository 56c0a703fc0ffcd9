"""A finding made from an issue: a note at each sample session's moment, as evidence."""
from __future__ import annotations

from analysis.issues import Issue
from server.review import findings as review_findings
from server.review.notes import add_note
from server.storage.sessions import get_session

SEVERITY_OF_KIND = {"error_click": 3, "rage_click": 3, "dead_end": 3}  # others: 2, minor


def issue_title(issue: Issue) -> str:
    """``Rage click on #apply (“Apply”) · shop.test/cart``."""
    what = issue.kind.replace("_", " ").capitalize()
    element = f" on {issue.selector}" + (f" (“{issue.text}”)" if issue.text else "") if issue.selector else ""
    return f"{what}{element} · {issue.page or 'unknown page'}"[:300]


def finding_from_issue(issue: Issue, body: dict, *, author: str, runtime):
    """Notes at the issue's sample moments, then a finding with them as evidence.

    :raise InvalidInput: for an invalid title or severity; notes already added stay, as
        notes (they are true observations).
    :commits: each note, then the finding.
    """
    severity = body.get("severity", SEVERITY_OF_KIND.get(issue.kind, 2))
    note_text = (f"{issue_title(issue)}: {issue.count} times in {issue.sessions} sessions "
                 f"(from the Issues view). Watch this moment.")
    notes = [add_note(get_session(sample.session_id), {"ts": sample.ts, "text": note_text, "tags": ["issue", issue.kind],
                                                       "severity": severity}, author=author, runtime=runtime)
             for sample in issue.samples]
    description = (f"{issue.count} {issue.kind.replace('_', ' ')} signals in {issue.sessions} sessions on "
                   f"`{issue.page}`" + (f", element `{issue.selector}`" if issue.selector else "") +
                   f"; {issue.last_week} in the last 7 days, {issue.week_before} in the 7 before.")
    return review_findings.create_finding({
        "title": body.get("title") or issue_title(issue), "description": body.get("description") or description,
        "severity": severity, "tags": ["issue", issue.kind], "evidence": [note.id for note in notes],
    }, author=author, now_ms=runtime.now_ms())
