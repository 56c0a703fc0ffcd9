"""What the session list page shows: rows with badges, and the choices of its filters."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional
from urllib.parse import urlsplit

from werkzeug.datastructures import MultiDict

from analysis import DETECTORS
from server.storage import queries
from server.storage.notes import note_counts
from server.storage.pages import exit_urls

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
    session: object  # the Session row
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


def session_rows(sessions: list, live_after: int) -> list[SessionRow]:
    """A row for each session (Session rows): its badges, variants, pages, notes and exit."""
    ids = [row.id for row in sessions]
    counts = queries.signal_counts(ids)
    variants = queries.variants_of(ids)
    pages = queries.page_counts(ids)
    notes = note_counts(ids)
    exits = exit_urls(ids)
    return [SessionRow(row, counts.get(row.id, {}), variants.get(row.id, {}), pages.get(row.id, 0), notes.get(row.id, 0),
                       row.last_received_at >= live_after, exits.get(row.id, "")) for row in sessions]


def format_duration(ms: Optional[int]) -> str:
    seconds = max(0, int(ms or 0)) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"
