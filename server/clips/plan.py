"""What a clip will be, decided before anything renders: its format, its ranges (one,
or a finding's highlight reel), its size and its frames. Pure functions; every limit is
a named constant with its reason, and every refusal is an ``InvalidInput`` naming the
value (the API answers 400, the CLI prints one line, nothing is stored).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Iterable, Optional, Sequence

from server.storage.clips import Segment
from server.storage.errors import InvalidInput

FORMATS = ("mp4", "webm", "gif")
MAX_CLIP_MS = 120_000
"""A clip is for a slide or a ticket: two minutes shows any moment, and bounds a
render to a few minutes of one browser (and a GIF to tens of MB)."""
DEFAULT_FPS = 10
"""Replays are mostly still pages, clicks and scrolls: 10 frames a second shows them
smoothly enough at a third of the render time of 30."""
MIN_CLIP_MS = 1000 // DEFAULT_FPS  # one frame
MAX_FPS = 30
MAX_CAPTION = 200  # characters: one line under the video
BOX = {"mp4": (1280, 720), "webm": (1280, 720), "gif": (800, 450)}
"""The largest frame per format; the replay is fitted inside with its recorded aspect.
GIFs are smaller: each frame is a full 256-colour image."""
MIN_WIDTH = 480  # below this the caption band cannot be read; narrow (phone) replays get side bars
DEFAULT_VIEWPORT = (1280, 800)  # a session that recorded no viewport size
REEL_BEFORE_MS = 4_000
REEL_AFTER_MS = 4_000
"""A note marks a moment; the reel shows what led up to it and what followed."""
MAX_REEL_NOTES = MAX_CLIP_MS // (REEL_BEFORE_MS + REEL_AFTER_MS)


@dataclass(frozen=True)
class Frame:
    """The video's size: the replay above a caption band."""

    width: int
    height: int
    band: int  # the caption band's height, as the clip page's stylesheet draws it


def format_of(value: object, name: str = "format") -> str:
    """A clip format, lower-cased; ``mp4`` when absent.

    >>> format_of("GIF"), format_of(None)
    ('gif', 'mp4')

    :raise InvalidInput: for anything else, naming ``name`` and the formats.
    """
    if value is None:
        return "mp4"
    if isinstance(value, str) and value.lower() in FORMATS:
        return value.lower()
    raise InvalidInput(f"{name} must be mp4, webm or gif, got {value!r}.")


def format_of_path(path: PurePath) -> str:
    """The format an output file's extension names.

    >>> format_of_path(PurePath("out/checkout.MP4"))
    'mp4'

    :raise InvalidInput: for another extension.
    """
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InvalidInput(f"the output file must end in .mp4, .webm or .gif, not {path.name!r}.")
    return suffix


def fps_of(value: object) -> int:
    """Frames per second: DEFAULT_FPS when absent, else 1..MAX_FPS.

    :raise InvalidInput: naming ``fps``.
    """
    if value is None:
        return DEFAULT_FPS
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_FPS:
        return value
    raise InvalidInput(f"fps must be a whole number from 1 to {MAX_FPS}, got {value!r}.")


