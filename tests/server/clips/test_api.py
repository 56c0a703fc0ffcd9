"""The clip routes without rendering: what a member asks for is queued (202) with its
state and progress, bad input answers 400 naming it and stores nothing, the video
answers 409 until it is rendered, and the share page has a clip mode for the renderer."""
from __future__ import annotations

import pytest

from server.runtime import current_runtime
from server.storage import clips
from tests.factories import T0, click_event, make_project, make_session, meta_event

LONG_MS = 150_000


@pytest.fixture
def session(app):
    """A session of 2.5 minutes (longer than a clip may be)."""
    project = make_project(app)
    return make_session(app, project, events=[meta_event(T0), click_event(T0 + 20_000), click_event(T0 + LONG_MS)])


def nothing_queued(app) -> bool:
    with app.app_context():
        return clips.claim_due_clips(now_ms=T0 * 2, lease_ms=1, limit=100, max_attempts=5) == []


def test_a_member_queues_a_clip_and_reads_its_state(client, bearer, session):
    answer = client.post(f"/api/v1/sessions/{session}/clips", headers=bearer,
                         json={"from": "0:17", "to": 25_000, "format": "webm", "caption": " Coupon  rage "})
    assert answer.status_code == 202, answer.get_json()
    clip = answer.get_json()
    assert answer.headers["Location"] == f"/api/v1/clips/{clip['id']}"
    assert {key: clip[key] for key in ("state", "progress", "format", "fps", "duration_ms", "url")} == {
        "state": "queued", "progress": 0.0, "format": "webm", "fps": 10, "duration_ms": 8_000, "url": None}
    assert clip["segments"] == [{"session_id": session, "from_ms": 17_000, "to_ms": 25_000, "caption": "Coupon rage"}]
    assert client.get(f"/api/v1/clips/{clip['id']}", headers=bearer).get_json()["state"] == "queued"
    early = client.get(f"/api/v1/clips/{clip['id']}/file", headers=bearer)
    assert early.status_code == 409 and "not ready: queued (0% rendered)" in early.get_json()["message"]


def test_a_rendered_clip_downloads_as_an_attachment(app, client, bearer, session):
    clip_id = client.post(f"/api/v1/sessions/{session}/clips", headers=bearer,
                          json={"from": "0:17", "to": "0:25", "format": "gif"}).get_json()["id"]
    with app.app_context():  # what the render job leaves behind
        clips.claim_due_clips(now_ms=T0 * 2, lease_ms=1000, limit=1, max_attempts=2)
        current_runtime().blobs.put(clips.blob_key(clip_id, "gif"), b"GIF89a...")
        clips.finish_clip(clip_id, key=clips.blob_key(clip_id, "gif"), size=9, width=674, height=450, now_ms=T0)
    shown = client.get(f"/api/v1/clips/{clip_id}", headers=bearer).get_json()
    assert (shown["state"], shown["progress"], shown["size"]) == ("done", 1.0, 9)
    assert shown["url"] == f"http://replaydesk.test/api/v1/clips/{clip_id}/file"
    video = client.get(f"/api/v1/clips/{clip_id}/file", headers=bearer)
    assert video.status_code == 200 and video.data == b"GIF89a..." and video.mimetype == "image/gif"
    assert video.headers["Content-Disposition"] == f'attachment; filename="replaydesk-clip-{clip_id}.gif"'


