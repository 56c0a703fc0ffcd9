"""Frames (PNG screenshots) in, a video file out, with Debian's ffmpeg.

MP4 and WebM are encoded while the frames arrive (ffmpeg reads them from a pipe, so
encoding runs beside the browser). A GIF needs its palette from every frame first, so
its frames wait in a file and ffmpeg makes two passes (palettegen, then paletteuse):
passing frames once through ffmpeg's split filter would hold them all in memory.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import IO, Optional

from server.storage.errors import DomainError


class RenderError(DomainError):
    """A clip could not be made (a tool missing, the replay not loading, the time limit
    passed); the message says which, for the person who asked."""

    message = "The clip could not be rendered."


FFMPEG_TIME_LIMIT_S = 300  # one ffmpeg pass over at most MAX_CLIP_MS of frames
INPUT = ["-f", "image2pipe", "-c:v", "png"]
OUTPUT_ARGS = {
    # H.264 in yuv420p plays everywhere (slides, browsers, phones); faststart lets it
    # play before it has downloaded.
    "mp4": ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-movflags", "+faststart"],
    # VP9 at constant quality; the realtime deadline keeps encoding as fast as rendering.
    "webm": ["-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-b:v", "0",
             "-crf", "35", "-pix_fmt", "yuv420p"],
}
PALETTE = "palettegen=stats_mode=diff"
PALETTE_USE = "paletteuse=dither=bayer:bayer_scale=4:diff_mode=rectangle"


def find_ffmpeg() -> str:
    """:raise RenderError: when ffmpeg is not installed."""
    found = shutil.which("ffmpeg")
    if not found:
        raise RenderError("ffmpeg is not installed: `apt-get install ffmpeg` (or `make ffmpeg`).")
    return found


def encode_args(ffmpeg: str, fmt: str, fps: int, source: str, output: Path) -> list[str]:
    """The ffmpeg command that turns PNG frames (a pipe ``-`` or a file of them) into
    an MP4 or WebM at ``fps``.

    >>> encode_args("ffmpeg", "mp4", 10, "-", Path("c.mp4"))[5:12]
    ['-framerate', '10', '-f', 'image2pipe', '-c:v', 'png', '-i']
    """
    return [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-framerate", str(fps), *INPUT, "-i", source,
            *OUTPUT_ARGS[fmt], "-an", "-r", str(fps), str(output)]


def gif_passes(ffmpeg: str, fps: int, frames: Path, palette: Path, output: Path) -> list[list[str]]:
    """The two ffmpeg commands of a GIF: a palette from every frame, then the frames
    mapped onto it (looping forever).

    >>> [cmd[-1] for cmd in gif_passes("ffmpeg", 10, Path("f.png"), Path("p.png"), Path("c.gif"))]
    ['p.png', 'c.gif']
    """
    read = ["-framerate", str(fps), *INPUT, "-i", str(frames)]
    quiet = [ffmpeg, "-hide_banner", "-loglevel", "error", "-y"]
    return [
        [*quiet, *read, "-vf", PALETTE, "-frames:v", "1", "-update", "1", str(palette)],
        [*quiet, *read, "-i", str(palette), "-lavfi", PALETTE_USE, "-loop", "0", "-r", str(fps), str(output)],
    ]


class Encoder:
    """Takes PNG frames one by one with ``add``; ``finish`` leaves the video at ``output``.
    ``workdir`` holds ffmpeg's log (and a GIF's frames); the caller removes it."""

    def __init__(self, fmt: str, fps: int, output: Path, workdir: Path) -> None:
        self.fmt, self.fps, self.output, self.workdir = fmt, fps, output, workdir
        self.ffmpeg = find_ffmpeg()
        self.log_path = workdir / "ffmpeg.log"
        self.frames = 0
        self._process: Optional[subprocess.Popen] = None
        self._sink: IO[bytes]
        if fmt == "gif":
            self._sink = open(workdir / "frames.png-stream", "wb")
        else:
            with open(self.log_path, "wb") as log:  # the child keeps its own descriptor
                self._process = subprocess.Popen(encode_args(self.ffmpeg, fmt, fps, "-", output),
                                                 stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=log)
            self._sink = self._process.stdin

    def add(self, png: bytes) -> None:
        """:raise RenderError: when ffmpeg stopped taking frames."""
        try:
            self._sink.write(png)
        except BrokenPipeError:
            raise RenderError(f"ffmpeg stopped: {self._log_tail()}") from None
        self.frames += 1

    def finish(self) -> None:
        """:raise RenderError: with ffmpeg's own words when it failed, or took too long."""
        if self.frames == 0:
            raise RenderError("No frame was rendered.")
        try:
            self._sink.close()
        except BrokenPipeError:
            pass
        if self._process is not None:
            self._wait(self._process)
            return
        palette = self.workdir / "palette.png"
        for command in gif_passes(self.ffmpeg, self.fps, self.workdir / "frames.png-stream", palette, self.output):
            with open(self.log_path, "ab") as log:
                self._wait(subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log))

    def abort(self) -> None:
        """Stop ffmpeg, if it runs, and leave no partial video."""
        if not self._sink.closed:
            try:
                self._sink.close()
            except BrokenPipeError:
                pass
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self.output.unlink(missing_ok=True)

    def _wait(self, process: subprocess.Popen) -> None:
        try:
            status = process.wait(FFMPEG_TIME_LIMIT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise RenderError(f"ffmpeg took longer than {FFMPEG_TIME_LIMIT_S} s.") from None
        if status != 0:
            raise RenderError(f"ffmpeg failed ({status}): {self._log_tail()}")

    def _log_tail(self) -> str:
        try:
            text = self.log_path.read_text(errors="replace").strip()
        except OSError:
            return "no output"
        return (text.splitlines() or ["no output"])[-1][:200]
