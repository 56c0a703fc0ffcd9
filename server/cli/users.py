"""`replaydesk user create|link` and `replaydesk token create`."""
from __future__ import annotations

import sys

import click

from server.cli.context import CommandError, app_context, echo_json
from server.runtime import current_runtime
from server.storage.accounts import ROLES, create_login_link, create_token, create_user, user_by_email


@click.group()
def user() -> None:
    """Reviewer accounts."""


@user.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="member", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email: str, role: str, password_stdin: bool) -> None:
    """Create a reviewer; without a password, print a one-time sign-in link."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    with app_context():
        now = current_runtime().now_ms()
        created = create_user(email, role=role, password=password, now_ms=now)
        click.echo(f"Created {created.role} {created.email}.")
        if not password:
            link = create_login_link(created.id, now_ms=now)
            click.echo(f"One-time sign-in link: {current_runtime().settings.public_url}/auth/link/{link}")


@user.command("link")
@click.argument("email")
def link_command(email: str) -> None:
    """Print a one-time sign-in link for an existing reviewer."""
    with app_context():
        found = user_by_email(email)
        if found is None:
            raise CommandError(f"no user with email {email}")
        link = create_login_link(found.id, now_ms=current_runtime().now_ms())
        click.echo(f"{current_runtime().settings.public_url}/auth/link/{link}")


@click.group()
def token() -> None:
    """Reviewer API tokens (read/write on the review API)."""


@token.command("create")
@click.option("--name", default="", help="A label to recognise the token by.")
@click.option("--json", "as_json", is_flag=True, help="Print {\"token\": ...} as JSON.")
def create_token_command(name: str, as_json: bool) -> None:
    """Create a token; it is shown once."""
    with app_context():
        secret = create_token(name=name, now_ms=current_runtime().now_ms())
    if as_json:
        echo_json({"token": secret})
    else:
        click.echo(secret)