def caption_of(value: object) -> str:
    """One line of text under the video ('' when absent).

    >>> caption_of("  Rage on\\nthe coupon  ")
    'Rage on the coupon'

    :raise InvalidInput: for a non-string or more than MAX_CAPTION characters.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"caption must be text, got {value!r}.")
    line = " ".join(value.split())
    if len(line) > MAX_CAPTION:
        raise InvalidInput(f"caption must be at most {MAX_CAPTION} characters, got {len(line)}.")
    return line


def clock(offset_ms: int) -> str:
    """``M:SS`` (or ``H:MM:SS``) for messages; fractions of a second kept when there are some.

    >>> clock(17_000), clock(17_500), clock(3_723_000)
    ('0:17', '0:17.5', '1:02:03')
    """
    seconds, millis = divmod(max(0, offset_ms), 1000)
    hours, minutes = seconds // 3600, seconds // 60 % 60
    text = f"{hours}:{minutes:02d}:{seconds % 60:02d}" if hours else f"{seconds // 60}:{seconds % 60:02d}"
    return text + (f".{millis:03d}".rstrip("0") if millis else "")


def clip_range(from_ms: Optional[int], to_ms: Optional[int], duration_ms: int) -> tuple[int, int]:
    """The range a clip of a session covers: ``from`` defaults to the start, ``to`` to
    the session's end.

    >>> clip_range(None, None, 30_000), clip_range(17_000, None, 30_000), clip_range(None, 8_000, 30_000)
    ((0, 30000), (17000, 30000), (0, 8000))
    >>> clip_range(5_000, 5_000, 30_000)
    Traceback (most recent call last):
    ...
    server.storage.errors.InvalidInput: to (0:05) must be after from (0:05).
    >>> clip_range(None, 40_000, 30_000)
    Traceback (most recent call last):
    ...
    server.storage.errors.InvalidInput: to (0:40) is beyond the end of the session (0:30).

    :raise InvalidInput: naming the moment: ``to`` not after ``from``, either beyond
        the session, or a clip longer than MAX_CLIP_MS.
    """
    start = 0 if from_ms is None else from_ms
    end = duration_ms if to_ms is None else to_ms
    if start > duration_ms:
        raise InvalidInput(f"from ({clock(start)}) is beyond the end of the session ({clock(duration_ms)}).")
    if end > duration_ms:
        raise InvalidInput(f"to ({clock(end)}) is beyond the end of the session ({clock(duration_ms)}).")
    if end <= start:
        raise InvalidInput(f"to ({clock(end)}) must be after from ({clock(start)}).")
    if end - start < MIN_CLIP_MS:
        raise InvalidInput(f"the clip from {clock(start)} to {clock(end)} is shorter than {MIN_CLIP_MS} ms.")
    if end - start > MAX_CLIP_MS:
        raise InvalidInput(f"the clip from {clock(start)} to {clock(end)} lasts {clock(end - start)}; clips last at "
                           f"most {clock(MAX_CLIP_MS)} (choose from and to).")
    return start, end


@dataclass(frozen=True)
class Moment:
    """A note on a session, as a reel needs it."""

    session_id: str
    offset_ms: int  # into the session
    session_duration_ms: int
    text: str


def reel_segments(moments: Iterable[Moment]) -> tuple[list[Segment], int]:
    """A highlight reel's segments: each moment from REEL_BEFORE_MS before to
    REEL_AFTER_MS after (within its session), the note's text as caption, in the order
    given; at most MAX_REEL_NOTES. Returns the segments and how many moments were left out.

    >>> moments = [Moment("a", 2_000, 60_000, "Rage\\non coupon"), Moment("b", 30_000, 31_000, "")]
    >>> segments, left_out = reel_segments(moments)
    >>> [(s.session_id, s.from_ms, s.to_ms, s.caption) for s in segments], left_out
    ([('a', 0, 6000, 'Rage on coupon'), ('b', 26000, 31000, '')], 0)

    :raise InvalidInput: when there is no moment to show.
    """
    segments, left_out = [], 0
    for moment in moments:
        start = max(0, moment.offset_ms - REEL_BEFORE_MS)
        end = min(moment.session_duration_ms, moment.offset_ms + REEL_AFTER_MS)
        if end - start < MIN_CLIP_MS:
            left_out += 1  # a note past its session's last event
            continue
        if len(segments) == MAX_REEL_NOTES:
            left_out += 1
            continue
        caption = " ".join(moment.text.split())
        if len(caption) > MAX_CAPTION:
            caption = caption[:MAX_CAPTION - 1] + "…"
        segments.append(Segment(moment.session_id, start, end, caption))
    if not segments:
        raise InvalidInput("This finding has no evidence to clip: add notes to it first.")
    return segments, left_out


def caption_band(width: int) -> int:
    """The caption band's height at a video width, as ``.clip-caption`` sizes it
    (``clamp(28px, 4vw, 48px)``, review_ui/styles/app.css).

    >>> caption_band(1280), caption_band(800), caption_band(480)
    (48, 32, 28)
    """
    return min(48, max(28, round(width * 0.04)))


def _even(value: float) -> int:
    return max(2, int(value) // 2 * 2)


def frame_for(fmt: str, viewport: tuple[Optional[int], Optional[int]]) -> Frame:
    """The video's size: the recorded viewport scaled (never up) into the format's BOX
    above the caption band, at least MIN_WIDTH wide; even numbers, as H.264 needs.

    >>> frame_for("mp4", (1280, 800))
    Frame(width=1082, height=720, band=43)
    >>> frame_for("gif", (1280, 800)), frame_for("mp4", (390, 844))
    (Frame(width=674, height=450, band=28), Frame(width=480, height=720, band=28))
    >>> frame_for("mp4", (800, 600))
    Frame(width=800, height=632, band=32)
    >>> frame_for("mp4", (None, None)) == frame_for("mp4", DEFAULT_VIEWPORT)
    True
    """
    box_w, box_h = BOX[fmt]
    view_w, view_h = viewport if viewport[0] and viewport[1] else DEFAULT_VIEWPORT
    width = box_w
    for _ in range(3):  # the band depends on the width, the width on the room the band leaves
        band = caption_band(width)
        scale = min(1.0, box_w / view_w, (box_h - band) / view_h)
        width = max(MIN_WIDTH, _even(view_w * scale))
    band = caption_band(width)
    scale = min(1.0, box_w / view_w, (box_h - band) / view_h)
    return Frame(width, _even(view_h * scale + band), band)


def frame_times(from_ms: int, to_ms: int, fps: int) -> list[int]:
    """The moments (ms into the session) a segment's frames show: from ``from_ms``,
    one every 1/fps s, as many as the range lasts at that rate.

    >>> frame_times(1_000, 2_000, 4)
    [1000, 1250, 1500, 1750]
    >>> len(frame_times(0, 8_000, 10)), frame_times(0, 50, 10)
    (80, [0])
    """
    count = max(1, round((to_ms - from_ms) * fps / 1000))
    return [from_ms + round(i * 1000 / fps) for i in range(count)]


def total_frames(segments: Sequence[Segment], fps: int) -> int:
    return sum(len(frame_times(s.from_ms, s.to_ms, fps)) for s in segments)
