"""Compaction on the real dev corpus: streams unchanged, seekable frames, and the
stored size target (≤ 0.45 × gzip-6 of the session JSON) with a trained dictionary."""
from __future__ import annotations

import gzip

import orjson
import pytest
from sqlalchemy import select

from server.storage.database import db
from server.jobs.compact import compact_idle_sessions
from server.runtime import current_runtime
from server.storage.codec import decode_events
from server.storage.events import read_all_events
from server.storage.ingest import store_batch
from server.storage.models import CompressionDictionary, EventChunk, Session
from server.storage.transfer import read_recording, recording_batches
from server.storage.models import Project
from tests.factories import make_project

TRAINING_SESSIONS = 8


def _import(project, paths) -> dict[str, list[dict]]:
    runtime = current_runtime()
    originals = {}
    for path in paths:
        recording = read_recording(path)
        for batch in recording_batches(recording):
            store_batch(project.id, batch, now_ms=runtime.now_ms(), analysis_due_at=0,
                        dictionary=runtime.dictionaries.latest(project.id))
        originals[recording.session_id] = recording.events
    return originals


def _gzip6_size(events) -> int:
    return len(gzip.compress(orjson.dumps(events), 6))


@pytest.mark.slow
def test_corpus_compacts_below_target_and_streams_are_unchanged(app_ctx, corpus_files):
    project = _project(app_ctx)
    runtime = current_runtime()
    first = _import(project, corpus_files[:TRAINING_SESSIONS])
    compact_idle_sessions(runtime, everything=True)
    dictionary = db.session.execute(select(CompressionDictionary)).scalar_one()
    assert dictionary.trained_on_sessions == TRAINING_SESSIONS

    later = _import(project, corpus_files[TRAINING_SESSIONS:])
    compact_idle_sessions(runtime, everything=True)

    for session_id, events in {**first, **later}.items():
        assert read_all_events(runtime.blobs, runtime.dictionaries, session_id) == events
    chunks = db.session.execute(select(EventChunk)).scalars().all()
    assert {c.form for c in chunks} == {"compact"} and all(c.dictionary_id == dictionary.id for c in chunks)

    stored = sum(db.session.get(Session, sid).stored_bytes for sid in later)
    gzip6 = sum(_gzip6_size(events) for events in later.values())
    assert stored <= 0.45 * gzip6, f"stored/gzip6 = {stored / gzip6:.3f} on sessions the dictionary never saw"


def test_frames_decode_on_their_own(app_ctx, corpus_files):
    project = _project(app_ctx)
    runtime = current_runtime()
    originals = _import(project, corpus_files[-1:])  # the long session
    compact_idle_sessions(runtime, everything=True)
    chunk = db.session.execute(select(EventChunk)).scalar_one()
    assert chunk.form == "compact" and chunk.frames
    offset, length, first_ts, last_ts, count = chunk.frames[0]
    frame_events = decode_events(runtime.blobs.get(chunk.blob_key, offset, length))
    assert len(frame_events) == count
    assert (frame_events[0]["timestamp"], frame_events[-1]["timestamp"]) == (first_ts, last_ts)
    assert frame_events == list(originals.values())[0][:count]


def test_idle_time_decides_what_is_compacted(app_ctx, corpus_files):
    project = _project(app_ctx)
    runtime = current_runtime()
    _import(project, corpus_files[:1])
    assert compact_idle_sessions(runtime) == []  # just received: not idle yet
    assert len(compact_idle_sessions(runtime, everything=True)) == 1
    assert compact_idle_sessions(runtime, everything=True) == []  # nothing new since


def _project(app) -> Project:
    """A project row in the test's own app context (storage-level tests run inside one)."""
    return db.session.get(Project, make_project(app).id)
