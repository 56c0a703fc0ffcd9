"""Projects: a name, a public ingest key, and per-project settings."""
from __future__ import annotations

import secrets
from typing import Any, Callable, Mapping, Optional, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from server.storage.errors import InvalidInput
from server.storage.models import Project
from server.storage.lookup import get_row
from server.storage.scope import confined, is_visible
from server.storage.unit_of_work import reading, unit_of_work

KEY_PREFIX = "rdk_"
MAX_NAME = 200


class ProjectError(InvalidInput):
    """Bad project input; the message is safe to show."""


def _by_name(db: OrmSession, name: str) -> Optional[Project]:
    return db.execute(select(Project).where(Project.name == name)).scalar()


def _oldest(db: OrmSession) -> Optional[Project]:
    return db.execute(select(Project).order_by(Project.id).limit(1)).scalar()


def _add_project(db: OrmSession, name: str, goal_urls: Sequence[str], now_ms: int) -> Project:
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise ProjectError(f"project name must be 1-{MAX_NAME} characters")
    if _by_name(db, name) is not None:
        raise ProjectError(f"a project named {name!r} already exists")
    settings = {"goal_urls": [g for g in goal_urls if g.strip()]} if goal_urls else {}
    project = Project(name=name, key=KEY_PREFIX + secrets.token_urlsafe(18), created_at=now_ms, settings=settings)
    db.add(project)
    db.flush()
    return project


def create_project(name: str, *, goal_urls: Sequence[str] = (), now_ms: int) -> Project:
    """A new project with a fresh ingest key.

    :raise ProjectError: for an empty, too long or taken name.
    :commits: the project.
    """
    with unit_of_work() as db:
        return _add_project(db, name, goal_urls, now_ms)


def ensure_default_project(name: str, *, now_ms: int) -> Project:
    """The oldest project, or a new one named ``name`` when there is none yet.

    :commits: the project, when it is new.
    """
    with unit_of_work() as db:
        return _oldest(db) or _add_project(db, name, (), now_ms)


def default_project() -> Optional[Project]:
    """The oldest project (that this request may read): where imports and new
    experiments go when none is named."""
    return reading().execute(confined(select(Project), Project.id).order_by(Project.id).limit(1)).scalar()


def project_by_name(name: str) -> Optional[Project]:
    """The project of this name, if this request may read it."""
    found = _by_name(reading(), name)
    return found if found is not None and is_visible(found.id) else None


def project_named(text: str) -> Optional[Project]:
    """The project called ``text``, else the one whose id it is (if this request may read it)."""
    found = project_by_name(text)
    if found is None and text.isdigit():
        found = reading().get(Project, int(text))
    return found if found is not None and is_visible(found.id) else None


def _get(db: OrmSession, project_id: int) -> Project:
    return get_row(db, Project, project_id, "project")


def get_project(project_id: int) -> Project:
    """:raise NotFoundError: when no project has this id."""
    return _get(reading(), project_id)


def list_projects() -> list[Project]:
    """Every project, oldest first."""
    return list(reading().execute(confined(select(Project), Project.id).order_by(Project.id)).scalars())


def change_project_settings(project_id: int, changes: Mapping[str, Any], *,
                            check: Callable[[Project], object]) -> Project:
    """Replace the named settings (``goal_urls``, ``detectors`` …) of a project;
    ``check`` sees the changed project and raises ValueError or TypeError to refuse.

    :raise NotFoundError: when no project has this id.
    :raise InvalidInput: with ``check``'s message; nothing changes.
    :commits: the project's settings.
    """
    with unit_of_work() as db:
        project = _get(db, project_id)
        project.settings = {**(project.settings or {}), **changes}
        try:
            check(project)
        except (ValueError, TypeError) as error:
            raise InvalidInput(str(error)) from None
        return project


def project_dict(project: Project) -> dict:
    return {"id": project.id, "name": project.name, "key": project.key, "settings": project.settings}
