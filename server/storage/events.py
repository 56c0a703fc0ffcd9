"""Reading a session's event stream back, in order: by timestamp, then arrival.

A session's events sit in *sources*: the frames of its compacted blob (which hold
everything that arrived before compaction, already in order) and the batch chunks
that arrived since (each sorted by timestamp, stable). ``heapq.merge`` keeps ties
in the order of its inputs, so feeding sources in arrival order yields exactly
"timestamp, then arrival".

Within one read, a ``Cursor`` ``(ts, n)`` resumes at the n-th event with timestamp
``ts``. A reader that follows a live session across requests uses a ``FollowCursor``
instead (``follow_events``): a batch may arrive late, after newer ones, with older
timestamps, and a timestamp cursor would skip it. The follow cursor also remembers
which chunks (by id: a session's chunk ids grow in commit order) it has read, and
delivers chunks that arrived since after the rest of what it was reading.
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
from server.storage.errors import ExpiredError, InvalidInput
from server.storage.models import EventChunk
from server.storage.unit_of_work import reading

_CURSOR = re.compile(r"(\d{1,16})\.(\d{1,9})")
_FOLLOW_CURSOR = re.compile(r"(\d{1,19})\.(\d{1,19})\.(\d{1,16})\.(\d{1,9})")


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


@dataclass(frozen=True)
class FollowCursor:
    """``"<done>.<reading>.<ts>.<n>"``: every chunk with id <= ``done`` is delivered;
    of the chunks with ids in (``done``, ``reading``], the events up to ``(ts, n)`` of
    their merged stream; chunks above ``reading`` had not arrived."""

    done: int
    reading: int
    ts: int = 0
    skip: int = 0

    def __str__(self) -> str:
        return f"{self.done}.{self.reading}.{self.ts}.{self.skip}"

    @classmethod
    def parse(cls, text: str) -> "FollowCursor":
        """:raise InvalidInput: for anything this server did not issue.
        :raise ExpiredError: for a cursor of the earlier ``<ts>.<n>`` form."""
        match = _FOLLOW_CURSOR.fullmatch(text or "")
        if match and int(match.group(1)) <= int(match.group(2)):
            return cls(*map(int, match.groups()))
        if _CURSOR.fullmatch(text or ""):
            raise ExpiredError(CURSOR_EXPIRED)
        raise InvalidInput(f"invalid cursor {text!r}: pass the X-Replaydesk-Cursor header of an earlier answer")


CURSOR_EXPIRED = ("This cursor no longer applies: the session's events were rewritten (compacted) since it was "
                  "issued. Read the events again from the start, without 'after'.")


def follow_events(sources: list[Source], after: Optional[FollowCursor] = None,
                  limit: Optional[int] = None) -> tuple[Page, FollowCursor]:
    """Events after ``after``, at most ``limit``, and the cursor after them. Without a
    cursor, the stream in order (timestamp, then arrival); a follower then gets the rest
    of what it was reading, then what arrived since (each part in that order), so a
    batch that arrives late is delivered late, never skipped.

    :raise ExpiredError: when compaction merged chunks the cursor had read with others
        it had not (the reader must start again).
    """
    after = after or FollowCursor(0, 0)
    reading, arrived = [], []
    for source in sources:
        chunk_id, compacted = source.rank[1], source.rank[0] == 0
        if chunk_id <= after.done:
            continue
        if compacted and not (after.done == 0 and (after.reading == 0 or chunk_id <= after.reading)):
            raise ExpiredError(CURSOR_EXPIRED)  # it holds events delivered and others not, mixed
        (reading if chunk_id <= after.reading else arrived).append(source)
    first = read_events(reading, Cursor(after.ts, after.skip), limit)
    if first.has_more:
        return first, FollowCursor(after.done, after.reading, first.cursor.ts, first.cursor.skip)
    left = None if limit is None else limit - len(first.events)
    newest = max((source.rank[1] for source in arrived), default=after.reading)
    if left == 0:
        return Page(first.events, None, bool(arrived)), FollowCursor(after.reading, after.reading)
    rest = read_events(arrived, None, left)
    page = Page(first.events + rest.events, None, rest.has_more)
    if rest.has_more:
        return page, FollowCursor(after.reading, newest, rest.cursor.ts, rest.cursor.skip)
    return page, FollowCursor(newest, newest)


def read_all_events(blobs: BlobStore, dictionaries: DictionaryCache, session_id: str) -> list[dict]:
    """The whole stored stream of a session, in order (empty for an unknown session)."""
    return read_events(list_sources(blobs, dictionaries, session_id)).events


def read_events_where(blobs: BlobStore, dictionaries: DictionaryCache, session_id: str,
                      keep: Callable[[dict], bool]) -> list[dict]:
    """The events of a session that ``keep`` accepts, in stream order (empty for an
    unknown session). Sources are loaded one at a time and only what is kept stays in
    memory: the console and network entries of a session, not its DOM."""
    kept = [(source, [event for event in source.load() if keep(event)])
            for source in list_sources(blobs, dictionaries, session_id)]
    return list(merge_sources(kept))
