"""Studies: tasks and participants, with invite links that carry the study context."""
from __future__ import annotations

import re
import secrets
from typing import Any, Mapping
from urllib.parse import urlencode, urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from server.storage.models import Participant, Study, StudyTask

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
TASK_KEY = re.compile(r"[A-Za-z0-9_.:-]{1,200}")
MAX_TEXT = 5000


class StudyError(ValueError):
    """Bad study input; the message names the field."""


def _text(fields: Mapping[str, Any], name: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = fields.get(name, "")
    if not isinstance(value, str) or len(value) > limit or (required and not value.strip()):
        raise StudyError(f"{name} must be {'a non-empty' if required else 'a'} string of at most {limit} characters")
    return value.strip()


def _product_url(value: Any) -> str:
    parsed = urlparse(value if isinstance(value, str) else "")
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise StudyError("product_url must be an http(s) URL where participants start")
    return value


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:50] or "study"
    return f"{slug}-{secrets.token_hex(3)}"


def create_study(db: OrmSession, project_id: int, fields: Mapping[str, Any], *, now_ms: int) -> Study:
    """:raise StudyError: on the first invalid field (tasks included); nothing is added."""
    name = _text(fields, "name", required=True, limit=200)
    slug = fields.get("slug") or slugify(name)
    if not isinstance(slug, str) or not SLUG.fullmatch(slug):
        raise StudyError("slug must be lowercase letters, digits and dashes (up to 63)")
    if db.execute(select(Study.id).where(Study.slug == slug)).first():
        raise StudyError(f"a study with slug {slug!r} exists")
    study = Study(project_id=project_id, slug=slug, name=name, description=_text(fields, "description"),
                  product_url=_product_url(fields.get("product_url")), created_at=now_ms)
    tasks = fields.get("tasks", [])
    if not isinstance(tasks, list):
        raise StudyError("tasks must be a list")
    for position, task in enumerate(tasks):
        study.tasks.append(build_task(task, position, taken={t.task_key for t in study.tasks}))
    db.add(study)
    db.flush()
    return study


def build_task(fields: Any, position: int, *, taken: set[str]) -> StudyTask:
    if not isinstance(fields, dict):
        raise StudyError("each task must be an object {title, instructions?, success_url?, success_event?}")
    title = _text(fields, "title", required=True, limit=300)
    key = fields.get("task_id") or re.sub(r"[^A-Za-z0-9_.:-]+", "-", title.lower()).strip("-")[:60] or f"task-{position + 1}"
    if not isinstance(key, str) or not TASK_KEY.fullmatch(key) or key in taken:
        raise StudyError(f"task_id {key!r} must be unique within the study, of [A-Za-z0-9_.:-]")
    success_url = _text(fields, "success_url", limit=2000) or None
    success_event = _text(fields, "success_event", limit=200) or None
    return StudyTask(task_key=key, position=position, title=title, instructions=_text(fields, "instructions"),
                     success_url=success_url, success_event=success_event)


def add_participant(db: OrmSession, study: Study, label: str = "", *, now_ms: int) -> Participant:
    if not isinstance(label, str) or len(label) > 200:
        raise StudyError("label must be a string of at most 200 characters")
    participant = Participant(study_id=study.id, code=f"p-{secrets.token_urlsafe(6)}", label=label.strip(),
                              created_at=now_ms)
    db.add(participant)
    db.flush()
    return participant


def invite_url(study: Study, participant: Participant) -> str:
    """The product URL with the study context the SDK picks up (``rd_study``, ``rd_participant``)."""
    base, hash_sign, fragment = study.product_url.partition("#")
    separator = "&" if "?" in base else "?"
    query = urlencode({"rd_study": study.slug, "rd_participant": participant.code})
    return f"{base}{separator}{query}{hash_sign}{fragment}"


def study_dict(study: Study) -> dict:
    return {
        "id": study.id, "project_id": study.project_id, "slug": study.slug, "name": study.name,
        "description": study.description, "product_url": study.product_url, "created_at": study.created_at,
        "tasks": [{"task_id": t.task_key, "title": t.title, "instructions": t.instructions,
                   "success_url": t.success_url, "success_event": t.success_event} for t in study.tasks],
        "participants": [{"code": p.code, "label": p.label, "invite_url": invite_url(study, p)}
                         for p in study.participants],
    }
