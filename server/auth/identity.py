"""Who is asking: a reviewer signed in with a cookie, or a bearer of an API token,
and what they may do in which project.

A project key is never an identity here: it only writes through ingest. Resolving
the reviewer confines every storage read of the request to their projects
(storage/scope.py); writes ask :func:`require_project_access` for the role they need.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from flask import g, request, session

from server.errors import Forbidden, NotFound, Unauthorized
from server.extensions import csrf
from server.runtime import current_runtime
from server.storage.accounts import find_user
from server.storage.memberships import ProjectAccess, access_of, role_allows
from server.storage.scope import confine_reads
from server.storage.tokens import TOKEN_PREFIX, token_identity

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SESSION_USER_KEY = "user_id"
SESSION_VERSION_KEY = "session_version"
# Signed in by a one-time link at this time (epoch ms): for a while, the password may
# be set without the current one (the link is how a forgotten password is reset).
SESSION_LINK_KEY = "link_at"
LINK_PASSWORD_GRACE_MS = 3600 * 1000


@dataclass(frozen=True)
class Reviewer:
    name: str  # shown as the author of notes and findings
    user_id: int
    via: str  # "cookie" | "token"
    is_admin: bool  # an instance admin: every project, every person and token
    access: ProjectAccess
    has_password: bool = True

    def may(self, project_id: Optional[int], role: str = "viewer") -> bool:
        """Whether they hold ``role`` (or more) in the project; writes need a write token."""
        if project_id is None:  # an object of no project (a finding across projects)
            return self.is_admin and (role == "viewer" or not self.access.read_only)
        if role != "viewer" and self.access.read_only:
            return False
        return role_allows(self.access.role_in(project_id), role)


def _from_bearer(header: str) -> Optional[Reviewer]:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.startswith(TOKEN_PREFIX):
        return None
    row = token_identity(token.strip(), now_ms=current_runtime().now_ms())
    user = find_user(row.user_id) if row is not None else None
    if user is None:
        return None
    return Reviewer(name=user.email, user_id=user.id, via="token", is_admin=user.role == "admin",
                    access=access_of(user, row))


def _from_cookie() -> Optional[Reviewer]:
    user_id = session.get(SESSION_USER_KEY)
    if user_id is None:
        return None
    user = find_user(user_id)
    if user is None or session.get(SESSION_VERSION_KEY) != user.session_version:
        session.clear()  # signed out elsewhere, password changed, or removed
        return None
    return Reviewer(name=user.email, user_id=user.id, via="cookie", is_admin=user.role == "admin",
                    access=access_of(user), has_password=bool(user.password_hash))


def current_reviewer() -> Optional[Reviewer]:
    """The reviewer of this request, resolved once and kept on ``g``; from then on the
    request reads only their projects (nobody: none)."""
    if "reviewer" not in g:
        header = request.headers.get("Authorization", "")
        g.reviewer = _from_bearer(header) if header else _from_cookie()
        confine_reads(g.reviewer.access.readable() if g.reviewer else ())
    return g.reviewer


def require_reviewer() -> Reviewer:
    """:raise Unauthorized: when nobody valid is asking. Checks CSRF for cookie writes.
    :raise Forbidden: for any write with a read-only token."""
    reviewer = current_reviewer()
    if reviewer is None:
        raise Unauthorized()
    if request.method not in SAFE_METHODS:
        if reviewer.via == "cookie":
            csrf.protect()
        if reviewer.access.read_only:
            raise Forbidden("This token is read-only.")
    return reviewer


def require_project_access(project_id: Optional[int], role: str = "viewer") -> Reviewer:
    """The reviewer, when they hold ``role`` in the project: ``viewer`` to read,
    ``member`` to write notes, findings, studies and experiments, ``admin`` to manage
    the project and delete.

    :raise NotFound: for a project they cannot see (as if it did not exist).
    :raise Forbidden: for one they see but may not change this way.
    """
    reviewer = require_reviewer()
    if reviewer.may(project_id, role):
        return reviewer
    if not reviewer.may(project_id, "viewer"):
        raise NotFound(f"No project {project_id}.")
    if reviewer.access.read_only:
        raise Forbidden("This token is read-only.")
    held = reviewer.access.role_in(project_id) if project_id is not None else "reviewer"
    raise Forbidden(f"This needs the {role} role in the project; you are a {held}.")


def require_instance_admin() -> Reviewer:
    """:raise Forbidden: unless an instance admin asks (with a write token, for writes)."""
    reviewer = require_reviewer()
    if not reviewer.is_admin or (request.method not in SAFE_METHODS and reviewer.access.read_only):
        raise Forbidden("Only an admin may do this.")
    return reviewer


def sign_in(user, *, by_link_at: Optional[int] = None) -> None:
    """Start a cookie session for ``user`` (a stored user); ``by_link_at``: signed in
    by a one-time link at this time."""
    session.clear()  # a fresh session on every sign-in: no fixation
    session[SESSION_USER_KEY] = user.id
    session[SESSION_VERSION_KEY] = user.session_version
    if by_link_at is not None:
        session[SESSION_LINK_KEY] = by_link_at
    session.permanent = True
    g.pop("reviewer", None)


def proved_by_link(now_ms: int) -> bool:
    """Whether this session came from a one-time link recently enough to set a password
    without the current one."""
    link_at = session.get(SESSION_LINK_KEY)
    return link_at is not None and now_ms - link_at <= LINK_PASSWORD_GRACE_MS


def sign_out() -> None:
    session.clear()
    g.pop("reviewer", None)
