"""The asker's saved views of the session list: named query strings, their own only."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from server.auth.identity import require_reviewer
from server.errors import BadRequest
from server.runtime import current_runtime
from server.storage.saved_views import delete_view, list_views, save_view

bp = Blueprint("saved_views", __name__, url_prefix="/views")


def view_dict(view) -> dict:
    return {"id": view.id, "name": view.name, "query": view.query, "created_at": view.created_at}


@bp.get("")
def index_views():
    reviewer = require_reviewer()
    return jsonify({"views": [view_dict(view) for view in list_views(reviewer.user_id)]})


@bp.post("")
def add_view():
    """Body ``{name, query}``: the list's query string (``signal=rage_click&sort=-frustration``);
    a view of the same name takes the new filters. Cursors are dropped: a view is filters."""
    reviewer = require_reviewer()
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not isinstance(body.get("query", ""), str):
        raise BadRequest("Send a JSON object {name: text, query: the list's query string}.")
    query = "&".join(part for part in body.get("query", "").lstrip("?").split("&")
                     if part and not part.startswith("cursor="))
    view = save_view(reviewer.user_id, name=body["name"], query=query, now_ms=current_runtime().now_ms())
    return jsonify(view_dict(view)), 201


@bp.delete("/<int:view_id>")
def remove_view(view_id: int):
    reviewer = require_reviewer()
    delete_view(reviewer.user_id, view_id)
    return jsonify({"ok": True, "deleted": view_id})
