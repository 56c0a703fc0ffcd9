"""Reviewers, their API tokens and one-time sign-in links. Secrets are random,
shown once, and only their SHA-256 (tokens, links) or scrypt hash (passwords) is kept."""
from __future__ import annotations

import hashlib
import re
import secrets
from typing import Optional

from sqlalchemy import select, update
from sqlalchemy.orm import Session as OrmSession
from werkzeug.security import check_password_hash, generate_password_hash

from server.storage.errors import InvalidInput
from server.storage.models import ApiToken, LoginLink, User
from server.storage.unit_of_work import reading, unit_of_work

ROLES = ("admin", "member")
TOKEN_PREFIX = "rdt_"
MIN_PASSWORD_LENGTH = 8
LOGIN_LINK_TTL_MS = 24 * 3600 * 1000  # long enough to open after `make run` scrolls by
# A token's last use is written at most this often: reads must not all become writes.
TOKEN_USE_RESOLUTION_MS = 60_000
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


class AccountError(InvalidInput):
    """Bad account input; the message is safe to show."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _by_email(db: OrmSession, email: str) -> Optional[User]:
    return db.execute(select(User).where(User.email == email.strip().lower())).scalar()


def _add_user(db: OrmSession, email: str, role: str, password: Optional[str], now_ms: int) -> User:
    email = email.strip().lower()
    if not _EMAIL.fullmatch(email):
        raise AccountError(f"not an email address: {email!r}")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if _by_email(db, email) is not None:
        raise AccountError(f"a user with email {email} already exists")
    user = User(email=email, role=role, created_at=now_ms)
    if password is not None:
        _set_password(user, password)
    db.add(user)
    db.flush()
    return user


def create_user(email: str, *, role: str = "member", password: Optional[str] = None, now_ms: int) -> User:
    """:raise AccountError: for a bad email, role or password, or an email in use.
    :commits: the user."""
    with unit_of_work() as db:
        return _add_user(db, email, role, password, now_ms)


def ensure_admin(email: str, *, now_ms: int) -> User:
    """The first admin, or a new admin with this email when there is none yet.

    :raise AccountError: for a bad email, or one in use by a member.
    :commits: the admin, when new.
    """
    with unit_of_work() as db:
        admin = db.execute(select(User).where(User.role == "admin").order_by(User.id).limit(1)).scalar()
        return admin or _add_user(db, email, "admin", None, now_ms)


def find_user(user_id: int) -> Optional[User]:
    return reading().get(User, user_id)


def user_by_email(email: str) -> Optional[User]:
    """The user with this email (any case, surrounding spaces ignored)."""
    return _by_email(reading(), email)


def _set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = generate_password_hash(password)


def change_password(user_id: int, password: str) -> None:
    """:raise AccountError: for a password that is too short; nothing changes.
    :commits: the new password hash."""
    with unit_of_work() as db:
        _set_password(db.get(User, user_id), password)


def authenticate(email: str, password: str) -> Optional[User]:
    """The user with this email and password, or None."""
    user = user_by_email(email)
    if user is None or not user.password_hash or not check_password_hash(user.password_hash, password):
        return None
    return user


def create_token(*, name: str = "", user_id: Optional[int] = None, now_ms: int) -> str:
    """Store a new reviewer token and return it; it cannot be shown again.
    :commits: the token's hash."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with unit_of_work() as db:
        db.add(ApiToken(name=name, token_hash=digest(token), user_id=user_id, created_at=now_ms))
    return token


def token_identity(token: str, *, now_ms: int) -> Optional[ApiToken]:
    """The stored token, or None.

    :commits: its last use, at most once per TOKEN_USE_RESOLUTION_MS.
    """
    row = reading().execute(select(ApiToken).where(ApiToken.token_hash == digest(token))).scalar()
    if row is not None and (row.last_used_at or 0) < now_ms - TOKEN_USE_RESOLUTION_MS:
        with unit_of_work() as db:
            db.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now_ms))
    return row


def create_login_link(user_id: int, *, now_ms: int) -> str:
    """A one-time secret that signs the user in; valid for LOGIN_LINK_TTL_MS.
    :commits: the link's hash."""
    secret = secrets.token_urlsafe(32)
    with unit_of_work() as db:
        db.add(LoginLink(token_hash=digest(secret), user_id=user_id, expires_at=now_ms + LOGIN_LINK_TTL_MS))
    return secret


def redeem_login_link(secret: str, *, now_ms: int) -> Optional[User]:
    """The link's user, or None if the link is unknown, used or expired.
    :commits: the link, marked used."""
    with unit_of_work() as db:
        claimed = db.execute(
            update(LoginLink)
            .where(LoginLink.token_hash == digest(secret), LoginLink.used_at.is_(None), LoginLink.expires_at > now_ms)
            .values(used_at=now_ms)
            .returning(LoginLink.user_id)
        ).scalar()
        return None if claimed is None else db.get(User, claimed)
