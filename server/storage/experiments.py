"""Experiments: definitions, validation, and deterministic variant assignment."""
from __future__ import annotations

import hashlib
import re
from typing import Any, Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from server.storage.models import Experiment

NAME = re.compile(r"[A-Za-z0-9_.:-]{1,200}")
# Assignment resolution: a distinct_id lands in one of this many buckets per experiment.
BUCKETS = 10_000
GOAL_KEYS = {"url", "event", "task"}
STATUSES = ("running", "stopped")


class ExperimentError(ValueError):
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


def create_experiment(db: OrmSession, project_id: int, fields: Mapping[str, Any], *, now_ms: int) -> Experiment:
    """:raise ExperimentError: on a bad or taken name, bad variants or goal."""
    name = fields.get("name")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ExperimentError("name must be 1-200 characters of [A-Za-z0-9_.:-]")
    if db.execute(select(Experiment.id).where(Experiment.project_id == project_id, Experiment.name == name)).first():
        raise ExperimentError(f"experiment {name!r} already exists")
    description = fields.get("description", "")
    if not isinstance(description, str):
        raise ExperimentError("description must be a string")
    experiment = Experiment(project_id=project_id, name=name, description=description,
                            variants=clean_variants(fields.get("variants")), goal=clean_goal(fields.get("goal")),
                            status="running", created_at=now_ms)
    db.add(experiment)
    db.flush()
    return experiment


def update_experiment(experiment: Experiment, fields: Mapping[str, Any]) -> None:
    """:raise ExperimentError: on an unknown or invalid field; nothing changes."""
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
    for key, value in changes.items():
        setattr(experiment, key, value)


def experiment_dict(experiment: Experiment) -> dict:
    return {"id": experiment.id, "project_id": experiment.project_id, "name": experiment.name,
            "description": experiment.description, "variants": experiment.variants, "goal": experiment.goal,
            "status": experiment.status, "created_at": experiment.created_at}
