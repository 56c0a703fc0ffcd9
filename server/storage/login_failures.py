"""Failed sign-ins, by subject (an account or a client address), kept for the
throttling window in the database so every server process counts the same."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import delete, select

from server.storage.models import LoginFailure
from server.storage.unit_of_work import reading, unit_of_work


def recent_failures(subjects: Iterable[str], *, since_ms: int) -> dict[str, list[int]]:
    """``{subject: [times, oldest first]}`` of failures at or after ``since_ms``."""
    wanted = list(subjects)
    rows = reading().execute(select(LoginFailure.subject, LoginFailure.at)
                             .where(LoginFailure.subject.in_(wanted), LoginFailure.at >= since_ms)
                             .order_by(LoginFailure.at)).all()
    found: dict[str, list[int]] = {subject: [] for subject in wanted}
    for subject, at in rows:
        found[subject].append(at)
    return found


def record_failure(subjects: Iterable[str], *, now_ms: int, forget_before_ms: int) -> None:
    """Count one failure against each subject; failures older than ``forget_before_ms`` go.
    :commits: the failures."""
    with unit_of_work() as db:
        db.execute(delete(LoginFailure).where(LoginFailure.at < forget_before_ms))
        db.add_all(LoginFailure(subject=subject, at=now_ms) for subject in subjects)


def forget_failures(subject: str) -> None:
    """A successful sign-in clears its account's count.
    :commits: the removal."""
    with unit_of_work() as db:
        db.execute(delete(LoginFailure).where(LoginFailure.subject == subject))
