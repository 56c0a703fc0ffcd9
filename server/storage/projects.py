"""Projects: a name, a public ingest key, and per-project settings."""
from __future__ import annotations

import secrets
from typing import Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from server.storage.models import Project

KEY_PREFIX = "rdk_"
MAX_NAME = 200


class ProjectError(ValueError):
    """Bad project input; the message is safe to show."""


def create_project(db: OrmSession, name: str, *, goal_urls: Sequence[str] = (), now_ms: int) -> Project:
    """:raise ProjectError: for an empty, too long or taken name."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise ProjectError(f"project name must be 1-{MAX_NAME} characters")
    if db.execute(select(Project.id).where(Project.name == name)).first():
        raise ProjectError(f"a project named {name!r} already exists")
    settings = {"goal_urls": [g for g in goal_urls if g.strip()]} if goal_urls else {}
    project = Project(name=name, key=KEY_PREFIX + secrets.token_urlsafe(18), created_at=now_ms, settings=settings)
    db.add(project)
    db.flush()
    return project


def default_project(db: OrmSession) -> Optional[Project]:
    """The oldest project: where imports go when none is named."""
    return db.execute(select(Project).order_by(Project.id).limit(1)).scalar()


def project_dict(project: Project) -> dict:
    return {"id": project.id, "name": project.name, "key": project.key, "settings": project.settings}
