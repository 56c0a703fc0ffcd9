"""Experiments: definitions, validation, deterministic variant assignment, and the
sessions that carry a variant."""
from __future__ import annotations

import hashlib
import re
from typing import Any, Mapping, Optional, Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session as OrmSession

from server.storage.errors import InvalidInput, NotFoundError
from server.storage.models import Experiment, Session, SessionPage, SessionVariant
from server.storage.scope import confined, visible, visible_sessions
from server.storage.unit_of_work import reading, unit_of_work

NAME = re.compile(r"[A-Za-z0-9_.:-]{1,200}")
# Assignment resolution: a distinct_id lands in one of this many buckets per experiment.
BUCKETS = 10_000
GOAL_KEYS = {"url", "event", "task"}
STATUSES = ("running", "stopped")


class ExperimentError(InvalidInput):
    """Bad experiment input; the message names the field."""


def assign_variant(experiment: str, variants: Sequence[Mapping[str, Any]], distinct_id: str) -> str:
    """The variant for ``distinct_id``: a hash of (experiment, id) picks a bucket, the
    weights split the buckets. The same inputs give the same variant on every server.

    >>> v = [{"name": "A", "weight": 50}, {"name": "B", "weight": 50}]
    >>> assign_variant("checkout", v, "user-1") == assign_variant("checkout", v, "user-1")
    True
    >>> sorted({assign_variant("checkout", v, f"user-{n}") for n in range(50)})
    ['A', 'B']
    """
    digest = hashlib.sha256(f"{experiment}\x00{distinct_id}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") % BUCKETS
    total = sum(v["weight"] for v in variants)
    edge = 0.0
    for variant in variants:
        edge += variant["weight"] / total * BUCKETS
        if point < edge:
            return variant["name"]
    return variants[-1]["name"]


def clean_variants(value: Any) -> list[dict]:
    if not isinstance(value, list) or len(value) < 2:
        raise ExperimentError("variants must be a list of at least two {name, weight}")
    names, cleaned = set(), []
    for item in value:
        name = item.get("name") if isinstance(item, dict) else None
        weight = item.get("weight", 1) if isinstance(item, dict) else None
        if not isinstance(name, str) or not NAME.fullmatch(name) or name in names:
            raise ExperimentError("each variant needs a unique name of [A-Za-z0-9_.:-]")
        if isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight <= 0:
            raise ExperimentError(f"variant {name}: weight must be a positive number")
        names.add(name)
        cleaned.append({"name": name, "weight": weight})
    return cleaned


def clean_goal(value: Any) -> dict:
    if value in (None, {}):
        return {}
    if not isinstance(value, dict) or len(value) != 1 or not set(value) <= GOAL_KEYS:
        raise ExperimentError("goal must be one of {\"url\": GLOB}, {\"event\": TAG}, {\"task\": TASK_ID}")
    (key, text), = value.items()
    if not isinstance(text, str) or not text.strip():
        raise ExperimentError(f"goal.{key} must be a non-empty string")
    return {key: text.strip()}


def _in_project(query: Select, project_id: Optional[int]) -> Select:
    query = confined(query, Experiment.project_id)
    return query if project_id is None else query.where(Experiment.project_id == project_id)


def _definition(db: OrmSession, name: str, project_id: Optional[int]) -> Optional[Experiment]:
    query = _in_project(select(Experiment).where(Experiment.name == name), project_id)
    return db.execute(query.order_by(Experiment.id).limit(1)).scalar()


def find_experiment(name: str, project_id: Optional[int] = None) -> Optional[Experiment]:
    """The definition of experiment ``name`` (in any project when none is given: the oldest)."""
    return _definition(reading(), name, project_id)


def _required(experiment: Optional[Experiment], name: str) -> Experiment:
    if experiment is None:
        raise NotFoundError(f"No experiment {name!r} is defined.")
    return experiment


def get_experiment(name: str, project_id: Optional[int] = None) -> Experiment:
    """Like ``find_experiment``. :raise NotFoundError: when none is defined."""
    return _required(find_experiment(name, project_id), name)


def list_experiments(project_id: Optional[int] = None) -> list[Experiment]:
    """Defined experiments, oldest first."""
    query = _in_project(select(Experiment), project_id).order_by(Experiment.id)
    return list(reading().execute(query).scalars())


def running_experiments(project_id: int) -> list[Experiment]:
    """What ``/decide`` assigns variants for."""
    query = select(Experiment).where(Experiment.project_id == project_id, Experiment.status == "running")
    return list(reading().execute(query.order_by(Experiment.id)).scalars())


