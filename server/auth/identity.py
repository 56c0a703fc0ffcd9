"""Who is asking: a reviewer signed in with a cookie, or a bearer of an API token.

A project key is never an identity here: it only writes through ingest.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from flask import g, request, session

from server.errors import Unauthorized
from server.extensions import csrf
from server.runtime import current_runtime
from server.storage.accounts import TOKEN_PREFIX, find_user, token_identity

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SESSION_USER_KEY = "user_id"


@dataclass(frozen=True)
class Reviewer:
    name: str  # shown as the author of notes and findings
    user_id: Optional[int]
    via: str  # "cookie" | "token"
    is_admin: bool


def _from_bearer(header: str) -> Optional[Reviewer]:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.startswith(TOKEN_PREFIX):
        return None
    row = token_identity(token.strip(), now_ms=current_runtime().now_ms())
    if row is None:
        return None
    user = find_user(row.user_id) if row.user_id else None
    name = user.email if user else (row.name or f"token {row.id}")
    return Reviewer(name=name, user_id=row.user_id, via="token", is_admin=bool(user and user.role == "admin"))


def _from_cookie() -> Optional[Reviewer]:
    user_id = session.get(SESSION_USER_KEY)
    if user_id is None:
        return None
    user = find_user(user_id)
    if user is None:
        session.clear()
        return None
    return Reviewer(name=user.email, user_id=user.id, via="cookie", is_admin=user.role == "admin")


def current_reviewer() -> Optional[Reviewer]:
    """The reviewer of this request, resolved once and kept on ``g``."""
    if "reviewer" not in g:
        header = request.headers.get("Authorization", "")
        g.reviewer = _from_bearer(header) if header else _from_cookie()
    return g.reviewer


def require_reviewer() -> Reviewer:
    """:raise Unauthorized: when nobody valid is asking. Checks CSRF for cookie writes."""
    reviewer = current_reviewer()
    if reviewer is None:
        raise Unauthorized()
    if reviewer.via == "cookie" and request.method not in SAFE_METHODS:
        csrf.protect()
    return reviewer


def sign_in(user) -> None:
    """Start a cookie session for ``user`` (a stored user)."""
    session.clear()  # a fresh session on every sign-in: no fixation
    session[SESSION_USER_KEY] = user.id
    session.permanent = True
    g.pop("reviewer", None)


def sign_out() -> None:
    session.clear()
    g.pop("reviewer", None)
