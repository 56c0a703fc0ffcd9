"""Who may do what in which project: memberships (user, project, role), and the
access of one reviewer (their roles, narrowed by the token they came with).

Roles, each allowing what the ones before it allow: ``viewer`` reads; ``member`` also
writes notes, findings, studies and experiments; ``admin`` also manages the project
(settings, people, keys) and deletes sessions and studies. An instance admin
(``User.role == "admin"``) is admin of every project.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional

from sqlalchemy import delete, select

from server.storage.errors import InvalidInput, NotFoundError
from server.storage.models import ApiToken, Membership, Project, User
from server.storage.unit_of_work import reading, unit_of_work

PROJECT_ROLES = ("viewer", "member", "admin")
_RANK = {role: rank for rank, role in enumerate(PROJECT_ROLES)}


def role_allows(role: Optional[str], needed: str) -> bool:
    """Whether ``role`` (None: no role) includes what ``needed`` may do."""
    return role is not None and _RANK[role] >= _RANK[needed]


def _check_role(role: str) -> None:
    if role not in PROJECT_ROLES:
        raise InvalidInput(f"role must be one of {', '.join(PROJECT_ROLES)}")


@dataclass(frozen=True)
class ProjectAccess:
    """What one reviewer may reach: a role per project id, or (``roles`` None) every
    project as admin; ``read_only`` when they came with a read-only token."""

    roles: Optional[Mapping[int, str]]
    read_only: bool = False
    narrowed: bool = False  # by a token limited to some projects

    def role_in(self, project_id: int) -> Optional[str]:
        if self.roles is None:
            return "admin"
        return self.roles.get(project_id)

    def readable(self) -> Optional[frozenset[int]]:
        """The ids of the projects they may read (None: every one)."""
        return None if self.roles is None else frozenset(self.roles)


def roles_of(user_id: int) -> dict[int, str]:
    """``{project id: role}`` of the user's memberships."""
    rows = reading().execute(select(Membership.project_id, Membership.role).where(Membership.user_id == user_id))
    return dict(rows.all())


def access_of(user: User, token: Optional[ApiToken] = None) -> ProjectAccess:
    """The user's access, narrowed to the token's projects and to reading when it says so."""
    roles: Optional[dict[int, str]] = None if user.role == "admin" else roles_of(user.id)
    if token is not None and not token.all_projects:
        scope = {row.project_id for row in token.projects}
        roles = ({project_id: "admin" for project_id in scope} if roles is None
                 else {project_id: role for project_id, role in roles.items() if project_id in scope})
    return ProjectAccess(roles, read_only=bool(token is not None and token.read_only),
                         narrowed=token is not None and not token.all_projects)


def set_role(user_id: int, project_id: int, role: str, *, now_ms: int) -> None:
    """Make the user a ``role`` of the project (adding them, or changing their role).

    :raise InvalidInput: for an unknown role.
    :raise NotFoundError: for a missing user or project.
    :commits: the membership.
    """
    _check_role(role)
    with unit_of_work() as db:
        if db.get(User, user_id) is None or db.get(Project, project_id) is None:
            raise NotFoundError("No such user or project.")
        found = db.get(Membership, (user_id, project_id))
        if found is None:
            db.add(Membership(user_id=user_id, project_id=project_id, role=role, created_at=now_ms))
        else:
            found.role = role


def remove_member(user_id: int, project_id: int) -> bool:
    """Take the user out of the project; False when they were not in it.
    :commits: the removal."""
    with unit_of_work() as db:
        gone = db.execute(delete(Membership).where(Membership.user_id == user_id, Membership.project_id == project_id))
        return gone.rowcount > 0


def project_members(project_id: int) -> list[tuple[User, str]]:
    """``(user, role)`` of the project's members, by email."""
    rows = reading().execute(select(User, Membership.role).join(Membership, Membership.user_id == User.id)
                             .where(Membership.project_id == project_id).order_by(User.email))
    return [(user, role) for user, role in rows.all()]


def member_dict(user: User, role: str) -> dict:
    return {"user_id": user.id, "email": user.email, "role": role}
