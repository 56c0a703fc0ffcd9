"""The experiment report: variants side by side over the sessions that carry them."""
from __future__ import annotations

from typing import Mapping, Optional, Sequence

from server.reports.outcomes import Goal, SessionFacts, default_goal_patterns, gather_facts, reached
from server.storage.experiments import find_experiment, variant_assignments
from server.storage.projects import list_projects

SIGNAL_KINDS = ("rage_click", "dead_click", "error_click", "quick_back", "dead_end")
DEFAULT_GOAL = {"default": "the project's goal URLs, or a completed task"}


def goal_of(definition: Optional[Mapping]) -> Goal:
    """The goal of an experiment's stored ``goal`` (none: the default goal)."""
    goal = definition or {}
    return Goal(url_patterns=(goal["url"],) if "url" in goal else (), event=goal.get("event"), task=goal.get("task"))


def experiment_report(name: str, project_id: Optional[int] = None) -> Optional[dict]:
    """The comparison, or None when no session carries the experiment and none is defined."""
    experiment = find_experiment(name, project_id)
    assignments = variant_assignments(name, project_id)
    if experiment is None and not assignments:
        return None
    facts = gather_facts([row.session_id for row in assignments])
    patterns = {project.id: default_goal_patterns(project.settings or {}) for project in list_projects()}
    report = compare_assignments(assignments, facts, goal_of(experiment.goal if experiment else None), patterns)
    for variant in (experiment.variants if experiment else []):
        report["sessions"].setdefault(variant["name"], 0)
    return {"experiment": name, "defined": experiment is not None,
            "goal": experiment.goal if experiment else DEFAULT_GOAL, **report}


def compare_assignments(assignments: Sequence, facts: Mapping[str, SessionFacts], goal: Goal,
                        patterns: Mapping[int, tuple[str, ...]]) -> dict:
    """``compare_variants`` over the assigned sessions (rows of session_id, variant,
    project_id): did each reach the goal, its completed task times, its signals."""
    # SciPy takes about a second to import: only reports pay for it, not every command.
    from analysis.experiments import SessionOutcome, compare_variants

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
    return compare_variants(outcomes, SIGNAL_KINDS)
