"""Video clip rows: a render's lease and attempts, its progress, and its bytes going with
any session it shows (a reel shows several) and with purge, before its rows."""
from __future__ import annotations

import pytest

from server.runtime import current_runtime
from server.storage import clips
from server.storage.clips import Segment
from server.storage.errors import NotFoundError
from server.storage.removal import delete_session, purge_sessions
from tests.factories import T0, click_event, make_project, make_session, meta_event

LEASE = 60_000


@pytest.fixture
def two_sessions(app):
    project = make_project(app, "clips")
    events = [meta_event(T0), click_event(T0 + 20_000)]
    return project, make_session(app, project, events=events), make_session(app, project, events=events)


def _render(clip_id: int, data: bytes = b"video") -> None:
    """What the render job does once the video is made."""
    key = clips.blob_key(clip_id, "mp4")
    current_runtime().blobs.put(key, data)
    assert clips.finish_clip(clip_id, key=key, size=len(data), width=640, height=400, now_ms=T0)


def test_a_clip_is_leased_once_tried_again_when_its_lease_ends_and_fails_after_its_attempts(app_ctx, two_sessions):
    project, first, _ = two_sessions
    clip = clips.create_clip(project.id, [Segment(first, 1000, 9000)], fmt="mp4", fps=10, created_by="me", now_ms=T0)
    assert (clip.state, clip.duration_ms, clip.due_at) == ("queued", 8000, T0)
    assert clips.claim_due_clips(now_ms=T0, lease_ms=LEASE, limit=5, max_attempts=2) == [str(clip.id)]
    assert clips.claim_due_clips(now_ms=T0 + 1, lease_ms=LEASE, limit=5, max_attempts=2) == []  # leased
    assert clips.clip_to_render(clip.id).segments == [Segment(first, 1000, 9000, "")]
    assert clips.claim_due_clips(now_ms=T0 + LEASE, lease_ms=LEASE, limit=5, max_attempts=2) == [str(clip.id)]
    assert clips.claim_due_clips(now_ms=T0 + 2 * LEASE, lease_ms=LEASE, limit=5, max_attempts=2) == []
    failed = clips.get_clip(clip.id)
    assert (failed.state, failed.due_at, failed.attempts) == ("failed", None, 2)
    assert "stopped 2 times" in failed.error
    assert clips.clip_to_render(clip.id) is None


def test_progress_only_grows_while_rendering_and_done_sets_it_to_one(app_ctx, two_sessions):
    project, first, _ = two_sessions
    clip = clips.create_clip(project.id, [Segment(first, 0, 2000)], fmt="gif", fps=5, created_by="me", now_ms=T0)
    clips.record_progress(clip.id, 0.5)
    assert clips.get_clip(clip.id).progress == 0.0  # still queued
    clips.claim_due_clips(now_ms=T0, lease_ms=LEASE, limit=1, max_attempts=2)
    clips.record_progress(clip.id, 0.5)
    clips.record_progress(clip.id, 0.25)
    assert clips.get_clip(clip.id).progress == 0.5
    _render(clip.id)
    done = clips.get_clip(clip.id)
    assert (done.state, done.progress, done.size, done.due_at) == ("done", 1.0, 5, None)
    assert done.blob_key == f"clips/{clip.id}.mp4"


def test_a_clip_of_a_missing_session_is_refused(app_ctx, two_sessions):
    project, _, _ = two_sessions
    with pytest.raises(NotFoundError, match="No session"):
        clips.create_clip(project.id, [Segment("no-such-session", 0, 1000)], fmt="mp4", fps=10, created_by="me",
                          now_ms=T0)
    assert clips.claim_due_clips(now_ms=T0, lease_ms=LEASE, limit=5, max_attempts=2) == []


def test_deleting_a_session_takes_every_clip_that_shows_it_bytes_first(app, app_ctx, two_sessions):
    project, first, second = two_sessions
    alone = clips.create_clip(project.id, [Segment(second, 0, 1000)], fmt="mp4", fps=10, created_by="me",
                              now_ms=T0).id
    reel = clips.create_clip(project.id, [Segment(second, 0, 1000, "a"), Segment(first, 0, 1000, "b")], fmt="mp4",
                             fps=10, created_by="me", now_ms=T0).id
    other = clips.create_clip(project.id, [Segment(first, 0, 1000)], fmt="mp4", fps=10, created_by="me", now_ms=T0).id
    claimed = clips.claim_due_clips(now_ms=T0, lease_ms=LEASE, limit=5, max_attempts=2)
    assert claimed == [str(alone), str(reel), str(other)]
    for clip_id in (alone, reel, other):
        _render(clip_id)
    blobs = current_runtime().blobs
    delete_session(blobs, second)
    assert sorted(blobs.iter_keys(clips.BLOB_PREFIX)) == [f"clips/{other}.mp4"]
    for gone in (alone, reel):
        with pytest.raises(NotFoundError):
            clips.get_clip(gone)
    assert clips.get_clip(other).state == "done"
    assert purge_sessions(blobs, received_before_ms=T0 + 1) == 1
    assert list(blobs.iter_keys(clips.BLOB_PREFIX)) == []


def test_a_render_that_ends_after_its_session_went_is_not_kept(app, app_ctx, two_sessions):
    project, first, _ = two_sessions
    clip = clips.create_clip(project.id, [Segment(first, 0, 1000)], fmt="mp4", fps=10, created_by="me", now_ms=T0).id
    clips.claim_due_clips(now_ms=T0, lease_ms=LEASE, limit=5, max_attempts=2)
    delete_session(current_runtime().blobs, first)
    assert clips.finish_clip(clip, key="clips/x.mp4", size=1, width=1, height=1, now_ms=T0) is False


def test_purge_takes_clips_made_before_the_cutoff(app, app_ctx, two_sessions):
    project, first, _ = two_sessions
    old = clips.create_clip(project.id, [Segment(first, 0, 1000)], fmt="mp4", fps=10, created_by="me", now_ms=T0).id
    new = clips.create_clip(project.id, [Segment(first, 0, 1000)], fmt="mp4", fps=10, created_by="me",
                            now_ms=T0 + 10_000).id
    clips.claim_due_clips(now_ms=T0 + 10_000, lease_ms=LEASE, limit=5, max_attempts=2)
    _render(old)
    _render(new)
    blobs = current_runtime().blobs
    assert clips.purge_clips(blobs, created_before_ms=T0 + 5_000) == 1
    assert list(blobs.iter_keys(clips.BLOB_PREFIX)) == [f"clips/{new}.mp4"]
    assert clips.get_clip(new).state == "done"