@pytest.mark.parametrize("body, named", [
    ({"from": 5_000, "to": 5_000}, "to (0:05) must be after from (0:05)"),
    ({"from": "0:30", "to": "0:10"}, "to (0:10) must be after from (0:30)"),
    ({"from": "0:10", "to": "3:00"}, "to (3:00) is beyond the end of the session (2:30)"),
    ({"from": "2:40"}, "from (2:40) is beyond the end of the session"),
    ({}, "lasts 2:30; clips last at most 2:00"),
    ({"to": "0:10", "format": "avi"}, "format must be mp4, webm or gif, got 'avi'"),
    ({"to": "0:10", "format": 4}, "format must be mp4, webm or gif"),
    ({"from": "soon", "to": "0:10"}, "from must be a moment into the session"),
    ({"from": -1, "to": "0:10"}, "from must be a moment"),
    ({"to": True}, "to must be a moment"),
    ({"to": "0:10", "fps": 60}, "fps must be a whole number from 1 to 30"),
    ({"to": "0:10", "fps": "10"}, "fps must be"),
    ({"to": "0:10", "caption": "x" * 201}, "caption must be at most 200 characters"),
    ({"to": "0:10", "caption": ["x"]}, "caption must be text"),
    (["0:10"], "Send a JSON object"),
])
def test_bad_input_answers_400_naming_it_and_stores_nothing(app, client, bearer, session, body, named):
    answer = client.post(f"/api/v1/sessions/{session}/clips", headers=bearer, json=body)
    assert answer.status_code == 400, answer.get_json()
    assert named in answer.get_json()["message"]
    assert nothing_queued(app)


def test_a_clip_of_an_unknown_session_is_404(app, client, bearer):
    assert client.post("/api/v1/sessions/nope/clips", headers=bearer, json={}).status_code == 404
    assert client.get("/api/v1/clips/999", headers=bearer).status_code == 404
    assert nothing_queued(app)


@pytest.fixture
def finding(client, bearer, session):
    """A finding with two notes of the session (at 0:20 and 2:29) and one without."""
    notes = [client.post(f"/api/v1/sessions/{session}/annotations", headers=bearer,
                         json={"ts": ts, "text": text}).get_json()["id"]
             for ts, text in ((20_000, "Rage on the coupon"), (149_000, "Gives up"))]
    found = client.post("/api/v1/findings", headers=bearer, json={"title": "Coupon", "evidence": notes}).get_json()
    return found["id"]


def test_a_highlight_reel_shows_each_note_from_before_to_after_with_its_text(client, bearer, session, finding):
    answer = client.post(f"/api/v1/findings/{finding}/clips", headers=bearer, json={"format": "gif", "fps": 2})
    assert answer.status_code == 202, answer.get_json()
    reel = answer.get_json()
    assert (reel["finding_id"], reel["left_out"], reel["duration_ms"], reel["fps"]) == (finding, 0, 8_000 + 5_000, 2)
    assert reel["segments"] == [
        {"session_id": session, "from_ms": 16_000, "to_ms": 24_000, "caption": "Rage on the coupon"},
        {"session_id": session, "from_ms": 145_000, "to_ms": 150_000, "caption": "Gives up"},  # the session ends
    ]
    listed = client.get(f"/api/v1/findings/{finding}/clips", headers=bearer).get_json()["clips"]
    assert [clip["id"] for clip in listed] == [reel["id"]]


def test_a_reel_needs_evidence_and_a_known_format(app, client, bearer, finding):
    empty = client.post("/api/v1/findings", headers=bearer, json={"title": "Nothing yet"}).get_json()["id"]
    answer = client.post(f"/api/v1/findings/{empty}/clips", headers=bearer, json={})
    assert answer.status_code == 400 and "no evidence" in answer.get_json()["message"]
    answer = client.post(f"/api/v1/findings/{finding}/clips", headers=bearer, json={"format": "mov"})
    assert answer.status_code == 400 and "format" in answer.get_json()["message"]
    assert nothing_queued(app)


def test_the_share_page_has_a_clip_mode_with_only_the_stage_and_a_caption_band(client, bearer, session):
    link = client.post(f"/api/v1/sessions/{session}/shares", headers=bearer, json={"from_ms": 17_000}).get_json()
    page = client.get(f"/share/{link['token']}?clip=1").get_data(as_text=True)
    assert 'class="clip-page"' in page and 'id="clip-time">0:17<' in page and "topbar" not in page
    assert "clip-page" not in client.get(f"/share/{link['token']}").get_data(as_text=True)
