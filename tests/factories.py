"""Test data with sensible defaults; override what a test is about.

Factories take the ``app`` and push their own app context, and return plain values:
a test must not hold an app context while it sends requests (Flask would reuse it,
and ``g`` would leak from one request into the next).
"""
from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Optional

from server.storage.batch import parse_batch
from server.storage.accounts import create_user, user_by_email
from server.storage.ingest import store_batch
from server.storage.memberships import set_role
from server.storage.projects import create_project
from server.storage.tokens import create_token

_numbers = itertools.count(1)
T0 = 1_795_000_000_000  # a fixed epoch ms so tests read the same every run


@dataclass(frozen=True)
class ProjectRef:
    id: int
    name: str
    key: str


def make_project(app, name: Optional[str] = None, **kwargs) -> ProjectRef:
    with app.app_context():
        project = create_project(name or f"project-{next(_numbers)}", now_ms=T0, **kwargs)
        return ProjectRef(project.id, project.name, project.key)


TOKEN_OWNER = "token-owner@example.com"


def make_token(app, name: str = "test", *, email: str = TOKEN_OWNER, **scope) -> str:
    """A token of ``email`` (made an instance admin if new); ``scope``: ``project_ids``,
    ``read_only``, ``expires_at`` as storage.tokens.create_token takes them."""
    ensure_reviewer(app, email, None)
    with app.app_context():
        return create_token(user_id=user_by_email(email).id, name=name, now_ms=T0, **scope)[0]


def ensure_reviewer(app, email: str, password: Optional[str], role: str = "admin") -> None:
    """A reviewer with this email (new ones: an instance admin unless ``role`` says
    "member", who then sees only projects given with :func:`add_member`)."""
    with app.app_context():
        if user_by_email(email) is None:
            create_user(email, role=role, password=password, now_ms=T0)


def add_member(app, email: str, project: ProjectRef, role: str = "member", password: str = "correct horse") -> None:
    """Make ``email`` (a new member-level reviewer if needed) a ``role`` of ``project``."""
    ensure_reviewer(app, email, password, role="member")
    with app.app_context():
        set_role(user_by_email(email).id, project.id, role, now_ms=T0)


def meta_event(ts: int, href: str = "https://shop.test/") -> dict:
    return {"type": 4, "timestamp": ts, "data": {"href": href, "width": 1280, "height": 800}}


def click_event(ts: int, node_id: int = 5, x: int = 10, y: int = 10) -> dict:
    return {"type": 3, "timestamp": ts, "data": {"source": 2, "type": 2, "id": node_id, "x": x, "y": y}}


def custom_event(ts: int, tag: str, payload: dict) -> dict:
    return {"type": 5, "timestamp": ts, "data": {"tag": tag, "payload": payload}}


def batch_payload(session_id: Optional[str] = None, *, seq: int = 0, window_id: str = "window-0001",
                  events: Optional[list] = None, meta: Optional[dict] = None) -> dict:
    return {
        "session_id": session_id or uuid.uuid4().hex,
        "window_id": window_id,
        "seq": seq,
        "events": events if events is not None else [meta_event(T0), click_event(T0 + 100)],
        "meta": meta or {"url": "https://shop.test/", "user_agent": "pytest", "viewport": {"w": 1280, "h": 800}},
    }


def make_session(app, project: ProjectRef, events: Optional[list] = None, **payload_kwargs) -> str:
    """Store one batch through the real ingest path; return the session id."""
    payload = batch_payload(events=events, **payload_kwargs)
    with app.app_context():
        store_batch(project.id, parse_batch(payload), now_ms=T0, analysis_due_at=T0)
    return payload["session_id"]
