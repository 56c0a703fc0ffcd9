"""Planning a clip before anything renders: formats, ranges, reels, sizes, frames, and
the ffmpeg commands (plus the doctests of server/clips, which pytest does not collect)."""
from __future__ import annotations

import doctest
from pathlib import PurePath

import pytest

from server.clips import encode, plan
from server.clips.plan import (MAX_CLIP_MS, MAX_REEL_NOTES, Moment, clip_range, format_of_path, frame_for,
                               frame_times, reel_segments, total_frames)
from server.storage import clips
from server.storage.clips import Segment
from server.storage.errors import InvalidInput


@pytest.mark.parametrize("module", [plan, encode, clips], ids=lambda m: m.__name__)
def test_the_module_examples_hold(module):
    assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("start, end, duration, message", [
    (None, None, MAX_CLIP_MS + 1, "lasts 2:00.001; clips last at most 2:00"),  # a long session needs a range
    (0, 50, 10_000, "shorter than 100 ms"),  # less than one frame at 10 fps
    (12_000, 11_000, 30_000, "to (0:11) must be after from (0:12)"),
    (31_000, None, 30_000, "from (0:31) is beyond the end of the session (0:30)"),
    (None, 30_001, 30_000, "to (0:30.001) is beyond the end"),
])
def test_a_range_is_refused_naming_the_moment(start, end, duration, message):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        clip_range(start, end, duration)


def test_a_range_may_be_the_whole_session_up_to_the_limit():
    assert clip_range(None, None, MAX_CLIP_MS) == (0, MAX_CLIP_MS)
    assert clip_range(60_000, None, 60_000 + MAX_CLIP_MS) == (60_000, 60_000 + MAX_CLIP_MS)


@pytest.mark.parametrize("name", ["clip.mov", "clip", "clip.mp4.txt", ".gif"])
def test_an_output_file_names_its_format(name):
    with pytest.raises(InvalidInput, match=r"\.mp4, \.webm or \.gif"):
        format_of_path(PurePath(name))


def test_a_reel_keeps_notes_in_order_clamped_to_their_sessions_and_at_most_its_limit():
    moments = [Moment("s", 1_000 + i * 10_000, 1_000_000, f"note {i}") for i in range(MAX_REEL_NOTES + 2)]
    moments.insert(1, Moment("t", 9_000, 9_000, "at the very end"))  # its segment stops at the session's end
    moments.insert(2, Moment("u", 20_000, 10_000, "past its session"))  # nothing to show
    segments, left_out = reel_segments(moments)
    assert len(segments) == MAX_REEL_NOTES and left_out == 1 + 18 - MAX_REEL_NOTES  # "u", then the last ones
    assert segments[:2] == [Segment("s", 0, 5_000, "note 0"), Segment("t", 5_000, 9_000, "at the very end")]
    assert sum(s.duration_ms for s in segments) <= MAX_CLIP_MS


def test_a_reel_caption_is_one_line_of_bounded_length():
    (segment,), _ = reel_segments([Moment("s", 5_000, 10_000, "line one\n\nline two " + "x" * 400)])
    assert segment.caption.startswith("line one line two x") and len(segment.caption) == plan.MAX_CAPTION
    assert segment.caption.endswith("…")


def test_no_evidence_no_reel():
    with pytest.raises(InvalidInput, match="no evidence"):
        reel_segments([])


@pytest.mark.parametrize("fmt", plan.FORMATS)
@pytest.mark.parametrize("viewport", [(1280, 800), (1920, 1080), (390, 844), (3000, 200), (200, 3000), (None, 5)])
def test_every_frame_fits_its_box_with_even_sides(fmt, viewport):
    frame = frame_for(fmt, viewport)
    box_w, box_h = plan.BOX[fmt]
    assert plan.MIN_WIDTH <= frame.width <= box_w and frame.height <= box_h
    assert frame.width % 2 == 0 and frame.height % 2 == 0
    assert frame.band < frame.height


def test_frames_tile_a_reel_without_gaps():
    segments = [Segment("a", 0, 8_000), Segment("b", 500, 3_000)]
    assert total_frames(segments, 10) == 80 + 25
    assert frame_times(500, 3_000, 10)[-1] == 2_900


def test_encoder_commands_per_format():
    mp4 = encode.encode_args("ffmpeg", "mp4", 10, "-", PurePath("c.mp4"))
    assert {"libx264", "yuv420p", "+faststart"} <= set(mp4)
    webm = encode.encode_args("ffmpeg", "webm", 10, "-", PurePath("c.webm"))
    assert "libvpx-vp9" in webm
    palette, gif = encode.gif_passes("ffmpeg", 10, PurePath("f"), PurePath("p.png"), PurePath("c.gif"))
    assert plan.FORMATS == ("mp4", "webm", "gif")
    assert any("palettegen" in part for part in palette) and any("paletteuse" in part for part in gif)
