"""The projects the current request may read: its reviewer's, set once when the
reviewer is known (``confine_reads``), and applied by every storage read that lists
or looks up project data, so no route can forget it.

Outside a confined request (commands, jobs, ingest with a project key) every project
is visible. A confined request sees a row by id only when its project is visible
(otherwise it is "not found", exactly like a missing one), and lists only rows of
visible projects.
"""
from __future__ import annotations

from typing import Iterable, Optional

from flask import g, has_app_context
from sqlalchemy import ColumnElement, Select, false, select, true
from sqlalchemy.orm import Session as OrmSession

from server.storage.models import Annotation, Project, Session

_KEY = "replaydesk_visible_projects"


def confine_reads(project_ids: Optional[Iterable[int]]) -> None:
    """From now on, in this app context, reads see only these projects (None: every one)."""
    setattr(g, _KEY, None if project_ids is None else frozenset(project_ids))


def visible_projects() -> Optional[frozenset[int]]:
    """The ids this request may read, or None for every project."""
    return g.get(_KEY) if has_app_context() else None


def is_visible(project_id: Optional[int]) -> bool:
    """Whether a row of ``project_id`` may be read (a row of no project: only when unconfined)."""
    ids = visible_projects()
    return ids is None or (project_id is not None and project_id in ids)


def visible(column) -> ColumnElement[bool]:
    """SQL: ``column`` (a project id) is one this request may read."""
    ids = visible_projects()
    if ids is None:
        return true()
    return column.in_(ids) if ids else false()


def visible_sessions(session_id_column) -> ColumnElement[bool]:
    """SQL: the session ``session_id_column`` names belongs to a visible project."""
    if visible_projects() is None:
        return true()
    return session_id_column.in_(select(Session.id).where(visible(Session.project_id)))


def confined(query: Select, column) -> Select:
    """``query`` limited to rows whose project (``column``) is visible."""
    return query if visible_projects() is None else query.where(visible(column))


def row_is_visible(db: OrmSession, row: object) -> bool:
    """Whether this request may read ``row`` (a project, or a row of one)."""
    if visible_projects() is None:
        return True
    if isinstance(row, Project):
        return is_visible(row.id)
    if isinstance(row, Annotation):
        return is_visible(db.get(Session, row.session_id).project_id)
    if not hasattr(row, "project_id"):
        return True  # not project data (a user, a token)
    return is_visible(row.project_id)  # None: a finding across projects, for instance admins
