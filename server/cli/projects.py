"""`replaydesk project create|list`."""
from __future__ import annotations

import click

from server.cli.addresses import link_base
from server.cli.context import CommandError, app_context, echo_json
from server.runtime import current_runtime
from server.snippet import snippet_or_hint
from server.storage.accounts import user_by_email
from server.storage.memberships import set_role
from server.storage.projects import create_project, list_projects, project_dict


@click.group()
def project() -> None:
    """Create and list projects (each has its own ingest key)."""


@project.command("create")
@click.argument("name")
@click.option("--goal-url", "goal_urls", multiple=True, metavar="GLOB",
              help="URL pattern of a goal page (repeatable); visits there are never dead ends.")
@click.option("--admin", "admins", multiple=True, metavar="EMAIL",
              help="Make this reviewer its admin (repeatable); instance admins reach every project anyway.")
@click.option("--json", "as_json", is_flag=True, help="Print {id, name, key} as JSON.")
def create(name: str, goal_urls: tuple[str, ...], admins: tuple[str, ...], as_json: bool) -> None:
    """Create project NAME and print its key and snippet."""
    with app_context():
        now = current_runtime().now_ms()
        people = [user_by_email(email) for email in admins]
        if None in people:
            raise CommandError(f"no user with email {admins[people.index(None)]}")
        created = create_project(name, goal_urls=goal_urls, now_ms=now)
        for person in people:
            set_role(person.id, created.id, "admin", now_ms=now)
        if as_json:
            echo_json({"id": created.id, "name": created.name, "key": created.key})
            return
        click.echo(f"Project {created.name!r} (id {created.id}), key {created.key}")
        click.echo(snippet_or_hint(link_base(current_runtime().settings), created.key))


@project.command("list")
@click.option("--json", "as_json", is_flag=True)
def list_command(as_json: bool) -> None:
    """List projects and their keys."""
    with app_context():
        rows = [project_dict(row) for row in list_projects()]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        click.echo(f"{row['id']}\t{row['name']}\t{row['key']}")
