"""What the session list page shows: rows with badges, and the choices of its filters."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession
from werkzeug.datastructures import MultiDict

from analysis import DETECTORS
from server.storage import queries
from server.storage.models import Annotation, Session, SessionPage, SessionVariant

# Shown first in the filter and on rows, in this order; other kinds follow by name.
PRIMARY_KINDS = ("rage_click", "dead_click", "error_click", "quick_back", "dead_end")
DURATION_CHOICES = (("", "Any length"), ("10s", "10 s or longer"), ("30s", "30 s or longer"), ("1m", "1 min or longer"),
                    ("5m", "5 min or longer"), ("15m", "15 min or longer"))
SORT_CHOICES = (("-started_at", "Newest"), ("-frustration", "Most frustrated"), ("-duration", "Longest"))


def signal_kinds() -> list[str]:
    return list(PRIMARY_KINDS) + sorted(kind for kind in DETECTORS if kind not in PRIMARY_KINDS)


def kind_label(kind: str) -> str:
    return kind.replace("_", " ").capitalize()


def short_url(url: str) -> str:
    """Path and query of a URL: the part that tells pages of one product apart."""
    parts = urlsplit(url or "")
    if not parts.scheme:
        return url or "—"
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def with_inclusive_until(args: MultiDict) -> MultiDict:
    """A date-only ``until`` from the form means "through that day"."""
    until = args.get("until", "")
    if len(until) != 10:
        return args
    try:
        day = datetime.fromisoformat(until)
    except ValueError:
        return args  # the shared parser reports it
    copy = args.copy()
    copy["until"] = (day + timedelta(days=1)).date().isoformat()
    return copy


@dataclass(frozen=True)
class SessionRow:
    session: Session
    signal_counts: dict[str, int]
    variants: dict[str, str]
    pages: int
    notes: int
    live: bool
    exit_url: str  # the last page, so a row reads "entry → exit"

    @property
    def badges(self) -> list[tuple[str, int]]:
        order = {kind: n for n, kind in enumerate(signal_kinds())}
        return sorted(self.signal_counts.items(), key=lambda item: order.get(item[0], 99))


def note_counts(db: OrmSession, session_ids: list[str]) -> dict[str, int]:
    if not session_ids:
        return {}
    rows = db.execute(select(Annotation.session_id, func.count()).where(Annotation.session_id.in_(session_ids))
                      .group_by(Annotation.session_id)).all()
    return dict(rows)


def session_rows(db: OrmSession, sessions: list[Session], live_after: int) -> list[SessionRow]:
    ids = [row.id for row in sessions]
    counts = queries.signal_counts(db, ids)
    variants = queries.variants_of(db, ids)
    pages = queries.page_urls_of(db, ids)
    notes = note_counts(db, ids)
    exits = exit_urls(db, ids)
    return [SessionRow(row, counts.get(row.id, {}), variants.get(row.id, {}), pages.get(row.id, 0), notes.get(row.id, 0),
                       row.last_received_at >= live_after, exits.get(row.id, "")) for row in sessions]


def exit_urls(db: OrmSession, session_ids: list[str]) -> dict[str, str]:
    """The URL of each session's last navigation."""
    if not session_ids:
        return {}
    last = (select(SessionPage.session_id, func.max(SessionPage.ts).label("ts"))
            .where(SessionPage.session_id.in_(session_ids)).group_by(SessionPage.session_id).subquery())
    rows = db.execute(select(SessionPage.session_id, SessionPage.url).join(
        last, (SessionPage.session_id == last.c.session_id) & (SessionPage.ts == last.c.ts))).all()
    return dict(rows)


def variant_choices(db: OrmSession) -> list[str]:
    rows = db.execute(select(SessionVariant.experiment, SessionVariant.variant).distinct()
                      .order_by(SessionVariant.experiment, SessionVariant.variant)).all()
    return [f"{experiment}:{variant}" for experiment, variant in rows]


def study_choices(db: OrmSession) -> list[str]:
    return list(db.execute(select(Session.study).distinct().where(Session.study.is_not(None)).order_by(Session.study)).scalars())


def format_duration(ms: Optional[int]) -> str:
    seconds = max(0, int(ms or 0)) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"