def experiment_names(project_id: Optional[int] = None) -> list[str]:
    """Defined experiments and those only seen in recorded sessions, sorted."""
    defined = _in_project(select(Experiment.name), project_id)
    seen = (select(SessionVariant.experiment).distinct().join(Session, Session.id == SessionVariant.session_id)
            .where(visible(Session.project_id)))
    if project_id is not None:
        seen = seen.where(Session.project_id == project_id)
    db = reading()
    return sorted(set(db.execute(defined).scalars()) | set(db.execute(seen).scalars()))


def create_experiment(project_id: int, fields: Mapping[str, Any], *, now_ms: int) -> Experiment:
    """A running experiment from ``{name, variants, goal?, description?}``.

    :raise ExperimentError: on a bad or taken name, bad variants or goal.
    :commits: the experiment.
    """
    name = fields.get("name")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ExperimentError("name must be 1-200 characters of [A-Za-z0-9_.:-]")
    with unit_of_work() as db:
        if _definition(db, name, project_id) is not None:
            raise ExperimentError(f"experiment {name!r} already exists")
        description = fields.get("description", "")
        if not isinstance(description, str):
            raise ExperimentError("description must be a string")
        experiment = Experiment(project_id=project_id, name=name, description=description,
                                variants=clean_variants(fields.get("variants")), goal=clean_goal(fields.get("goal")),
                                status="running", created_at=now_ms)
        db.add(experiment)
        return experiment


def _changes(fields: Mapping[str, Any]) -> dict[str, Any]:
    """:raise ExperimentError: on an unknown or invalid field."""
    unknown = set(fields) - {"description", "variants", "goal", "status"}
    if unknown:
        raise ExperimentError(f"unknown field(s): {', '.join(sorted(unknown))}")
    changes = {}
    if "variants" in fields:
        changes["variants"] = clean_variants(fields["variants"])
    if "goal" in fields:
        changes["goal"] = clean_goal(fields["goal"])
    if "status" in fields:
        if fields["status"] not in STATUSES:
            raise ExperimentError(f"status must be one of {', '.join(STATUSES)}")
        changes["status"] = fields["status"]
    if "description" in fields:
        if not isinstance(fields["description"], str):
            raise ExperimentError("description must be a string")
        changes["description"] = fields["description"]
    return changes


def update_experiment(name: str, project_id: Optional[int], fields: Mapping[str, Any]) -> Experiment:
    """Change an experiment's description, variants, goal or status.

    :raise NotFoundError: when no experiment ``name`` is defined.
    :raise ExperimentError: on an unknown or invalid field; nothing changes.
    :commits: the experiment.
    """
    with unit_of_work() as db:
        experiment = _required(_definition(db, name, project_id), name)
        for key, value in _changes(fields).items():
            setattr(experiment, key, value)
        return experiment


def variant_assignments(name: str, project_id: Optional[int] = None) -> list:
    """Rows ``(session_id, variant, project_id)``, named so, of the sessions that carry
    experiment ``name``."""
    query = (select(SessionVariant.session_id, SessionVariant.variant, Session.project_id)
             .join(Session, Session.id == SessionVariant.session_id)
             .where(SessionVariant.experiment == name, visible(Session.project_id)))
    if project_id is not None:
        query = query.where(Session.project_id == project_id)
    return list(reading().execute(query).all())


def sessions_per_variant() -> dict[str, dict[str, int]]:
    """``{experiment: {variant: sessions}}`` over every recorded session."""
    rows = reading().execute(select(SessionVariant.experiment, SessionVariant.variant, func.count())
                             .where(visible_sessions(SessionVariant.session_id))
                             .group_by(SessionVariant.experiment, SessionVariant.variant)).all()
    counts: dict[str, dict[str, int]] = {}
    for experiment, variant, n in rows:
        counts.setdefault(experiment, {})[variant] = n
    return counts


def most_visited_pages(experiment: str, limit: int) -> list[tuple[str, int]]:
    """``[(url, sessions)]``: the pages the experiment's sessions visited most."""
    sessions = func.count(func.distinct(SessionPage.session_id))
    rows = reading().execute(select(SessionPage.url, sessions)
                             .join(SessionVariant, SessionVariant.session_id == SessionPage.session_id)
                             .where(SessionVariant.experiment == experiment, visible_sessions(SessionPage.session_id))
                             .group_by(SessionPage.url).order_by(sessions.desc(), SessionPage.url).limit(limit)).all()
    return [(url, n) for url, n in rows]


def experiment_dict(experiment: Experiment) -> dict:
    return {"id": experiment.id, "project_id": experiment.project_id, "name": experiment.name,
            "description": experiment.description, "variants": experiment.variants, "goal": experiment.goal,
            "status": experiment.status, "created_at": experiment.created_at}
