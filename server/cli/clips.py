"""`replaydesk clip SESSION_ID [--from T] [--to T] -o FILE`: a replay range to a video."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from server.cli.context import CommandError, app_context
from server.clips.plan import DEFAULT_FPS, MAX_FPS, caption_of, clip_range, clock, format_of_path, frame_for
from server.clips.render import render_video
from server.storage.clips import Segment
from server.storage.sessions import get_session
from server.web.params import MOMENT_FORMS, parse_moment


def _moment(option: str, value: Optional[str]) -> Optional[int]:
    if value is None:
        return None
    try:
        return parse_moment(value)
    except ValueError:
        raise CommandError(f"{option} must be a moment: {MOMENT_FORMS}; got {value!r}") from None


def _size(count: int) -> str:
    return f"{count / 1024:.0f} KB" if count < 1024 * 1024 else f"{count / 1024 / 1024:.1f} MB"


@click.command("clip")
@click.argument("session_id")
@click.option("--from", "from_text", metavar="T", help="Start: 17000 (ms), 17s, 0:17 or 1:02:03; default the start.")
@click.option("--to", "to_text", metavar="T", help="End, written the same way; default the session's end.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The video: .mp4, .webm or .gif.")
@click.option("--caption", default="", help="A line of text shown under the replay.")
@click.option("--fps", default=DEFAULT_FPS, show_default=True, type=click.IntRange(1, MAX_FPS),
              help="Frames per second.")
def clip(session_id: str, from_text: Optional[str], to_text: Optional[str], output: Path, caption: str,
         fps: int) -> None:
    """Render a session's replay between two moments to a video (at most 2 minutes),
    with the real player in headless Chromium, encoded by ffmpeg."""
    fmt = format_of_path(output)
    from_ms, to_ms = _moment("--from", from_text), _moment("--to", to_text)
    line = caption_of(caption)
    if not output.parent.is_dir():
        raise CommandError(f"no directory {str(output.parent)!r} for the output file")
    with app_context() as app:
        session = get_session(session_id)
        start, end = clip_range(from_ms, to_ms, session.duration_ms)
        frame = frame_for(fmt, (session.viewport_w, session.viewport_h))
        rendered = render_video(app, [Segment(session_id, start, end, line)], fmt=fmt, fps=fps, frame=frame,
                                output=output)
    click.echo(f"{output}: {clock(start)}–{clock(end)} of session {session_id}, {rendered.width}×{rendered.height}, "
               f"{fps} fps, {_size(output.stat().st_size)}, rendered in {rendered.seconds:.1f} s")
