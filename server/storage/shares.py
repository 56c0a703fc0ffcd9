"""Share links: a read-only view of one session (or a range of it) for someone without
a Replaydesk login. A link reads that session's replay and nothing else; it ends when it
expires or is revoked (410), and with its session (404)."""
from __future__ import annotations

import secrets
from typing import Optional

from sqlalchemy import or_, select
from sqlalchemy.orm import Session as OrmSession

from server.storage.errors import ExpiredError, NotFoundError
from server.storage.lookup import get_row
from server.storage.models import Session, ShareLink
from server.storage.scope import row_is_visible, visible_sessions
from server.storage.unit_of_work import reading, unit_of_work

TOKEN_BYTES = 24  # 32 characters of URL-safe text
UNKNOWN = "No such share link."


def create_share(session_id: str, *, from_ms: Optional[int], to_ms: Optional[int], expires_at: Optional[int],
                 created_by: str, now_ms: int) -> ShareLink:
    """:raise NotFoundError: when the session is not there (or not visible).
    :commits: the new link."""
    with unit_of_work() as db:
        get_row(db, Session, session_id, "session")
        link = ShareLink(token=secrets.token_urlsafe(TOKEN_BYTES), session_id=session_id, from_ms=from_ms, to_ms=to_ms,
                         created_by=created_by, created_at=now_ms, expires_at=expires_at)
        db.add(link)
    return link


def share_by_token(token: str) -> ShareLink:
    """Any link with this token, live or ended (for its owners' API).

    :raise NotFoundError: when no link has it, or its session is not visible."""
    return _visible_link(reading(), token)


def _visible_link(db: OrmSession, token: str) -> ShareLink:
    """:raise NotFoundError: (saying nothing of the session) unless the link and its
    session are there and visible to this request."""
    link = db.execute(select(ShareLink).where(ShareLink.token == token)).scalar_one_or_none()
    session = db.get(Session, link.session_id) if link is not None else None
    if session is None or not row_is_visible(db, session):
        raise NotFoundError(UNKNOWN)
    return link


def open_share(token: str, *, now_ms: int) -> ShareLink:
    """The live link with this token, for a visitor.

    :raise NotFoundError: when no link has it (or its session was deleted).
    :raise ExpiredError: when it was revoked or has expired."""
    link = reading().execute(select(ShareLink).where(ShareLink.token == token)).scalar_one_or_none()
    if link is None or reading().get(Session, link.session_id) is None:
        raise NotFoundError(UNKNOWN)
    if link.revoked_at is not None:
        raise ExpiredError("This share link was revoked.")
    if link.expires_at is not None and link.expires_at <= now_ms:
        raise ExpiredError("This share link has expired.")
    return link


def revoke_share(token: str, *, now_ms: int) -> None:
    """:raise NotFoundError: when no visible link has this token.
    :commits: the revocation (a link revoked already keeps its first time)."""
    with unit_of_work() as db:
        link = _visible_link(db, token)
        if link.revoked_at is None:
            link.revoked_at = now_ms


def live_shares(project_id: int, *, now_ms: int) -> list[ShareLink]:
    """The project's links that still open, newest first."""
    query = (select(ShareLink).join(Session, Session.id == ShareLink.session_id)
             .where(Session.project_id == project_id, visible_sessions(ShareLink.session_id),
                    ShareLink.revoked_at.is_(None),
                    or_(ShareLink.expires_at.is_(None), ShareLink.expires_at > now_ms))
             .order_by(ShareLink.created_at.desc(), ShareLink.id.desc()))
    return list(reading().execute(query).scalars())
