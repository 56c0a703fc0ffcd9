"""Reviewer API tokens: each belongs to a user, may be limited to some of their
projects and to reading, may expire, and is listed and revoked by id. The secret is
random, shown once; only its SHA-256 is kept."""
from __future__ import annotations

import secrets
from typing import Optional, Sequence

from sqlalchemy import select, update

from server.storage.accounts import digest
from server.storage.errors import InvalidInput, NotFoundError
from server.storage.memberships import roles_of
from server.storage.models import ApiToken, ApiTokenProject, Project, User
from server.storage.unit_of_work import reading, unit_of_work

TOKEN_PREFIX = "rdt_"
# A token's last use is written at most this often: reads must not all become writes.
TOKEN_USE_RESOLUTION_MS = 60_000
MAX_NAME = 200


def create_token(*, user_id: int, name: str = "", project_ids: Optional[Sequence[int]] = None,
                 read_only: bool = False, expires_at: Optional[int] = None, now_ms: int) -> tuple[str, ApiToken]:
    """Store a new token of ``user_id`` and return its secret (never shown again) and row.
    ``project_ids`` None: every project the user reaches, now and later.

    :raise InvalidInput: for a name too long, an expiry in the past, or a project the
        user does not belong to.
    :raise NotFoundError: for a missing user.
    :commits: the token's hash and scope.
    """
    if len(name) > MAX_NAME:
        raise InvalidInput(f"a token name has at most {MAX_NAME} characters")
    if expires_at is not None and expires_at <= now_ms:
        raise InvalidInput("a token's expiry must be in the future")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with unit_of_work() as db:
        user = db.get(User, user_id)
        if user is None:
            raise NotFoundError(f"No user {user_id}.")
        wanted = sorted(set(project_ids or ()))
        reachable = (set(db.execute(select(Project.id).where(Project.id.in_(wanted))).scalars())
                     if user.role == "admin" else set(roles_of(user_id)))
        missing = [project_id for project_id in wanted if project_id not in reachable]
        if missing:
            raise InvalidInput(f"{user.email} is not in project(s) {', '.join(map(str, missing))}")
        row = ApiToken(name=name, token_hash=digest(token), user_id=user_id, created_at=now_ms,
                       expires_at=expires_at, read_only=read_only, all_projects=project_ids is None)
        row.projects = [ApiTokenProject(project_id=project_id) for project_id in wanted]
        db.add(row)
        db.flush()
        return token, row


def token_identity(token: str, *, now_ms: int) -> Optional[ApiToken]:
    """The stored token, or None when unknown, expired or owned by nobody.

    :commits: its last use, at most once per TOKEN_USE_RESOLUTION_MS.
    """
    row = reading().execute(select(ApiToken).where(ApiToken.token_hash == digest(token))).scalar()
    if row is None or row.user_id is None or (row.expires_at is not None and row.expires_at <= now_ms):
        return None
    if (row.last_used_at or 0) < now_ms - TOKEN_USE_RESOLUTION_MS:
        with unit_of_work() as db:
            db.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now_ms))
    return row


def list_tokens(user_id: Optional[int] = None) -> list[ApiToken]:
    """The tokens of ``user_id`` (None: everyone's), oldest first."""
    query = select(ApiToken).order_by(ApiToken.id)
    if user_id is not None:
        query = query.where(ApiToken.user_id == user_id)
    return list(reading().execute(query).scalars())


def revoke_token(token_id: int, *, owner_id: Optional[int] = None) -> None:
    """The token stops working at once. ``owner_id``: only if it is theirs.

    :raise NotFoundError: for no such token (of that owner).
    :commits: the token's removal.
    """
    with unit_of_work() as db:
        row = db.get(ApiToken, token_id)
        if row is None or (owner_id is not None and row.user_id != owner_id):
            raise NotFoundError(f"No token {token_id}.")
        db.delete(row)


def token_dict(row: ApiToken, *, now_ms: int) -> dict:
    """What a list shows: never the secret."""
    owner = reading().get(User, row.user_id) if row.user_id is not None else None
    return {
        "id": row.id, "name": row.name, "owner": owner.email if owner else None,
        "projects": None if row.all_projects else sorted(p.project_id for p in row.projects),
        "access": "read" if row.read_only else "write",
        "created_at": row.created_at, "last_used_at": row.last_used_at, "expires_at": row.expires_at,
        "expired": row.expires_at is not None and row.expires_at <= now_ms,
    }
