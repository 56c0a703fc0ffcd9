"""The Issues view's content: a project's signals of the last days grouped into issues
(``analysis/issues.py``), largest first."""
from __future__ import annotations

from typing import Sequence

from analysis.issues import Issue, group_issues
from server.storage.issues import issue_signals

DAY_MS = 86_400_000
DEFAULT_DAYS = 30
MAX_DAYS = 365
MAX_ISSUES = 200  # listed per request; the rest are smaller than the smallest shown


def project_issues(project_id: int, *, now_ms: int, days: int = DEFAULT_DAYS, kinds: Sequence[str] = ()) -> list[Issue]:
    """Issues of the project's signals since ``days`` ago (the trend needs 14)."""
    since = now_ms - max(days, 14) * DAY_MS
    issues = group_issues(issue_signals(since_ms=since, project_id=project_id, kinds=kinds), now_ms=now_ms)
    window_start = now_ms - days * DAY_MS
    return [issue for issue in issues if issue.last_ts >= window_start][:MAX_ISSUES]


def find_issue(project_id: int, key: str, *, now_ms: int, days: int = DEFAULT_DAYS) -> Issue | None:
    """The issue with this key (``kind|page|selector``) now, if there is one."""
    kind = key.split("|", 1)[0]
    return next((issue for issue in project_issues(project_id, now_ms=now_ms, days=days, kinds=[kind])
                 if issue.key == key), None)
