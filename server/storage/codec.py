"""Event chunk encoding: a JSON array of events, zstd-compressed, optionally with a
project's trained dictionary. Compacted sessions are a run of such frames, each
decompressible on its own, so a reader can seek to the frame it needs."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Optional, Sequence

import orjson
import zstandard

# Batches are compressed on the request path: fast level, still ~4x smaller than JSON.
BATCH_LEVEL = 3
# Compaction runs in the background once: spend CPU for the smallest stored form.
COMPACT_LEVEL = 19
# A frame holds about this much JSON; the player's first request decodes one frame.
FRAME_RAW_BYTES = 1 << 20
# Dictionary training: size of the dictionary and the COVER parameters that proved
# stable on recordings (defaults gave erratic dictionaries on small sample sets).
DICTIONARY_BYTES = 96 * 1024
DICTIONARY_COVER_K = 200
DICTIONARY_COVER_D = 8
# zstd refuses to train on too little data; below this we keep compressing without one.
DICTIONARY_MIN_SAMPLE_BYTES = 256 * 1024
# Hard cap on what one frame may decompress to (defends reads against corrupt blobs).
MAX_FRAME_OUTPUT = 256 << 20


@dataclass(frozen=True)
class Frame:
    offset: int
    length: int
    first_ts: int
    last_ts: int
    count: int

    def as_row(self) -> list[int]:
        return [self.offset, self.length, self.first_ts, self.last_ts, self.count]

    @classmethod
    def from_row(cls, row: Sequence[int]) -> "Frame":
        return cls(*row)


# Compression contexts per thread (a context is not safe to share between threads):
# making one, and digesting a 96 KiB dictionary into it, cost more than compressing a
# batch. At most this many (level, dictionary) pairs are kept per thread.
MAX_CONTEXTS_PER_THREAD = 8
_contexts = threading.local()


def _cached(kind: str, key: tuple, make):
    cache = getattr(_contexts, kind, None)
    if cache is None or len(cache) >= MAX_CONTEXTS_PER_THREAD and key not in cache:
        cache = {}
        setattr(_contexts, kind, cache)
    context = cache.get(key)
    if context is None:
        context = cache[key] = make()
    return context


def _compressor(level: int, dictionary: Optional[bytes]) -> zstandard.ZstdCompressor:
    def make() -> zstandard.ZstdCompressor:
        dict_data = zstandard.ZstdCompressionDict(dictionary) if dictionary else None
        return zstandard.ZstdCompressor(level=level, dict_data=dict_data, write_content_size=True)

    return _cached("compressors", (level, dictionary), make)


def _decompressor(dictionary: Optional[bytes]) -> zstandard.ZstdDecompressor:
    def make() -> zstandard.ZstdDecompressor:
        return zstandard.ZstdDecompressor(dict_data=zstandard.ZstdCompressionDict(dictionary) if dictionary else None)

    return _cached("decompressors", (dictionary,), make)


def encode_events(events: Sequence[dict], *, level: int = BATCH_LEVEL, dictionary: Optional[bytes] = None) -> tuple[bytes, int]:
    """Compress events as one frame; return ``(blob, raw_json_size)``."""
    raw = dump_events(events)
    return compress_events(raw, level=level, dictionary=dictionary), len(raw)


def dump_events(events: Sequence[dict]) -> bytes:
    """The events as the JSON array a frame holds."""
    return dump_json(events if isinstance(events, list) else list(events))


# orjson writes at most this many levels of nesting (it reads up to 1024, the limit of
# an ingest body): a page's DOM nested ~120 elements deep is past it. Such values are
# written by ``_dump_deep``; subtrees at most this deep still go through orjson.
ORJSON_MAX_DEPTH = 254


def dump_json(value: object) -> bytes:
    """``value`` as compact JSON, at any depth the ingest body allowed. Of a list (a
    batch of events), only the items too deep for orjson take the slow path."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        if isinstance(value, list):
            return b"[" + b",".join(map(_dump_item, value)) + b"]"
        return _dump_deep(value)


def _dump_item(value: object) -> bytes:
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return _dump_deep(value)


