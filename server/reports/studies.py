"""The study report: per task completion, time on task and signals, per participant,
with links to the moments (session + time) behind every number."""
from __future__ import annotations

from collections import defaultdict
from typing import Mapping, Sequence

from analysis.detectors.dead_end import is_goal_url
from server.reports.outcomes import SessionFacts, TaskAttempt, gather_facts
from server.storage.studies import study_sessions

NOTES = "time on task counts successful attempts only; signals are those between a task's start and end"


def _succeeded(task, attempt: TaskAttempt, facts: SessionFacts, end: int) -> bool:
    if attempt.status == "complete":
        return True
    if attempt.status in ("fail", "abandon"):
        return False
    until = attempt.ended or end
    if task.success_url and any(attempt.started <= ts <= until and is_goal_url(url, (task.success_url,))
                                for ts, url in facts.pages):
        return True
    return bool(task.success_event and task.success_event in facts.events)


def study_report(study, public_url: str) -> dict:
    """The report of a study (its stored tasks) over every session recorded for it."""
    sessions = study_sessions(study.slug)
    return build_study_report(study, sessions, gather_facts([s.id for s in sessions]), public_url)


def build_study_report(study, sessions: Sequence, facts: Mapping[str, SessionFacts], public_url: str) -> dict:
    """The report from a study, its sessions (oldest first) and their facts."""
    tasks, participants = [], defaultdict(dict)
    for task in study.tasks:
        attempts = [_attempt(task, session, attempt, facts[session.id], public_url)
                    for session in sessions for attempt in facts[session.id].tasks if attempt.task_id == task.task_key]
        for moment in attempts:
            participants[moment["participant"] or "(none)"][task.task_key] = {
                "succeeded": moment["succeeded"], "status": moment["status"],
                "duration_ms": moment["duration_ms"], "signals": len(moment["signals"])}
        tasks.append(_task_summary(task, attempts))
    return {"study": study.slug, "name": study.name, "sessions": len(sessions), "tasks": tasks,
            "participants": [{"participant": code, "tasks": by_task} for code, by_task in sorted(participants.items())],
            "notes": NOTES}


def _attempt(task, session, attempt: TaskAttempt, facts: SessionFacts, public_url: str) -> dict:
    """One attempt at a task: its outcome, the signals during it, links to its moments."""
    until = attempt.ended or session.ended_at
    during = [(kind, ts) for kind, ts in facts.signal_times if attempt.started <= ts <= until]
    link = f"{public_url}/sessions/{session.id}?t="
    return {"session_id": session.id, "participant": session.participant, "status": attempt.status,
            "succeeded": _succeeded(task, attempt, facts, session.ended_at), "duration_ms": attempt.duration_ms,
            "link": f"{link}{attempt.started - session.started_at}",
            "signals": [{"kind": kind, "link": f"{link}{ts - session.started_at}"} for kind, ts in during]}


def _task_summary(task, attempts: list[dict]) -> dict:
    from analysis.experiments import amount_summary, rate_summary  # SciPy: imported when a report is asked for

    outcomes = [a["succeeded"] for a in attempts]
    times = [a["duration_ms"] for a in attempts if a["succeeded"] and a["duration_ms"] is not None]
    return {"task_id": task.task_key, "title": task.title,
            "completion": rate_summary(sum(outcomes), len(outcomes)),
            "time_on_task_ms": amount_summary(times),
            "signals_per_attempt": amount_summary([len(a["signals"]) for a in attempts]),
            "attempts": attempts}
