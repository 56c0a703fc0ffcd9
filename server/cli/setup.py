"""`replaydesk db upgrade` and `replaydesk init` (what `make run` calls first)."""
from __future__ import annotations

import click

from server.cli.addresses import link_base
from server.cli.context import app_context, load_settings
from server.runtime import current_runtime
from server.snippet import snippet_or_hint
from server.storage.accounts import create_login_link, ensure_admin
from server.storage.migrate import upgrade_database
from server.storage.projects import ensure_default_project

DEFAULT_PROJECT = "Default"
DEFAULT_ADMIN = "admin@localhost.localdomain"


@click.group(name="db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
def upgrade() -> None:
    """Apply Alembic migrations up to the latest schema."""
    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade_database(settings.database_url)
    click.echo("Database is at the latest schema.")


@click.command()
@click.option("--admin-email", default=DEFAULT_ADMIN, show_default=True, help="Email of the first admin.")
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="The port `serve` will listen on, for the printed links (default: the last `serve`'s, else 5000).")
def init(admin_email: str, port: int | None) -> None:
    """Create the database, a default project and the first admin; print the snippet
    and a one-time sign-in link. Safe to run again: existing things are kept."""
    with app_context():
        runtime = current_runtime()
        now = runtime.now_ms()
        project = ensure_default_project(DEFAULT_PROJECT, now_ms=now)
        admin = ensure_admin(admin_email, now_ms=now)
        link = create_login_link(admin.id, now_ms=now)
        public_url = link_base(runtime.settings, port=port)
        click.echo(f"Project {project.name!r}, key {project.key}. Paste this before </head> in your product:\n")
        click.echo(snippet_or_hint(public_url, project.key) + "\n")
        click.echo(f"Sign in as {admin.email} (one-time link, valid 24 h):\n  {public_url}/auth/link/{link}\n")
        click.echo(f"Then {public_url}/projects/{project.id}/install shows the snippet and turns green on the first visit.\n")
