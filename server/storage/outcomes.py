"""What sessions achieved, as ingest and analysis stored it: the pages they visited,
their custom-event and task marks, their signals and their participants' answers. Reports compute from these rows."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from sqlalchemy import select

from server.storage.models import SessionAnswer, SessionMark, SessionPage, Signal
from server.storage.unit_of_work import reading


@dataclass(frozen=True)
class OutcomeRows:
    pages: list[tuple[str, int, str]]  # (session_id, ts, url)
    marks: list[tuple[str, str, str, str, int]]  # (session_id, kind, name, status, ts)
    signals: list[tuple[str, str, int]]  # (session_id, kind, ts)
    answers: list[tuple[str, str, str | None, str, int]] = ()  # (session_id, question, task_id, value, ts)


def outcome_rows(session_ids: Sequence[str]) -> OutcomeRows:
    """The page visits, marks and signals of these sessions."""
    if not session_ids:
        return OutcomeRows([], [], [], [])
    db = reading()
    pages = db.execute(select(SessionPage.session_id, SessionPage.ts, SessionPage.url)
                       .where(SessionPage.session_id.in_(session_ids))).all()
    marks = db.execute(select(SessionMark.session_id, SessionMark.kind, SessionMark.name, SessionMark.status,
                              SessionMark.ts).where(SessionMark.session_id.in_(session_ids))).all()
    signals = db.execute(select(Signal.session_id, Signal.kind, Signal.ts)
                         .where(Signal.session_id.in_(session_ids))).all()
    answers = db.execute(select(SessionAnswer.session_id, SessionAnswer.question, SessionAnswer.task_id,
                                SessionAnswer.value, SessionAnswer.ts)
                         .where(SessionAnswer.session_id.in_(session_ids)).order_by(SessionAnswer.ts, SessionAnswer.id)).all()
    return OutcomeRows([tuple(r) for r in pages], [tuple(r) for r in marks], [tuple(r) for r in signals],
                       [tuple(r) for r in answers])
