"""Reviewers, their passwords and one-time sign-in links (API tokens: tokens.py).
Secrets are random, shown once, and only their SHA-256 (links) or scrypt hash
(passwords) is kept."""
from __future__ import annotations

import functools
import hashlib
import re
import secrets
from typing import Optional

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session as OrmSession
from werkzeug.security import check_password_hash, generate_password_hash

from server.storage.errors import InvalidInput, NotFoundError
from server.storage.lookup import get_row
from server.storage.models import LoginLink, User
from server.storage.unit_of_work import reading, unit_of_work

ROLES = ("admin", "member")
MIN_PASSWORD_LENGTH = 8
LOGIN_LINK_TTL_MS = 24 * 3600 * 1000  # long enough to open after `make run` scrolls by
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


class AccountError(InvalidInput):
    """Bad account input; the message is safe to show."""


class WrongPassword(AccountError):
    """The current password given is not the user's."""

    message = "The current password is wrong."


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


def password_matches(user: User, password: str) -> bool:
    return bool(user.password_hash) and check_password_hash(user.password_hash, password)


def change_password(user_id: int, password: str, *, current: Optional[str]) -> int:
    """Set a new password and end every session of the user; returns the new session
    version (to sign the asking browser in again). ``current`` must be the present
    password, unless it is None (a caller that proved the user another way: a fresh
    sign-in link, or a user without a password yet).

    :raise WrongPassword: for a wrong current password; nothing changes.
    :raise AccountError: for a too short new one; nothing changes.
    :commits: the new password hash and session version.
    """
    with unit_of_work() as db:
        user = get_row(db, User, user_id, "user")
        if current is not None and not password_matches(user, current):
            raise WrongPassword()
        _set_password(user, password)
        user.session_version += 1
        return user.session_version


def end_sessions(user_id: int) -> None:
    """Every cookie signed for the user stops working (sign-out everywhere).
    :commits: the user's next session version."""
    with unit_of_work() as db:
        db.execute(update(User).where(User.id == user_id).values(session_version=User.session_version + 1))


def delete_user(user_id: int) -> None:
    """Remove the user: their cookies, tokens, links and memberships stop working.

    :raise NotFoundError: when no user has this id.
    :commits: the removal.
    """
    with unit_of_work() as db:
        if db.execute(delete(User).where(User.id == user_id)).rowcount == 0:
            raise NotFoundError(f"No user {user_id}.")


@functools.cache
def _dummy_hash() -> str:
    """A hash to check when the email is unknown, so both answers take as long."""
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> Optional[User]:
    """The user with this email and password, or None. Always checks one hash: an
    unknown email takes as long as a wrong password."""
    user = user_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(_dummy_hash(), password)
        return None
    return user if password_matches(user, password) else None


def list_users() -> list[User]:
    """Every user, by email."""
    return list(reading().execute(select(User).order_by(User.email)).scalars())


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