def _dump_deep(value: object) -> bytes:
    """JSON of a value nested deeper than orjson writes, without recursion: the
    containers deeper than ``ORJSON_MAX_DEPTH`` are written here, level by level, and
    every shallow enough subtree by orjson. Keys keep their order, as orjson writes."""
    heights = _heights(value)
    out: list[bytes] = []
    stack: list[object] = [value]  # values to write, and the literal bytes between them
    while stack:
        item = stack.pop()
        if isinstance(item, bytes):
            out.append(item)
        elif not isinstance(item, (dict, list)) or heights[id(item)] < ORJSON_MAX_DEPTH:
            out.append(orjson.dumps(item))
        elif isinstance(item, dict):
            parts: list[object] = [b"{"]
            for index, (key, child) in enumerate(item.items()):
                parts += [b"," if index else b"", orjson.dumps(key) + b":", child]
            stack.extend(reversed(parts + [b"}"]))
        else:
            parts = [b"["]
            for index, child in enumerate(item):
                parts += [b"," if index else b"", child]
            stack.extend(reversed(parts + [b"]"]))
    return b"".join(out)


def _heights(value: object) -> dict[int, int]:
    """``{id(container): levels of nesting in it}`` for every dict and list in ``value``."""
    heights: dict[int, int] = {}
    stack: list[tuple[object, bool]] = [(value, False)]
    while stack:
        item, children_done = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        if children_done:
            heights[id(item)] = 1 + max((heights[id(c)] for c in children if isinstance(c, (dict, list))), default=0)
        elif isinstance(item, (dict, list)):
            stack.append((item, True))
            stack.extend((child, False) for child in children if isinstance(child, (dict, list)))
    return heights


def compress_events(raw: bytes, *, level: int = BATCH_LEVEL, dictionary: Optional[bytes] = None) -> bytes:
    """One frame of ``raw`` (a :func:`dump_events` array)."""
    return _compressor(level, dictionary).compress(raw)


def decode_events(blob: bytes, dictionary: Optional[bytes] = None) -> list[dict]:
    """Events of one frame, in stored order."""
    raw = _decompressor(dictionary).decompress(blob, max_output_size=MAX_FRAME_OUTPUT)
    return orjson.loads(raw)


def encode_frames(events: Sequence[dict], dictionary: Optional[bytes] = None) -> tuple[bytes, list[Frame], int]:
    """Compress a sorted event stream into seekable frames of about FRAME_RAW_BYTES.

    Returns ``(blob, frames, raw_json_size)``.
    """
    compressor = _compressor(COMPACT_LEVEL, dictionary)
    parts: list[bytes] = []
    frames: list[Frame] = []
    offset = raw_total = 0
    for first, last in _frame_bounds(events, FRAME_RAW_BYTES):
        raw = dump_json(list(events[first:last]))
        blob = compressor.compress(raw)
        frames.append(Frame(offset, len(blob), events[first]["timestamp"], events[last - 1]["timestamp"], last - first))
        parts.append(blob)
        offset += len(blob)
        raw_total += len(raw)
    return b"".join(parts), frames, raw_total


def _frame_bounds(events: Sequence[dict], target: int) -> list[tuple[int, int]]:
    """Index ranges ``[first, last)`` of about ``target`` JSON bytes each."""
    bounds: list[tuple[int, int]] = []
    first = size = 0
    for index, event in enumerate(events):
        size += len(dump_json(event))
        if size >= target:
            bounds.append((first, index + 1))
            first, size = index + 1, 0
    if first < len(events):
        bounds.append((first, len(events)))
    return bounds


def train_dictionary(sessions: Sequence[Sequence[dict]]) -> Optional[bytes]:
    """Train a zstd dictionary on earlier sessions' events; None when there is too little data."""
    samples = [dump_json(event) for events in sessions for event in events]
    if sum(map(len, samples)) < DICTIONARY_MIN_SAMPLE_BYTES:
        return None
    trained = zstandard.train_dictionary(
        DICTIONARY_BYTES, samples, k=DICTIONARY_COVER_K, d=DICTIONARY_COVER_D
    )
    return trained.as_bytes()
