"""`replaydesk worker`: run analysis jobs from the Redis queue (RQ)."""
from __future__ import annotations

import click
from redis import Redis
from rq import Queue, SimpleWorker

from server.cli.context import CommandError, app_context, load_settings


@click.command()
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker(burst: bool) -> None:
    """Analyse sessions queued by the servers (needs REPLAYDESK_REDIS_URL)."""
    settings = load_settings()
    if not settings.redis_url:
        raise CommandError("REPLAYDESK_REDIS_URL is not set: without Redis, `serve` analyses in-process")
    with app_context(settings):
        connection = Redis.from_url(settings.redis_url)
        # SimpleWorker runs jobs in this process, inside the app context opened above.
        SimpleWorker([Queue(settings.job_queue, connection=connection)], connection=connection).work(
            burst=burst, with_scheduler=False, logging_level="WARNING")
