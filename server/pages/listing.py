"""What the session list page shows: rows with badges, and the choices of its filters."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional
from urllib.parse import urlencode, urlsplit

from werkzeug.datastructures import MultiDict

from analysis import DETECTORS
from analysis.devices import DeviceInfo, describe_device
from server.storage import queries
from server.storage.notes import note_counts
from server.storage.pages import exit_urls
from server.storage.watches import watched_at

# Shown first in the filter and on rows, in this order; other kinds follow by name.
PRIMARY_KINDS = ("rage_click", "dead_click", "error_click", "quick_back", "dead_end")
DURATION_CHOICES = (("", "Any length"), ("10s", "10 s or longer"), ("30s", "30 s or longer"), ("1m", "1 min or longer"),
                    ("5m", "5 min or longer"), ("15m", "15 min or longer"))
SORT_CHOICES = (("-started_at", "Newest"), ("-frustration", "Most frustrated"), ("-duration", "Longest"))
WATCHED_CHOICES = (("", "Watched or not"), ("0", "Not watched by me"), ("1", "Watched by me"))
DEVICE_LABELS = {"mobile": "Mobile", "tablet": "Tablet", "desktop": "Desktop"}


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
    device: DeviceInfo
    participant_label: str  # what the study calls its participant ("" without one)
    watched_at: Optional[int]  # when the asking reviewer last opened it; None: never

    @property
    def device_label(self) -> str:
        return DEVICE_LABELS.get(self.device.device_class or "", "Unknown device")

    @property
    def viewport(self) -> str:
        width, height = self.session.viewport_w, self.session.viewport_h
        return f"{width}×{height}" if width and height else ""

    @property
    def badges(self) -> list[tuple[str, int]]:
        order = {kind: n for n, kind in enumerate(signal_kinds())}
        return sorted(self.signal_counts.items(), key=lambda item: order.get(item[0], 99))


def session_rows(sessions: list, live_after: int, watcher: Optional[int]) -> list[SessionRow]:
    """A row for each session (Session rows): its badges, variants, pages, notes, exit,
    device, participant label, and whether the reviewer ``watcher`` (a user id) watched it."""
    ids = [row.id for row in sessions]
    counts = queries.signal_counts(ids)
    variants = queries.variants_of(ids)
    pages = queries.page_counts(ids)
    notes = note_counts(ids)
    exits = exit_urls(ids)
    labels = queries.participant_labels(sessions)
    watched = watched_at(watcher, ids) if watcher is not None else {}
    return [SessionRow(row, counts.get(row.id, {}), variants.get(row.id, {}), pages.get(row.id, 0), notes.get(row.id, 0),
                       row.last_received_at >= live_after, exits.get(row.id, ""),
                       describe_device(row.viewport_w, row.user_agent), labels.get(row.id, ""), watched.get(row.id))
            for row in sessions]


# Query parameters that only arrange or page the list: the rest narrow it.
_NOT_FILTERS = {"sort", "cursor", "project"}


def is_filtered(args: MultiDict) -> bool:
    """Whether the list is narrowed by any filter (an empty list then says "widen the filters")."""
    return any(value for name, value in args.items(multi=True) if name not in _NOT_FILTERS)


def view_query(args: MultiDict) -> str:
    """The list's filters and sort as a saved view keeps them: no cursor, no empty field."""
    return urlencode([(name, value) for name, value in args.items(multi=True) if value and name != "cursor"])


def optional_columns(rows: list[SessionRow]) -> set[str]:
    """The columns worth their width on this page: a variant or participant column only
    when a row has one, so the table fits 1280 px."""
    shown = set()
    if any(row.variants for row in rows):
        shown.add("variant")
    if any(row.session.participant for row in rows):
        shown.add("participant")
    return shown


def format_duration(ms: Optional[int]) -> str:
    seconds = max(0, int(ms or 0)) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"
