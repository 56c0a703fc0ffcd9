"""`replaydesk user create|list|add-to-project|remove-from-project|sign-out|remove|link`
and `replaydesk token create|list|revoke`."""
from __future__ import annotations

import sys
from typing import Optional

import click

from server.auth.tokens import create_for
from server.cli.addresses import link_base
from server.cli.context import CommandError, app_context, echo_json
from server.runtime import current_runtime
from server.cli.setup import DEFAULT_ADMIN
from server.storage.accounts import (ROLES, create_login_link, create_user, delete_user, end_sessions, ensure_admin,
                                     list_users, user_by_email)
from server.storage.memberships import PROJECT_ROLES, remove_member, roles_of, set_role
from server.storage.projects import list_projects, project_named
from server.storage.tokens import list_tokens, revoke_token, token_dict

ROLE_HELP = "viewer reads; member also writes notes, findings, studies, experiments; admin also manages the project"


def _user(email: str):
    found = user_by_email(email)
    if found is None:
        raise CommandError(f"no user with email {email}")
    return found


def _project(name: str):
    found = project_named(name)
    if found is None:
        raise CommandError(f"no project {name!r} (see replaydesk project list)")
    return found


@click.group()
def user() -> None:
    """Reviewer accounts and their roles in projects.

    An instance admin (--role admin) is admin of every project; anyone else sees only
    the projects they were added to, with a role per project: viewer reads; member
    also writes notes, findings, studies and experiments; admin also manages the
    project's settings and people and deletes sessions and studies.
    """


@user.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="member", show_default=True,
              help="admin: every project and every person; member: only the projects given with --project.")
@click.option("--project", "projects", multiple=True, metavar="PROJECT",
              help="Add the user to this project (name or id; repeatable).")
