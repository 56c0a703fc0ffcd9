"""The asker's API tokens: list (never the secrets), make, revoke. An instance admin
may list (``?all=1``) and revoke everyone's."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from server.auth.identity import require_reviewer
from server.auth.tokens import create_for
from server.errors import BadRequest
from server.runtime import current_runtime
from server.storage.tokens import list_tokens, revoke_token, token_dict
from server.web.params import parse_bool

bp = Blueprint("tokens", __name__, url_prefix="/tokens")


@bp.get("")
def index_tokens():
    reviewer = require_reviewer()
    everyone = reviewer.is_admin and parse_bool("all", request.args.get("all"))
    now = current_runtime().now_ms()
    rows = list_tokens(None if everyone else reviewer.user_id)
    return jsonify({"tokens": [token_dict(row, now_ms=now) for row in rows]})


@bp.post("")
def add_token():
    """Body ``{name?, projects?: [name or id], read_only?: bool, expires_in?: "30d"}``;
    the answer holds the secret, shown this once."""
    reviewer = require_reviewer()
    body = request.get_json(silent=True)
    if body is None:
        body = {}
    if not isinstance(body, dict) or not set(body) <= {"name", "projects", "read_only", "expires_in"}:
        raise BadRequest("Send a JSON object {name?, projects?, read_only?, expires_in?}.")
    projects = body.get("projects")
    if projects is not None and not isinstance(projects, list):
        raise BadRequest("projects must be a list of project names or ids.")
    if not isinstance(body.get("name", ""), str) or not isinstance(body.get("expires_in", ""), (str, type(None))):
        raise BadRequest("name and expires_in must be strings.")
    secret, shown = create_for(reviewer.user_id, name=body.get("name", ""), projects=projects,
                               read_only=bool(body.get("read_only")), expires_in=body.get("expires_in"),
                               within=reviewer.access.readable() if reviewer.access.narrowed else None)
    return jsonify({"token": secret, **shown}), 201


@bp.delete("/<int:token_id>")
def remove_token(token_id: int):
    reviewer = require_reviewer()
    revoke_token(token_id, owner_id=None if reviewer.is_admin else reviewer.user_id)
    return jsonify({"ok": True, "deleted": token_id})
