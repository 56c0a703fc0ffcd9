"""Reading a session's event stream back, in order: by timestamp, then arrival.

A session's events sit in *sources*: the frames of its compacted blob (which hold
everything that arrived before compaction, already in order) and the batch chunks
that arrived since (each sorted by timestamp, stable). ``heapq.merge`` keeps ties
in the order of its inputs, so feeding sources in arrival order yields exactly
"timestamp, then arrival".

A cursor is ``"<ts>.<n>"``: resume at the n-th event with timestamp ``ts``. Events
arriving later sort after earlier ones with the same timestamp, so a cursor stays
valid while a live session grows.
"""
from __future__ import annotations

import heapq
import math
import re
from dataclasses import dataclass
from operator import itemgetter
from typing import Callable, Iterator, Optional

from sqlalchemy import select

from server.storage.blobs import BlobStore
from server.storage.codec import Frame, decode_events
from server.storage.dictionaries import DictionaryCache
from server.storage.errors import InvalidInput
from server.storage.models import EventChunk
from server.storage.unit_of_work import reading

_CURSOR = re.compile(r"(\d{1,16})\.(\d{1,9})")


@dataclass(frozen=True)
class Cursor:
    ts: int
    skip: int  # events with timestamp ``ts`` already delivered

    def __str__(self) -> str:
        return f"{self.ts}.{self.skip}"

    @classmethod
    def parse(cls, text: str) -> "Cursor":
        """:raise InvalidInput: for anything but ``<ts>.<n>``."""
        match = _CURSOR.fullmatch(text or "")
        if not match:
            raise InvalidInput(f"invalid cursor {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class Source:
    rank: tuple[int, int, int]  # arrival order: compacted frames first, then chunks by id
    first_ts: int
    last_ts: int
    load: Callable[[], list[dict]]


def list_sources(blobs: BlobStore, dictionaries: DictionaryCache, session_id: str) -> list[Source]:
    """Where a session's events sit, unloaded (none for an unknown session)."""
    db = reading()
    chunks = db.execute(select(EventChunk).where(EventChunk.session_id == session_id)).scalars().all()
    sources: list[Source] = []
    for chunk in chunks:
        dictionary = dictionaries.get(chunk.dictionary_id)
        if chunk.form == "compact":
            for index, row in enumerate(chunk.frames or []):
                frame = Frame.from_row(row)
                sources.append(Source((0, chunk.id, index), frame.first_ts, frame.last_ts,
                                      _loader(blobs, chunk.blob_key, dictionary, frame.offset, frame.length)))
        else:
            sources.append(Source((1, chunk.id, 0), chunk.first_ts, chunk.last_ts,
                                  _loader(blobs, chunk.blob_key, dictionary)))
    return sources


def _loader(blobs: BlobStore, key: str, dictionary: Optional[bytes], start: int = 0, length: Optional[int] = None):
    return lambda: decode_events(blobs.get(key, start, length), dictionary)


def merge_sources(loaded: list[tuple[Source, list[dict]]]) -> Iterator[dict]:
    ordered = sorted(loaded, key=lambda pair: pair[0].rank)
    return heapq.merge(*(events for _, events in ordered), key=itemgetter("timestamp"))


def _after(events: Iterator[dict], cursor: Optional[Cursor]) -> Iterator[dict]:
    if cursor is None:
        yield from events
        return
    same_ts_seen = 0
    for event in events:
        ts = event["timestamp"]
        if ts < cursor.ts:
            continue
        if ts == cursor.ts and same_ts_seen < cursor.skip:
            same_ts_seen += 1
            continue
        yield event


@dataclass(frozen=True)
class Page:
    events: list[dict]
    cursor: Optional[Cursor]  # resume point after the last event (poll it on a live session)
    has_more: bool  # more events are stored beyond this page


def read_events(sources: list[Source], after: Optional[Cursor] = None, limit: Optional[int] = None) -> Page:
    """Events after ``after`` in stream order, at most ``limit`` of them.

    Loads sources in order of their first timestamp and stops as soon as the page is
    settled (no unloaded source can hold an earlier event).
    """
    pending = sorted((s for s in sources if after is None or s.last_ts >= after.ts), key=lambda s: s.first_ts)
    loaded: list[tuple[Source, list[dict]]] = []
    for index, source in enumerate(pending):
        loaded.append((source, source.load()))
        bound = pending[index + 1].first_ts if index + 1 < len(pending) else math.inf
        if limit is not None:
            page = _take_settled(merge_sources(loaded), after, limit, bound)
            if page is not None:
                return Page(page, _next_cursor(page, after), has_more=True)
    events = list(_after(merge_sources(loaded), after))
    has_more = limit is not None and len(events) > limit
    page = events[:limit] if has_more else events
    return Page(page, _next_cursor(page, after), has_more)


def _take_settled(merged: Iterator[dict], after: Optional[Cursor], limit: int, bound: float) -> Optional[list[dict]]:
    """``limit + 1`` settled events exist (ts strictly before ``bound``): return ``limit``."""
    page: list[dict] = []
    for event in _after(merged, after):
        if event["timestamp"] >= bound:
            return None
        page.append(event)
        if len(page) > limit:
            return page[:limit]
    return None


def _next_cursor(page: list[dict], after: Optional[Cursor]) -> Optional[Cursor]:
    if not page:
        return after
    last_ts = page[-1]["timestamp"]
    same = sum(1 for event in page if event["timestamp"] == last_ts)
    if after is not None and after.ts == last_ts:
        same += after.skip
    return Cursor(last_ts, same)


def read_all_events(blobs: BlobStore, dictionaries: DictionaryCache, session_id: str) -> list[dict]:
    """The whole stored stream of a session, in order (empty for an unknown session)."""
    return read_events(list_sources(blobs, dictionaries, session_id)).events
