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

from server.storage.models import ApiToken, LoginLink, User

ROLES = ("admin", "member")
TOKEN_PREFIX = "rdt_"
MIN_PASSWORD_LENGTH = 8
LOGIN_LINK_TTL_MS = 24 * 3600 * 1000  # long enough to open after `make run` scrolls by
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")


class AccountError(ValueError):
    """Bad account input; the message is safe to show."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_user(db: OrmSession, email: str, *, role: str = "member", password: Optional[str] = None, now_ms: int) -> User:
    """:raise AccountError: for a bad email, role or password, or an email in use."""
    email = email.strip().lower()
    if not _EMAIL.fullmatch(email):
        raise AccountError(f"not an email address: {email!r}")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if db.execute(select(User.id).where(User.email == email)).first():
        raise AccountError(f"a user with email {email} already exists")
    user = User(email=email, role=role, created_at=now_ms)
    if password is not None:
        set_password(user, password)
    db.add(user)
    db.flush()
    return user


def set_password(user: User, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = generate_password_hash(password)


def authenticate(db: OrmSession, email: str, password: str) -> Optional[User]:
    user = db.execute(select(User).where(User.email == email.strip().lower())).scalar()
    if user is None or not user.password_hash or not check_password_hash(user.password_hash, password):
        return None
    return user


def create_token(db: OrmSession, *, name: str = "", user: Optional[User] = None, now_ms: int) -> str:
    """Store a new reviewer token and return it; it cannot be shown again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.add(ApiToken(name=name, token_hash=digest(token), user_id=user.id if user else None, created_at=now_ms))
    db.flush()
    return token


def token_identity(db: OrmSession, token: str, *, now_ms: int) -> Optional[ApiToken]:
    row = db.execute(select(ApiToken).where(ApiToken.token_hash == digest(token))).scalar()
    if row is not None and (row.last_used_at or 0) < now_ms - 60_000:  # bounded write rate
        db.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now_ms))
        db.commit()
    return row


def create_login_link(db: OrmSession, user: User, *, now_ms: int) -> str:
    """A one-time secret that signs ``user`` in; valid for LOGIN_LINK_TTL_MS."""
    secret = secrets.token_urlsafe(32)
    db.add(LoginLink(token_hash=digest(secret), user_id=user.id, expires_at=now_ms + LOGIN_LINK_TTL_MS))
    db.flush()
    return secret


def redeem_login_link(db: OrmSession, secret: str, *, now_ms: int) -> Optional[User]:
    """The link's user, marking the link used; None if unknown, used or expired."""
    claimed = db.execute(
        update(LoginLink)
        .where(LoginLink.token_hash == digest(secret), LoginLink.used_at.is_(None), LoginLink.expires_at > now_ms)
        .values(used_at=now_ms)
        .returning(LoginLink.user_id)
    ).scalar()
    if claimed is None:
        db.rollback()
        return None
    user = db.get(User, claimed)
    db.commit()
    return user
