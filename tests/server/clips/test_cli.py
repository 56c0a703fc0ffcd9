"""`replaydesk clip` refuses bad input on one line, with a non-zero exit, before any
browser starts and without writing the file (rendering itself: tests/e2e/ui/test_clips.py)."""
from __future__ import annotations

import pytest

from tests.factories import T0, click_event, make_project, make_session, meta_event


@pytest.fixture
def session(app):
    project = make_project(app)
    return make_session(app, project, events=[meta_event(T0), click_event(T0 + 30_000)])


@pytest.mark.parametrize("args, message", [
    (["--from", "0:10", "--to", "0:10"], "Error: to (0:10) must be after from (0:10)."),
    (["--from", "0:20", "--to", "0:05"], "Error: to (0:05) must be after from (0:20)."),
    (["--to", "1:00"], "Error: to (1:00) is beyond the end of the session (0:30)."),
    (["--from", "31s"], "Error: from (0:31) is beyond the end of the session (0:30)."),
    (["--from", "soon"], "Error: --from must be a moment: milliseconds (17000), seconds (17s, 17.5s), MM:SS or "
                         "H:MM:SS; got 'soon'"),
    (["--fps", "31"], "Error: Invalid value for '--fps'"),
])
def test_bad_ranges_are_refused_naming_them(runner, session, tmp_path, args, message):
    output = tmp_path / "clip.mp4"
    result = runner.invoke("clip", session, *args, "-o", str(output))
    assert result.exit_code != 0 and message in result.output, result.output
    assert not output.exists()


def test_an_unknown_format_or_session_is_refused(runner, session, tmp_path):
    result = runner.invoke("clip", session, "-o", str(tmp_path / "clip.mov"))
    assert result.exit_code == 1 and "must end in .mp4, .webm or .gif, not 'clip.mov'" in result.output
    result = runner.invoke("clip", "no-such-session", "-o", str(tmp_path / "clip.gif"))
    assert result.exit_code == 1 and result.output.strip() == "Error: No session 'no-such-session'."
    result = runner.invoke("clip", session, "-o", str(tmp_path / "missing" / "clip.gif"))
    assert result.exit_code == 1 and "no directory" in result.output
