"""`replaydesk compact` and `replaydesk purge`."""
from __future__ import annotations

import click

from server.cli.context import CommandError, app_context
from server.config import SettingsError, parse_duration
from server.jobs.compact import compact_idle_sessions
from server.runtime import current_runtime
from server.storage.clips import purge_clips
from server.storage.removal import purge_sessions


@click.command()
@click.option("--all", "everything", is_flag=True, help="Compact every session now, idle or not.")
def compact(everything: bool) -> None:
    """Recompress idle sessions into their final, seekable storage form."""
    with app_context():
        results = compact_idle_sessions(current_runtime(), everything=everything)
    raw = sum(r.raw_bytes for r in results)
    stored = sum(r.stored_bytes for r in results)
    ratio = f", {stored / raw:.3f} of raw JSON" if raw else ""
    click.echo(f"Compacted {len(results)} session(s): {raw} → {stored} bytes{ratio}.")


@click.command()
@click.option("--older-than", "older_than", required=True, metavar="AGE", help="e.g. 30d, 12h, 90m.")
def purge(older_than: str) -> None:
    """Delete sessions (rows and bytes) whose last batch arrived more than AGE ago, and
    video clips made more than AGE ago."""
    try:
        seconds = parse_duration("--older-than", older_than)
    except SettingsError as error:
        raise CommandError(str(error)) from None
    with app_context():
        runtime = current_runtime()
        before_ms = runtime.now_ms() - int(seconds * 1000)
        removed = purge_sessions(runtime.blobs, received_before_ms=before_ms)
        clips = purge_clips(runtime.blobs, created_before_ms=before_ms)
    click.echo(f"Purged {removed} session(s) and {clips} clip(s).")
