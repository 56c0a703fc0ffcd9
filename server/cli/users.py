"""`replaydesk user create|link` and `replaydesk token create`."""
from __future__ import annotations

import sys

import click
from sqlalchemy import select

from server.cli.context import CommandError, app_context, echo_json
from server.extensions import db
from server.runtime import current_runtime
from server.storage.accounts import ROLES, AccountError, create_login_link, create_token, create_user
from server.storage.models import User


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
        try:
            created = create_user(db.session, email, role=role, password=password, now_ms=now)
        except AccountError as error:
            raise CommandError(str(error)) from None
        link = None if password else create_login_link(db.session, created, now_ms=now)
        db.session.commit()
        click.echo(f"Created {created.role} {created.email}.")
        if link:
            click.echo(f"One-time sign-in link: {current_runtime().settings.public_url}/auth/link/{link}")


@user.command("link")
@click.argument("email")
def link_command(email: str) -> None:
    """Print a one-time sign-in link for an existing reviewer."""
    with app_context():
        found = db.session.execute(select(User).where(User.email == email.strip().lower())).scalar()
        if found is None:
            raise CommandError(f"no user with email {email}")
        link = create_login_link(db.session, found, now_ms=current_runtime().now_ms())
        db.session.commit()
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
        secret = create_token(db.session, name=name, now_ms=current_runtime().now_ms())
        db.session.commit()
    if as_json:
        echo_json({"token": secret})
    else:
        click.echo(secret)
