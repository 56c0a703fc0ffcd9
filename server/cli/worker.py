"""`replaydesk worker`: run analysis jobs from the Redis queue (RQ)."""
from __future__ import annotations

import click

from server.cli.context import CommandError, app_context, load_settings
from server.jobs.queue import work


@click.command()
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Analyse sessions queued by the servers (needs REPLAYDESK_REDIS_URL)."""
    settings = load_settings()
    if not settings.redis_url:
        raise CommandError("REPLAYDESK_REDIS_URL is not set: without Redis, `serve` analyses in-process")
    with app_context(settings):
        work(settings.redis_url, settings.job_queue, burst=burst)
