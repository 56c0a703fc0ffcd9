"""Studies: tasks and participants, with invite links that carry the study context."""
from __future__ import annotations

import re
import secrets
from typing import Any, Mapping, Optional
from urllib.parse import urlencode, urlparse

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from server.storage.errors import InvalidInput
from server.storage.models import Participant, Session, Study, StudyTask
from server.storage.lookup import get_row
from server.storage.scope import confined, is_visible, visible
from server.storage.unit_of_work import reading, unit_of_work

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
DEFAULT_CONSENT = (
    "This study records your voice while you use the website, so the research team can hear what you think as "
    "you go. Please think aloud: say what you look for, what you expect and what surprises you. The recording "
    "is kept with this session and deleted with it, and you can stop it at any time.")
TASK_KEY = re.compile(r"[A-Za-z0-9_.:-]{1,200}")
MAX_TEXT = 5000


class StudyError(InvalidInput):
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


def _get(db: OrmSession, study_id: int) -> Study:
    return get_row(db, Study, study_id, "study")


def _by_slug(db: OrmSession, slug: str) -> Optional[Study]:
    return db.execute(select(Study).where(Study.slug == slug)).scalar()  # slugs are unique across projects


def get_study(study_id: int) -> Study:
    """:raise NotFoundError: when no study has this id."""
    return _get(reading(), study_id)


def study_by_slug(slug: str, project_id: Optional[int] = None) -> Optional[Study]:
    """The study sessions name as ``meta.study`` (only within ``project_id`` when given)."""
    study = _by_slug(reading(), slug)
    if study is None or not is_visible(study.project_id):
        return None
    return study if project_id in (None, study.project_id) else None


def list_studies() -> list[Study]:
    """Every study, newest first."""
    return list(reading().execute(confined(select(Study), Study.project_id).order_by(Study.id.desc())).scalars())


def _flag(fields: Mapping[str, Any], name: str) -> bool:
    value = fields.get(name, False)
    if not isinstance(value, bool):
        raise StudyError(f"{name} must be true or false")
    return value


def create_study(project_id: int, fields: Mapping[str, Any], *, now_ms: int) -> Study:
    """A study with its tasks, from ``{name, product_url, slug?, description?, tasks?,
    think_aloud?, camera?, consent_text?}`` (think-aloud without a consent text gets
    :data:`DEFAULT_CONSENT`).

    :raise StudyError: on the first invalid field (tasks included); nothing is added.
    :commits: the study and its tasks.
    """
    name = _text(fields, "name", required=True, limit=200)
    slug = fields.get("slug") or slugify(name)
    if not isinstance(slug, str) or not SLUG.fullmatch(slug):
        raise StudyError("slug must be lowercase letters, digits and dashes (up to 63)")
    with unit_of_work() as db:
        if _by_slug(db, slug) is not None:
            raise StudyError(f"a study with slug {slug!r} exists")
        think_aloud = _flag(fields, "think_aloud")
        study = Study(project_id=project_id, slug=slug, name=name, description=_text(fields, "description"),
                      product_url=_product_url(fields.get("product_url")), created_at=now_ms,
                      think_aloud=think_aloud, camera=_flag(fields, "camera") and think_aloud,
                      consent_text=(_text(fields, "consent_text") or DEFAULT_CONSENT) if think_aloud else "")
        tasks = fields.get("tasks", [])
        if not isinstance(tasks, list):
            raise StudyError("tasks must be a list")
        for position, task in enumerate(tasks):
            study.tasks.append(build_task(task, position, taken={t.task_key for t in study.tasks}))
        db.add(study)
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


def add_task(study_id: int, fields: Any) -> Study:
    """Append a task to a study; returns the study.

    :raise NotFoundError: when no study has this id.
    :raise StudyError: on an invalid task; nothing is added.
    :commits: the task.
    """
    with unit_of_work() as db:
        study = _get(db, study_id)
        study.tasks.append(build_task(fields, len(study.tasks), taken={t.task_key for t in study.tasks}))
        return study


def add_participant(study_id: int, label: Any = "", *, now_ms: int) -> Participant:
    """A participant with a fresh code (their invite link carries it).

    :raise NotFoundError: when no study has this id.
    :raise StudyError: for a label that is not a string of at most 200 characters.
    :commits: the participant.
    """
    with unit_of_work() as db:
        study = _get(db, study_id)
        if not isinstance(label, str) or len(label) > 200:
            raise StudyError("label must be a string of at most 200 characters")
        participant = Participant(study_id=study.id, code=f"p-{secrets.token_urlsafe(6)}", label=label.strip(),
                                  created_at=now_ms)
        db.add(participant)
        return participant


def delete_study(study_id: int) -> None:
    """Remove a study with its tasks and participants (its sessions stay).

    :raise NotFoundError: when no study has this id.
    :commits: the removal.
    """
    with unit_of_work() as db:
        db.delete(_get(db, study_id))


def sessions_per_study() -> dict[str, int]:
    """``{study slug: sessions recorded for it}``."""
    return dict(reading().execute(select(Session.study, func.count())
                                  .where(Session.study.is_not(None), visible(Session.project_id))
                                  .group_by(Session.study)).all())


def study_sessions(slug: str) -> list[Session]:
    """Every session of the study, oldest first."""
    return list(reading().execute(select(Session).where(Session.study == slug, visible(Session.project_id))
                                  .order_by(Session.started_at)).scalars())


def latest_study_sessions(slug: str, limit: int) -> list[Session]:
    """The study's ``limit`` newest sessions, newest first."""
    return list(reading().execute(select(Session).where(Session.study == slug, visible(Session.project_id))
                                  .order_by(Session.started_at.desc()).limit(limit)).scalars())


def invite_url(study: Study, participant: Participant) -> str:
    """The product URL with the study context the SDK picks up (``rd_study``, ``rd_participant``)."""
    base, hash_sign, fragment = study.product_url.partition("#")
    separator = "&" if "?" in base else "?"
    query = urlencode({"rd_study": study.slug, "rd_participant": participant.code})
    return f"{base}{separator}{query}{hash_sign}{fragment}"


def sdk_think_aloud(study: Optional[Study]) -> Optional[dict]:
    """What the widget needs to ask for a think-aloud recording, or None when the study
    records none."""
    if study is None or not study.think_aloud:
        return None
    return {"consent": study.consent_text or DEFAULT_CONSENT, "camera": study.camera}


def sdk_tasks(study: Optional[Study]) -> list[dict]:
    """The study's tasks as the SDK's task widget and the moderator's task command take them."""
    if study is None:
        return []
    return [{"task_id": t.task_key, "title": t.title, "text": t.instructions} for t in study.tasks]


def study_dict(study: Study) -> dict:
    return {
        "id": study.id, "project_id": study.project_id, "slug": study.slug, "name": study.name,
        "description": study.description, "product_url": study.product_url, "created_at": study.created_at,
        "think_aloud": study.think_aloud, "camera": study.camera, "consent_text": study.consent_text,
        "tasks": [{"task_id": t.task_key, "title": t.title, "instructions": t.instructions,
                   "success_url": t.success_url, "success_event": t.success_event} for t in study.tasks],
        "participants": [participant_dict(study, p) for p in study.participants],
    }


def participant_dict(study: Study, participant: Participant) -> dict:
    return {"code": participant.code, "label": participant.label, "invite_url": invite_url(study, participant)}
