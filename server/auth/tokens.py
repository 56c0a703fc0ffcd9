"""Making API tokens from what a person typed (the tokens page, the API, the CLI):
project names or ids, read or write, an expiry such as ``30d``. A reviewer makes
tokens only for themselves and never wider than the access they came with."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, Optional

from server.config import SettingsError, parse_duration
from server.runtime import current_runtime
from server.storage.errors import InvalidInput
from server.storage.projects import list_projects, project_named
from server.storage.tokens import create_token, list_tokens, token_dict

MAX_EXPIRY_DAYS = 3650


def expiry_of(expires_in: Optional[str], *, now_ms: int) -> Optional[int]:
    """Epoch ms ``expires_in`` (``30d``, ``12h``, ``90m``; empty: never) from now.

    :raise InvalidInput: for anything else.
    """
    if not expires_in:
        return None
    try:
        seconds = parse_duration("expires_in", expires_in)
    except SettingsError:
        raise InvalidInput(f"expires_in must be a duration such as 30d, 12h or 90m, got {expires_in!r}") from None
    if not 0 < seconds <= MAX_EXPIRY_DAYS * 86400:
        raise InvalidInput(f"expires_in must be more than 0 and at most {MAX_EXPIRY_DAYS} days")
    return now_ms + int(seconds * 1000)


def project_ids(names: Iterable[object]) -> list[int]:
    """Project ids from names or ids (of projects the asker can see).

    :raise InvalidInput: naming one that is not there.
    """
    found = []
    for name in names:
        project = project_named(str(name).strip())
        if project is None:
            raise InvalidInput(f"Unknown project {str(name).strip()!r}.")
        found.append(project.id)
    return found


def create_for(user_id: int, *, name: str = "", projects: Optional[Iterable[object]] = None,
               read_only: bool = False, expires_in: Optional[str] = None,
               within: Optional[frozenset[int]] = None) -> tuple[str, dict]:
    """A new token of the user: its secret (shown once) and how lists show it.
    ``within``: the projects the asking token reaches, when it is itself narrowed; the
    new token must name projects among them.

    :raise InvalidInput: for a bad expiry, an unknown project or one out of reach.
    """
    now = current_runtime().now_ms()
    ids = None if projects is None else project_ids(projects)
    if within is not None and (ids is None or not set(ids) <= within):
        raise InvalidInput("A token limited to some projects can only make tokens for some of those projects.")
    secret, row = create_token(user_id=user_id, name=name, project_ids=ids, read_only=read_only,
                               expires_at=expiry_of(expires_in, now_ms=now), now_ms=now)
    return secret, token_dict(row, now_ms=now)


def create_from_form(reviewer, form) -> str:
    """The tokens page's form: name, projects (none ticked: all), access, expiry."""
    chosen = form.getlist("project")
    secret, _ = create_for(reviewer.user_id, name=form.get("name", "").strip(), projects=chosen or None,
                           read_only=form.get("access") == "read", expires_in=form.get("expires_in") or None,
                           within=reviewer.access.readable() if reviewer.access.narrowed else None)
    return secret


def listed_tokens(reviewer) -> dict:
    """What the tokens page shows: the reviewer's tokens (never their secrets) and
    the projects a new one may name."""
    now = current_runtime().now_ms()
    names = {project.id: project.name for project in list_projects()}
    tokens = [token_dict(row, now_ms=now) for row in list_tokens(reviewer.user_id)]
    for token in tokens:
        token["expires_text"] = _utc_text(token["expires_at"])
        token["last_used_text"] = _utc_text(token["last_used_at"])
        token["project_names"] = None if token["projects"] is None else [
            names.get(project_id, f"#{project_id}") for project_id in token["projects"]]
    return {"tokens": tokens, "projects": sorted(names.items(), key=lambda item: item[1])}


def _utc_text(ms: Optional[int]) -> str:
    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if ms else "never"
