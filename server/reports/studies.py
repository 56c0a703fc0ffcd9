"""The study report: per task, each attempt's outcome from the task's criteria
(``analysis.study_outcomes``), completion per participant and time on task; per
participant, their outcomes; links to the moment each attempt began."""
from __future__ import annotations

from collections import defaultdict
from typing import Mapping, Optional, Sequence

from analysis.study_outcomes import OUTCOMES, AttemptOutcome, TaskCriteria, judge_attempt, participant_outcomes
from server.reports.outcomes import SessionFacts, TaskAttempt, gather_facts
from server.storage.studies import study_sessions

NOTES = ("An attempt succeeds when the task's criteria are met within it (the page reached or the event seen), "
         "whatever the participant pressed; Done without them is a failure. Each participant counts once per task "
         "(their first success, else their last attempt). Time on task counts successes only.")
NO_PARTICIPANT = "(none)"


def study_report(study, public_url: str, *, live_since_ms: int = 0) -> dict:
    """The report of a study (its stored tasks) over every session recorded for it;
    sessions with a batch at or after ``live_since_ms`` are still live."""
    sessions = study_sessions(study.slug)
    return build_study_report(study, sessions, gather_facts([s.id for s in sessions]), public_url,
                              live_since_ms=live_since_ms)


def build_study_report(study, sessions: Sequence, facts: Mapping[str, SessionFacts], public_url: str, *,
                       live_since_ms: int = 0) -> dict:
    """The report from a study, its sessions (oldest first) and their facts."""
    tasks, participants = [], defaultdict(dict)
    for task in study.tasks:
        criteria = TaskCriteria(task.success_url, task.success_event)
        judged = [_attempt(criteria, session, attempt, facts[session.id], public_url, live_since_ms)
                  for session in sessions for attempt in facts[session.id].tasks if attempt.task_id == task.task_key]
        by_participant = defaultdict(list)
        for row, outcome in judged:
            by_participant[row["participant"] or NO_PARTICIPANT].append((row, outcome))
        decided = {code: _decided(tries) for code, tries in by_participant.items()}
        attempts = [row for row, _ in judged]
        for code, attempt in decided.items():
            if attempt is not None:
                participants[code][task.task_key] = _cell(attempt)
        tasks.append(_task_summary(task, attempts, [a for a in decided.values() if a is not None]))
    answers = _answers_by_participant(sessions, facts)
    codes = sorted(set(participants) | set(answers))
    return {"study": study.slug, "name": study.name, "sessions": len(sessions), "tasks": tasks,
            "participants": [{"participant": code, "tasks": participants.get(code, {}), "answers": answers.get(code, [])}
                             for code in codes],
            "notes": NOTES}


def _answers_by_participant(sessions: Sequence, facts: Mapping[str, SessionFacts]) -> dict[str, list[dict]]:
    """Every answer of each participant, in the order given (a later answer to the same
    question, after a reload say, comes later)."""
    found = defaultdict(list)
    for session in sessions:
        for question, task_id, value, ts in facts[session.id].answers:
            found[session.participant or NO_PARTICIPANT].append(
                {"question": question, "task_id": task_id, "value": value, "session_id": session.id,
                 "at_ms": ts - session.started_at})
    return found


def _attempt(criteria: TaskCriteria, session, attempt: TaskAttempt, facts: SessionFacts, public_url: str,
             live_since_ms: int) -> tuple[dict, AttemptOutcome]:
    """One attempt at a task (its outcome, the signals during it, links to its moments),
    and its outcome as judged."""
    judged = judge_attempt(attempt, criteria, pages=facts.pages, events=facts.event_marks, signals=facts.signal_times,
                           session_end=session.ended_at, session_live=session.last_received_at >= live_since_ms > 0)
    until = attempt.ended or session.ended_at
    during = [(kind, ts) for kind, ts in facts.signal_times if attempt.started <= ts <= until]
    link = f"{public_url}/sessions/{session.id}?t="
    return {"session_id": session.id, "participant": session.participant, "status": attempt.status,
            "started_ms": attempt.started - session.started_at, **_outcome_fields(judged),
            "link": f"{link}{attempt.started - session.started_at}",
            "signals": [{"kind": kind, "link": f"{link}{ts - session.started_at}"} for kind, ts in during]}, judged


def _outcome_fields(judged: AttemptOutcome) -> dict:
    return {"outcome": judged.outcome, "path": judged.path, "words": judged.words, "claimed": judged.claimed,
            "confirmed": judged.confirmed, "time_ms": judged.time_ms, "succeeded": judged.outcome == "success"}


def _decided(attempts: list[tuple[dict, AttemptOutcome]]) -> Optional[dict]:
    """The attempt that stands for the participant (see ``participant_outcomes``)."""
    chosen = participant_outcomes([outcome for _, outcome in attempts])
    return next((row for row, outcome in attempts if outcome is chosen), None)


def _cell(attempt: dict) -> dict:
    return {key: attempt[key] for key in ("outcome", "path", "words", "claimed", "confirmed", "time_ms", "succeeded",
                                          "status", "link")} | {"signals": len(attempt["signals"])}


def _task_summary(task, attempts: list[dict], decided: list[dict]) -> dict:
    from analysis.experiments import amount_summary, rate_summary  # SciPy: imported when a report is asked for

    successes = [a for a in decided if a["outcome"] == "success"]
    times = [a["time_ms"] for a in successes]
    return {"task_id": task.task_key, "title": task.title,
            "criteria": {"success_url": task.success_url, "success_event": task.success_event},
            "outcomes": {outcome: sum(a["outcome"] == outcome for a in decided) for outcome in OUTCOMES},
            "paths": {path: sum(a["path"] == path for a in successes) for path in ("direct", "indirect")},
            "completion": rate_summary(len(successes), len(decided)),
            "time_on_task_ms": amount_summary(times),
            "signals_per_attempt": amount_summary([len(a["signals"]) for a in attempts]),
            "attempts": attempts}
