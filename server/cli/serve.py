"""`replaydesk serve`: gunicorn with threaded workers, where Flask-SocketIO's
threading mode serves WebSockets through simple-websocket."""
from __future__ import annotations

import subprocess
import sys

import click
from gunicorn.app.base import BaseApplication

from server.cli.addresses import record_served_url, served_url
from server.cli.context import CommandError, load_settings
from server.storage.migrate import upgrade_database


class ReplaydeskServer(BaseApplication):
    """Gunicorn, configured from code; each worker builds its own app after forking."""

    def __init__(self, options: dict, settings) -> None:
        self.options = options
        self.settings = settings
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from server import create_app
        from server.jobs.worker import start_background_worker

        app = create_app(self.settings)
        start_background_worker(app)
        return app


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes; more than one needs REPLAYDESK_REDIS_URL.")
@click.option("--threads", default=32, show_default=True, type=click.IntRange(1, 1000),
              help="Threads per process (each open live-room socket holds one).")
@click.option("--no-worker", is_flag=True, help="With Redis: do not start a `replaydesk worker` beside the server.")
def serve(host: str, port: int, workers: int, threads: int, no_worker: bool) -> None:
    """Serve the API, the review UI and live rooms (migrates the database first)."""
    settings = load_settings()
    if workers > 1 and not settings.redis_url:
        raise CommandError("--workers > 1 needs REPLAYDESK_REDIS_URL: live rooms and rate limits span processes through Redis")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        upgrade_database(settings.database_url)
    except Exception as error:  # noqa: BLE001 - one line, whatever the driver raised
        raise CommandError(f"cannot prepare the database: {error}") from None
    settings.resolved_secret_key()  # generate once, before workers race for it
    address = served_url(host, port)
    record_served_url(settings, address)  # `user link` and `init` print links to it
    if not settings.public_url_configured:  # links made outside a request (jobs, webhooks) point here
        settings = settings.replace(public_url=address)
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 60,
        "graceful_timeout": 10,
        "keepalive": 30,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
    }
    click.echo(f"Replaydesk on http://{host}:{port}  ({workers} worker(s) × {threads} threads)")
    job_worker = None
    if settings.redis_url and not no_worker:
        job_worker = subprocess.Popen([sys.executable, "-m", "server.cli", "worker"])
    try:
        ReplaydeskServer(options, settings).run()
    finally:
        if job_worker is not None:
            job_worker.terminate()
            job_worker.wait(10)