@click.option("--project-role", type=click.Choice(PROJECT_ROLES), default="member", show_default=True,
              help=f"Their role in the --project projects ({ROLE_HELP}).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user_command(email: str, role: str, projects: tuple[str, ...], project_role: str,
                        password_stdin: bool) -> None:
    """Create a reviewer; without a password, print a one-time sign-in link."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    with app_context():
        now = current_runtime().now_ms()
        chosen = [_project(name) for name in projects]
        created = create_user(email, role=role, password=password, now_ms=now)
        for project in chosen:
            set_role(created.id, project.id, project_role, now_ms=now)
        click.echo(f"Created {created.role} {created.email}"
                   + (f", {project_role} of {', '.join(p.name for p in chosen)}." if chosen else "."))
        if not chosen and role != "admin":
            click.echo(f"They see no project yet: replaydesk user add-to-project {created.email} PROJECT --role viewer")
        if not password:
            link = create_login_link(created.id, now_ms=now)
            click.echo(f"One-time sign-in link: {link_base(current_runtime().settings)}/auth/link/{link}")


@user.command("list")
@click.option("--json", "as_json", is_flag=True)
def list_users_command(as_json: bool) -> None:
    """List reviewers with their role and their projects."""
    with app_context():
        names = {project.id: project.name for project in list_projects()}
        rows = [{"id": u.id, "email": u.email, "role": u.role,
                 "projects": "all" if u.role == "admin" else
                 {names[pid]: role for pid, role in sorted(roles_of(u.id).items())}} for u in list_users()]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        projects = row["projects"] if row["projects"] == "all" else (
            ", ".join(f"{name} ({role})" for name, role in row["projects"].items()) or "no project")
        click.echo(f"{row['email']}\t{row['role']}\t{projects}")


@user.command("add-to-project")
@click.argument("email")
@click.argument("project")
@click.option("--role", type=click.Choice(PROJECT_ROLES), default="member", show_default=True, help=ROLE_HELP)
def add_to_project(email: str, project: str, role: str) -> None:
    """Give EMAIL a role in PROJECT (name or id), or change the role they have there."""
    with app_context():
        found, target = _user(email), _project(project)
        set_role(found.id, target.id, role, now_ms=current_runtime().now_ms())
        click.echo(f"{found.email} is {role} of {target.name}.")


@user.command("remove-from-project")
@click.argument("email")
@click.argument("project")
def remove_from_project(email: str, project: str) -> None:
    """Take EMAIL out of PROJECT: from their next request on they see nothing of it."""
    with app_context():
        found, target = _user(email), _project(project)
        if not remove_member(found.id, target.id):
            raise CommandError(f"{found.email} is not in project {target.name}")
        click.echo(f"{found.email} removed from {target.name}.")


@user.command("sign-out")
@click.argument("email")
def sign_out_command(email: str) -> None:
    """End every browser session of EMAIL (their tokens keep working: token revoke)."""
    with app_context():
        end_sessions(_user(email).id)
        click.echo(f"Every session of {email} is signed out.")


@user.command("remove")
@click.argument("email")
def remove_command(email: str) -> None:
    """Delete the reviewer: their sessions, tokens and memberships stop working at once."""
    with app_context():
        delete_user(_user(email).id)
        click.echo(f"Removed {email}.")


@user.command("link")
@click.argument("email")
def link_command(email: str) -> None:
    """Print a one-time sign-in link for an existing reviewer (also how a forgotten
    password is reset: the link lets them choose a new one)."""
    with app_context():
        found = _user(email)
        link = create_login_link(found.id, now_ms=current_runtime().now_ms())
        click.echo(f"{link_base(current_runtime().settings)}/auth/link/{link}")


@click.group()
def token() -> None:
    """Reviewer API tokens: each acts as its owner on the review API, optionally only in
    some projects, only for reading, or until an expiry."""


def _owner(email: Optional[str]):
    """The user named, else the first admin (made as `init` makes it, on a fresh install)."""
    return _user(email) if email else ensure_admin(DEFAULT_ADMIN, now_ms=current_runtime().now_ms())


@token.command("create")
@click.option("--name", default="", help="A label to recognise the token by.")
@click.option("--user", "email", default=None, help="Its owner (default: the first admin, made if none).")
@click.option("--project", "projects", multiple=True, metavar="PROJECT",
              help="Only this project (name or id; repeatable). Default: every project of the owner.")
@click.option("--read-only", is_flag=True, help="Reads only: every write answers 403.")
@click.option("--expires-in", default=None, metavar="DURATION", help="Such as 30d, 12h or 90m. Default: never.")
@click.option("--json", "as_json", is_flag=True, help="Print {\"token\": ..., \"id\": ...} as JSON.")
def create_token_command(name: str, email: Optional[str], projects: tuple[str, ...], read_only: bool,
                         expires_in: Optional[str], as_json: bool) -> None:
    """Create a token; it is shown once."""
    with app_context():
        owner = _owner(email)
        secret, shown = create_for(owner.id, name=name, projects=list(projects) or None, read_only=read_only,
                                   expires_in=expires_in)
    if as_json:
        echo_json({"token": secret, **shown})
    else:
        click.echo(secret)


@token.command("list")
@click.option("--user", "email", default=None, help="Only this owner's tokens.")
@click.option("--json", "as_json", is_flag=True)
def list_tokens_command(email: Optional[str], as_json: bool) -> None:
    """List tokens (never their secrets)."""
    with app_context():
        now = current_runtime().now_ms()
        rows = [token_dict(row, now_ms=now) for row in list_tokens(_user(email).id if email else None)]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        scope = "all projects" if row["projects"] is None else "projects " + ",".join(map(str, row["projects"]))
        expiry = "expired" if row["expired"] else ("no expiry" if row["expires_at"] is None else "expires")
        click.echo(f"{row['id']}\t{row['name'] or '-'}\t{row['owner']}\t{row['access']}\t{scope}\t{expiry}")


@token.command("revoke")
@click.argument("token_id", type=int)
def revoke_token_command(token_id: int) -> None:
    """Revoke token TOKEN_ID (see token list): it stops working at once."""
    with app_context():
        revoke_token(token_id)
        click.echo(f"Token {token_id} revoked.")
