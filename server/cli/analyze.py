"""`replaydesk analyze [SESSION_ID | --all]`."""
from __future__ import annotations

from typing import Optional

import click
from sqlalchemy import select

from server.cli.context import CommandError, app_context
from server.extensions import db
from server.jobs.analyze import analyze_session
from server.runtime import current_runtime
from server.storage.models import Session


@click.command()
@click.argument("session_id", required=False)
@click.option("--all", "everything", is_flag=True, help="Analyse every session (e.g. after changing thresholds).")
def analyze(session_id: Optional[str], everything: bool) -> None:
    """Detect frustration signals now and store them."""
    if bool(session_id) == everything:
        raise CommandError("give a SESSION_ID or --all (not both)")
    with app_context():
        runtime = current_runtime()
        ids = [session_id] if session_id else db.session.execute(select(Session.id).order_by(Session.started_at)).scalars().all()
        for sid in ids:
            result = analyze_session(runtime, sid)
            if result is None:
                raise CommandError(f"no session {sid!r}")
            kinds = ", ".join(f"{kind} {n}" for kind, n in result.counts["signals"].items() if n) or "no signals"
            click.echo(f"{sid}: score {result.score:g}; {kinds}")
