"""The study report, in the measures usability reports are written in.

Per task: each attempt's outcome from the task's criteria (``analysis.study_outcomes``),
completion per participant with its adjusted-Wald interval, time on task of the
successes as a geometric mean with its log-t interval, mean SEQ (``analysis.study_stats``).
For the study: the mean SUS score with its letter grade on the Sauro-Lewis curve. Per
participant: every outcome, answer and quote, with links to the moments behind them
(each attempt's start, ``?t=``) and what a video clip of each attempt covers.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Mapping, Optional, Sequence

from analysis.study_answers import COMMENT, SEQ, SEQ_RANGE, SUS_QUESTIONS, rating, sus_grade, sus_score
from analysis.study_outcomes import OUTCOMES, AttemptOutcome, TaskCriteria, judge_attempt, participant_outcomes
from server.reports.outcomes import SessionFacts, TaskAttempt, gather_facts
from server.storage.studies import study_sessions

NOTES = ("An attempt succeeds when the task's criteria are met within it (the page reached or the event seen), "
         "whatever the participant pressed; Done without them is a failure. Each participant counts once per task "
         "(their first success, else their last attempt). Completion: adjusted-Wald 95% interval. Time on task: "
         "successes only, geometric mean with a 95% log-t interval. SUS: mean of complete questionnaires, graded "
         "on the Sauro-Lewis curve.")
NO_PARTICIPANT = "(none)"
CLIP_MAX_MS = 120_000  # the clips API renders at most two minutes


def study_report(study, public_url: str, *, live_since_ms: int = 0) -> dict:
    """The report of a study (its stored tasks) over every session recorded for it;
    sessions with a batch at or after ``live_since_ms`` are still live."""
    sessions = study_sessions(study.slug)
    return build_study_report(study, sessions, gather_facts([s.id for s in sessions]), public_url,
                              live_since_ms=live_since_ms)


def build_study_report(study, sessions: Sequence, facts: Mapping[str, SessionFacts], public_url: str, *,
                       live_since_ms: int = 0) -> dict:
    """The report from a study, its sessions (oldest first) and their facts."""
    answers = _answers_by_participant(sessions, facts, public_url)
    tasks, cells = [], defaultdict(dict)
    for task in study.tasks:
        criteria = TaskCriteria(task.success_url, task.success_event)
        judged = [_attempt(task, criteria, session, attempt, facts[session.id], public_url, live_since_ms)
                  for session in sessions for attempt in facts[session.id].tasks if attempt.task_id == task.task_key]
        by_participant = defaultdict(list)
        for row, outcome in judged:
            by_participant[row["participant"]].append((row, outcome))
        decided = {code: _decided(tries) for code, tries in by_participant.items()}
        seq = {code: found["seq"][task.task_key] for code, found in answers.items() if task.task_key in found["seq"]}
        for code, attempt in decided.items():
            if attempt is not None:
                cells[code][task.task_key] = {**_cell(attempt), "seq": seq.get(code)}
        tasks.append(_task_summary(task, [row for row, _ in judged],
                                   [a for a in decided.values() if a is not None], list(seq.values())))
    labels = {p.code: p.label for p in getattr(study, "participants", [])}
    first_seen = {}
    for session in sessions:  # oldest first: participants in the order they took part
        first_seen.setdefault(session.participant or NO_PARTICIPANT, len(first_seen))
    codes = sorted(set(cells) | set(answers), key=lambda code: (first_seen.get(code, len(first_seen)), code))
    participants = [_participant(code, labels.get(code, ""), cells.get(code, {}), answers.get(code)) for code in codes]
    return {"study": study.slug, "name": study.name, "sessions": len(sessions), "tasks": tasks,
            "sus": _sus_summary(participants), "participants": participants, "notes": NOTES}


def _attempt(task, criteria: TaskCriteria, session, attempt: TaskAttempt, facts: SessionFacts, public_url: str,
             live_since_ms: int) -> tuple[dict, AttemptOutcome]:
    """One attempt at a task (its outcome, the signals during it, links to its moments
    and the clip that shows it), and its outcome as judged."""
    judged = judge_attempt(attempt, criteria, pages=facts.pages, events=facts.event_marks, signals=facts.signal_times,
                           session_end=session.ended_at, session_live=session.last_received_at >= live_since_ms > 0)
    until = attempt.ended or session.ended_at
    during = [(kind, ts) for kind, ts in facts.signal_times if attempt.started <= ts <= until]
    link = f"{public_url}/sessions/{session.id}?t="
    start_ms, end_ms = attempt.started - session.started_at, until - session.started_at
    participant = session.participant or NO_PARTICIPANT
    row = {"session_id": session.id, "participant": participant, "status": attempt.status,
           "started_ms": start_ms, "ended_ms": attempt.ended - session.started_at if attempt.ended else None,
           **_outcome_fields(judged), "link": f"{link}{start_ms}",
           "clip": {"session_id": session.id, "from_ms": start_ms, "to_ms": min(end_ms, start_ms + CLIP_MAX_MS),
                    "caption": f"{task.title} · {participant}"[:200]},
           "signals": [{"kind": kind, "link": f"{link}{ts - session.started_at}"} for kind, ts in during]}
    return row, judged


def _outcome_fields(judged: AttemptOutcome) -> dict:
    return {"outcome": judged.outcome, "path": judged.path, "words": judged.words, "claimed": judged.claimed,
            "confirmed": judged.confirmed, "time_ms": judged.time_ms, "succeeded": judged.outcome == "success"}


def _decided(attempts: list[tuple[dict, AttemptOutcome]]) -> Optional[dict]:
    """The attempt that stands for the participant (see ``participant_outcomes``)."""
    chosen = participant_outcomes([outcome for _, outcome in attempts])
    return next((row for row, outcome in attempts if outcome is chosen), None)


def _cell(attempt: dict) -> dict:
    return {key: attempt[key] for key in ("outcome", "path", "words", "claimed", "confirmed", "time_ms", "succeeded",
                                          "status", "link", "session_id")} | {"signals": len(attempt["signals"])}


def _task_summary(task, attempts: list[dict], decided: list[dict], seq_values: list[int]) -> dict:
    from analysis.study_stats import adjusted_wald, geometric_mean_time, mean_rating  # SciPy: only when asked

    successes = [a for a in decided if a["outcome"] == "success"]
    return {"task_id": task.task_key, "title": task.title,
            "criteria": {"success_url": task.success_url, "success_event": task.success_event},
            "outcomes": {outcome: sum(a["outcome"] == outcome for a in decided) for outcome in OUTCOMES},
            "paths": {path: sum(a["path"] == path for a in successes) for path in ("direct", "indirect")},
            "completion": adjusted_wald(len(successes), len(decided)),
            "time_on_task": geometric_mean_time([a["time_ms"] for a in successes]),
            "seq": mean_rating(seq_values, 2, SEQ_RANGE),
            "attempts": attempts}


def _answers_by_participant(sessions: Sequence, facts: Mapping[str, SessionFacts], public_url: str) -> dict[str, dict]:
    """Each participant's answers in time order, and what they mean: the latest SEQ per
    task, the latest answer per SUS statement, every comment as a quote."""
    found: dict[str, dict] = defaultdict(lambda: {"answers": [], "seq": {}, "sus": {}, "quotes": []})
    for session in sessions:
        for question, task_id, value, ts in sorted(facts[session.id].answers, key=lambda answer: answer[3]):
            mine = found[session.participant or NO_PARTICIPANT]
            at_ms = ts - session.started_at
            mine["answers"].append({"question": question, "task_id": task_id, "value": value,
                                    "session_id": session.id, "at_ms": at_ms})
            if question == SEQ and task_id and rating(value, SEQ_RANGE) is not None:
                mine["seq"][task_id] = rating(value, SEQ_RANGE)
            elif question in SUS_QUESTIONS:
                mine["sus"][question] = value
            elif question == COMMENT:
                mine["quotes"].append({"text": value, "link": f"{public_url}/sessions/{session.id}?t={at_ms}"})
    return found


def _participant(code: str, label: str, tasks: dict, answered: Optional[dict]) -> dict:
    answered = answered or {"answers": [], "seq": {}, "sus": {}, "quotes": []}
    score = sus_score(answered["sus"])
    return {"participant": code, "label": label, "tasks": tasks, "answers": answered["answers"],
            "sus": {"score": score, "answered": len(answered["sus"])}, "quotes": answered["quotes"]}


def _sus_summary(participants: list[dict]) -> dict:
    from analysis.study_stats import mean_rating

    scores = [p["sus"]["score"] for p in participants if p["sus"]["score"] is not None]
    summary = mean_rating(scores, 1, (0, 100))
    incomplete = sum(1 for p in participants if p["sus"]["score"] is None and p["sus"]["answered"])
    return {**summary, "grade": sus_grade(summary["mean"]), "incomplete": incomplete}
