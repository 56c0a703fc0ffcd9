"""The study report: per task completion, time on task and signals, per participant,
with links to the moments (session + time) behind every number."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from analysis.detectors.dead_end import is_goal_url
from server.reports.outcomes import SessionFacts, TaskAttempt, gather_facts
from server.storage.models import Session, SessionPage, Study, StudyTask


def _succeeded(task: StudyTask, attempt: TaskAttempt, facts: SessionFacts, pages: list[tuple[int, str]], end: int) -> bool:
    if attempt.status == "complete":
        return True
    if attempt.status in ("fail", "abandon"):
        return False
    until = attempt.ended or end
    if task.success_url and any(attempt.started <= ts <= until and is_goal_url(url, (task.success_url,)) for ts, url in pages):
        return True
    return bool(task.success_event and task.success_event in facts.events)


def study_report(db: OrmSession, study: Study, public_url: str) -> dict:
    from analysis.experiments import amount_summary, rate_summary  # SciPy: imported when a report is asked for

    sessions = db.execute(select(Session).where(Session.study == study.slug).order_by(Session.started_at)).scalars().all()
    facts = gather_facts(db, [s.id for s in sessions])
    pages: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for sid, ts, url in db.execute(select(SessionPage.session_id, SessionPage.ts, SessionPage.url)
                                   .where(SessionPage.session_id.in_([s.id for s in sessions]))):
        pages[sid].append((ts, url))
    tasks, participants = [], defaultdict(dict)
    for task in study.tasks:
        outcomes, times, signals_per_attempt, moments = [], [], [], []
        for session in sessions:
            for attempt in (a for a in facts[session.id].tasks if a.task_id == task.task_key):
                ok = _succeeded(task, attempt, facts[session.id], pages[session.id], session.ended_at)
                until = attempt.ended or session.ended_at
                during = [(k, ts) for k, ts in facts[session.id].signal_times if attempt.started <= ts <= until]
                outcomes.append(ok)
                signals_per_attempt.append(len(during))
                if ok and attempt.duration_ms is not None:
                    times.append(attempt.duration_ms)
                link = f"{public_url}/sessions/{session.id}?t={attempt.started - session.started_at}"
                moments.append({"session_id": session.id, "participant": session.participant, "status": attempt.status,
                                "succeeded": ok, "duration_ms": attempt.duration_ms, "link": link,
                                "signals": [{"kind": k, "link": f"{public_url}/sessions/{session.id}?t={ts - session.started_at}"}
                                            for k, ts in during]})
                participants[session.participant or "(none)"][task.task_key] = {
                    "succeeded": ok, "status": attempt.status, "duration_ms": attempt.duration_ms, "signals": len(during)}
        tasks.append({"task_id": task.task_key, "title": task.title,
                      "completion": rate_summary(sum(outcomes), len(outcomes)),
                      "time_on_task_ms": amount_summary(times), "signals_per_attempt": amount_summary(signals_per_attempt),
                      "attempts": moments})
    return {"study": study.slug, "name": study.name, "sessions": len(sessions), "tasks": tasks,
            "participants": [{"participant": code, "tasks": by_task} for code, by_task in sorted(participants.items())],
            "notes": "time on task counts successful attempts only; signals are those between a task's start and end"}
