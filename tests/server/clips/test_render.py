"""A highlight reel rendered for real by the job runner: Debian's Chromium plays a
dev-corpus session through a short-lived share link, ffmpeg encodes a GIF, the bytes go
to the blob store, and the links are revoked afterwards; a recording with nothing to show
fails with the reason on the clip. Low fps to keep it short.

Rendering does not depend on the database, so this runs on SQLite only (the storage
tests cover clips on PostgreSQL)."""
from __future__ import annotations

import io
import json
import shutil
import subprocess

import pytest
from PIL import Image, ImageChops, ImageStat

from server.clips.job import run_due_clips
from server.jobs.worker import run_pass
from server.runtime import current_runtime
from server.storage import shares
from server.storage.schedule import ANALYZE, mark_due
from server.storage.transfer import read_recording, recording_batches, store_recording
from tests.conftest import CORPUS_DIR
from tests.factories import T0, click_event, make_project, make_session, meta_event

FPS = 2


@pytest.fixture
def database_url(tmp_path, sqlite_template) -> str:
    path = tmp_path / "replaydesk.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def recorded(app):
    """The coupon rager's session (53 s), stored like an import; (project id, session id)."""
    project = make_project(app, "shop")
    with app.app_context():
        runtime = current_runtime()
        batches = recording_batches(read_recording(CORPUS_DIR / "shop-04-coupon_rager_buys.json.gz"))
        store_recording(runtime.blobs, runtime.dictionaries, project.id, batches, clock=runtime.now_ms)
    return project.id, batches[0].session_id


def probe(data: bytes, tmp_path) -> dict:
    path = tmp_path / "probe.bin"
    path.write_bytes(data)
    out = subprocess.run(["ffprobe", "-v", "error", "-count_frames", "-show_entries",
                          "stream=codec_name,width,height,nb_read_frames:format=duration", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    found = json.loads(out)
    return {**found["streams"][0], "duration": float(found["format"]["duration"])}


def frame_png(data: bytes, index: int, tmp_path) -> Image.Image:
    path = tmp_path / "reel.gif"
    path.write_bytes(data)
    png = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-vf", f"select=eq(n\\,{index})", "-frames:v", "1",
                          "-f", "image2pipe", "-c:v", "png", "-"], capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_a_highlight_reel_renders_each_note_with_its_caption(app, client, bearer, recorded, tmp_path):
    project_id, session = recorded
    notes = [client.post(f"/api/v1/sessions/{session}/annotations", headers=bearer,
                         json={"ts": ts, "text": text}).get_json()["id"]
             for ts, text in ((9_000, "Adds to cart"), (30_000, "Rage on the coupon field"))]
    finding = client.post("/api/v1/findings", headers=bearer, json={"title": "Coupon", "evidence": notes}).get_json()
    reel = client.post(f"/api/v1/findings/{finding['id']}/clips", headers=bearer, json={"format": "gif", "fps": FPS})
    assert reel.status_code == 202
    with app.app_context():
        assert run_due_clips(current_runtime()) == 1
        current_runtime().jobs.wait_for_long_jobs(timeout=120)  # renders run in a lane of their own
        assert shares.live_shares(project_id, now_ms=current_runtime().now_ms()) == []  # the render's links ended

    done = client.get(f"/api/v1/clips/{reel.get_json()['id']}", headers=bearer).get_json()
    assert (done["state"], done["progress"], done["error"]) == ("done", 1.0, None), done
    video = client.get(f"/api/v1/clips/{done['id']}/file", headers=bearer)
    assert video.status_code == 200 and video.data[:6] == b"GIF89a" and len(video.data) == done["size"]
    facts = probe(video.data, tmp_path)
    assert (facts["codec_name"], facts["width"], facts["height"]) == ("gif", done["width"], done["height"])
    assert int(facts["nb_read_frames"]) == 2 * 8 * FPS and facts["duration"] == pytest.approx(16, abs=0.2)

    first, second = frame_png(video.data, 0, tmp_path), frame_png(video.data, 8 * FPS, tmp_path)
    replay = (0, 0, done["width"], done["height"] - 40)
    assert ImageStat.Stat(first.crop(replay).convert("L")).stddev[0] > 20  # a page, not a blank frame
    band = (0, done["height"] - 28, done["width"], done["height"])
    difference = ImageChops.difference(first.crop(band), second.crop(band)).convert("L")
    assert sum(difference.histogram()[16:]) > 500  # pixels that differ: another note, another caption (and time)


def test_a_clip_that_cannot_render_fails_saying_why(app, client, bearer):
    project = make_project(app, "bare")
    session = make_session(app, project, events=[meta_event(T0), click_event(T0 + 5_000)])  # no page snapshot
    asked = client.post(f"/api/v1/sessions/{session}/clips", headers=bearer, json={"to": "0:02", "fps": 2})
    with app.app_context():
        assert run_due_clips(current_runtime()) == 1  # it ran (and failed)
        current_runtime().jobs.wait_for_long_jobs(timeout=120)
        assert shares.live_shares(project.id, now_ms=current_runtime().now_ms()) == []
    failed = client.get(f"/api/v1/clips/{asked.get_json()['id']}", headers=bearer).get_json()
    assert failed["state"] == "failed" and failed["url"] is None
    assert failed["error"] == ("The replay did not load: Nothing to replay here: the recording has no snapshot of "
                               "the page in this range.")
    assert client.get(f"/api/v1/clips/{failed['id']}/file", headers=bearer).status_code == 409


def test_analysis_goes_on_while_a_clip_renders(app, client, bearer, recorded):
    """In the server's own worker a render runs in a lane of its own: a background pass
    during the render analyses a due session at once instead of waiting minutes."""
    project_id, session = recorded
    asked = client.post(f"/api/v1/sessions/{session}/clips", headers=bearer, json={"to": "0:20", "fps": FPS})
    other = make_session(app, make_project(app, "other"), events=[meta_event(T0), click_event(T0 + 500)])
    with app.app_context():
        runtime = current_runtime()
        assert run_due_clips(runtime) == 1
        assert runtime.jobs.room(1, "render_clip") == 0  # one render at a time
        mark_due(ANALYZE, [other], at_ms=runtime.now_ms())
        run_pass(compact=False)
        state = client.get(f"/api/v1/clips/{asked.get_json()['id']}", headers=bearer).get_json()["state"]
        analysed = client.get(f"/api/v1/sessions/{other}", headers=bearer).get_json()["analysis"]["status"]
        runtime.jobs.wait_for_long_jobs(timeout=120)
    assert (analysed, state) == ("done", "rendering")
    assert client.get(f"/api/v1/clips/{asked.get_json()['id']}", headers=bearer).get_json()["state"] == "done"
