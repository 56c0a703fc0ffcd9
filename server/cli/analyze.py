"""`replaydesk analyze [SESSION_ID | --all]`."""
from __future__ import annotations

from typing import Iterator, Optional

import click

from server.cli.context import CommandError, app_context
from server.jobs.analyze import analyze_session
from server.runtime import current_runtime
from server.storage.queries import SessionFilters, list_sessions

PAGE = 500


def every_session_id() -> Iterator[str]:
    """Every session, oldest first, read a page at a time between analyses."""
    after = None
    while True:
        page, after = list_sessions(SessionFilters(), sort="started_at", limit=PAGE, after=after)
        yield from [row.id for row in page]
        if after is None:
            return


@click.command()
@click.argument("session_id", required=False)
@click.option("--all", "everything", is_flag=True, help="Analyse every session (e.g. after changing thresholds).")
def analyze(session_id: Optional[str], everything: bool) -> None:
    """Detect frustration signals now and store them."""
    if bool(session_id) == everything:
        raise CommandError("give a SESSION_ID or --all (not both)")
    with app_context():
        runtime = current_runtime()
        for sid in [session_id] if session_id else every_session_id():
            result = analyze_session(runtime, sid)
            if result is None:
                raise CommandError(f"no session {sid!r}")
            kinds = ", ".join(f"{kind} {n}" for kind, n in result.counts["signals"].items() if n) or "no signals"
            click.echo(f"{sid}: score {result.score:g}; {kinds}")
