"""What sessions achieved: goals reached, task attempts with their times, signal counts.
Read from the tables ingest and analysis fill (``storage.outcomes``), never from the
event streams; everything but ``gather_facts`` is pure."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Optional, Sequence

from analysis import DetectorConfig
from analysis.detectors.dead_end import is_goal_url
from analysis.study_outcomes import TaskAttempt, task_attempts
from server.storage.outcomes import OutcomeRows, outcome_rows

__all__ = ["Goal", "SessionFacts", "TaskAttempt", "task_attempts", "facts_of", "gather_facts", "reached"]


@dataclass(frozen=True)
class Goal:
    """Success for an experiment: a URL pattern, a custom event, or a completed task.
    With none given: the project's goal URLs, or any completed task."""

    url_patterns: tuple[str, ...] = ()
    event: Optional[str] = None
    task: Optional[str] = None


@dataclass
class SessionFacts:
    pages: list[tuple[int, str]] = field(default_factory=list)  # (ts, url)
    events: set[str] = field(default_factory=set)
    event_marks: list[tuple[int, str]] = field(default_factory=list)  # (ts, tag) of the product's own events
    tasks: list[TaskAttempt] = field(default_factory=list)
    signals: Counter = field(default_factory=Counter)
    signal_times: list[tuple[str, int]] = field(default_factory=list)  # (kind, ts)
    answers: list[tuple[str, Optional[str], str, int]] = field(default_factory=list)  # (question, task_id, value, ts)

    @property
    def urls(self) -> list[str]:
        return [url for _, url in self.pages]


def facts_of(rows: OutcomeRows) -> dict[str, SessionFacts]:
    """Each session's facts from its stored rows (a session without rows gets empty facts)."""
    facts: dict[str, SessionFacts] = defaultdict(SessionFacts)
    for sid, ts, url in rows.pages:
        facts[sid].pages.append((ts, url))
    task_marks: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for sid, kind, name, status, ts in rows.marks:
        if kind == "task":
            task_marks[sid].append((name, status, ts))
        else:
            facts[sid].events.add(name)
            facts[sid].event_marks.append((ts, name))
    for sid, marks in task_marks.items():
        facts[sid].tasks = task_attempts(marks)
    for sid, kind, ts in rows.signals:
        facts[sid].signals[kind] += 1
        facts[sid].signal_times.append((kind, ts))
    for sid, question, task_id, value, ts in rows.answers:
        facts[sid].answers.append((question, task_id, value, ts))
    return facts


def gather_facts(session_ids: Sequence[str]) -> dict[str, SessionFacts]:
    """The facts of these sessions, read from storage."""
    return facts_of(outcome_rows(session_ids))


def reached(goal: Goal, facts: SessionFacts, default_patterns: tuple[str, ...]) -> bool:
    if goal.url_patterns:
        return any(is_goal_url(url, goal.url_patterns) for url in facts.urls)
    if goal.event:
        return goal.event in facts.events
    if goal.task:
        return any(a.task_id == goal.task and a.status == "complete" for a in facts.tasks)
    return (any(is_goal_url(url, default_patterns) for url in facts.urls)
            or any(a.status == "complete" for a in facts.tasks))


def default_goal_patterns(project_settings: dict) -> tuple[str, ...]:
    return tuple(project_settings.get("goal_urls") or DetectorConfig().goal_url_patterns)
