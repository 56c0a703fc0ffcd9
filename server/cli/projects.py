"""`replaydesk project create|list`."""
from __future__ import annotations

import click
from sqlalchemy import select

from server.cli.context import CommandError, app_context, echo_json
from server.extensions import db
from server.runtime import current_runtime
from server.snippet import snippet_or_hint
from server.storage.models import Project
from server.storage.projects import ProjectError, create_project, project_dict


@click.group()
def project() -> None:
    """Create and list projects (each has its own ingest key)."""


@project.command("create")
@click.argument("name")
@click.option("--goal-url", "goal_urls", multiple=True, metavar="GLOB",
              help="URL pattern of a goal page (repeatable); visits there are never dead ends.")
@click.option("--json", "as_json", is_flag=True, help="Print {id, name, key} as JSON.")
def create(name: str, goal_urls: tuple[str, ...], as_json: bool) -> None:
    """Create project NAME and print its key and snippet."""
    with app_context():
        try:
            created = create_project(db.session, name, goal_urls=goal_urls, now_ms=current_runtime().now_ms())
        except ProjectError as error:
            raise CommandError(str(error)) from None
        db.session.commit()
        if as_json:
            echo_json({"id": created.id, "name": created.name, "key": created.key})
            return
        click.echo(f"Project {created.name!r} (id {created.id}), key {created.key}")
        click.echo(snippet_or_hint(current_runtime().settings.public_url, created.key))


@project.command("list")
@click.option("--json", "as_json", is_flag=True)
def list_projects(as_json: bool) -> None:
    """List projects and their keys."""
    with app_context():
        rows = db.session.execute(select(Project).order_by(Project.id)).scalars().all()
        if as_json:
            echo_json([project_dict(row) for row in rows])
            return
        for row in rows:
            click.echo(f"{row.id}\t{row.name}\t{row.key}")
