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
    return orjson.dumps(events if isinstance(events, list) else list(events))


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
        raw = orjson.dumps(list(events[first:last]))
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
        size += len(orjson.dumps(event))
        if size >= target:
            bounds.append((first, index + 1))
            first, size = index + 1, 0
    if first < len(events):
        bounds.append((first, len(events)))
    return bounds


def train_dictionary(sessions: Sequence[Sequence[dict]]) -> Optional[bytes]:
    """Train a zstd dictionary on earlier sessions' events; None when there is too little data."""
    samples = [orjson.dumps(event) for events in sessions for event in events]
    if sum(map(len, samples)) < DICTIONARY_MIN_SAMPLE_BYTES:
        return None
    trained = zstandard.train_dictionary(
        DICTIONARY_BYTES, samples, k=DICTIONARY_COVER_K, d=DICTIONARY_COVER_D
    )
    return trained.as_bytes()
