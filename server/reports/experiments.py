"""The experiment report: variants side by side over the sessions that carry them."""
from __future__ import annotations

from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from server.reports.outcomes import Goal, default_goal_patterns, gather_facts, reached
from server.storage.models import Experiment, Project, Session, SessionVariant

SIGNAL_KINDS = ("rage_click", "dead_click", "error_click", "quick_back", "dead_end")


def experiment_names(db: OrmSession, project_id: Optional[int] = None) -> list[str]:
    """Defined experiments and those only seen in recorded sessions."""
    defined = select(Experiment.name)
    seen = select(SessionVariant.experiment).distinct().join(Session, Session.id == SessionVariant.session_id)
    if project_id is not None:
        defined = defined.where(Experiment.project_id == project_id)
        seen = seen.where(Session.project_id == project_id)
    return sorted(set(db.execute(defined).scalars()) | set(db.execute(seen).scalars()))


def _goal(experiment: Optional[Experiment]) -> Goal:
    goal = experiment.goal if experiment else {}
    return Goal(url_patterns=(goal["url"],) if "url" in goal else (), event=goal.get("event"), task=goal.get("task"))


def experiment_report(db: OrmSession, name: str, project_id: Optional[int] = None) -> Optional[dict]:
    """The comparison, or None when no session carries the experiment and none is defined."""
    # SciPy takes about a second to import: only reports pay for it, not every command.
    from analysis.experiments import SessionOutcome, compare_variants

    query = select(Experiment).where(Experiment.name == name)
    if project_id is not None:
        query = query.where(Experiment.project_id == project_id)
    experiment = db.execute(query.limit(1)).scalar()
    rows = select(SessionVariant.session_id, SessionVariant.variant, Session.project_id).join(
        Session, Session.id == SessionVariant.session_id).where(SessionVariant.experiment == name)
    if project_id is not None:
        rows = rows.where(Session.project_id == project_id)
    assignments = db.execute(rows).all()
    if experiment is None and not assignments:
        return None
    facts = gather_facts(db, [row.session_id for row in assignments])
    goal = _goal(experiment)
    patterns = {pid: default_goal_patterns(settings or {})
                for pid, settings in db.execute(select(Project.id, Project.settings)).all()}
    outcomes = [
        SessionOutcome(
            variant=row.variant,
            completed=reached(goal, facts[row.session_id], patterns.get(row.project_id, ())),
            task_times_ms=[a.duration_ms for a in facts[row.session_id].tasks if a.status == "complete"],
            signals=dict(facts[row.session_id].signals),
            dead_end=facts[row.session_id].signals["dead_end"] > 0,
        )
        for row in assignments
    ]
    report = compare_variants(outcomes, SIGNAL_KINDS)
    for variant in (experiment.variants if experiment else []):
        report["sessions"].setdefault(variant["name"], 0)
    return {"experiment": name, "defined": experiment is not None, "goal": experiment.goal if experiment else
            {"default": "the project's goal URLs, or a completed task"}, **report}
