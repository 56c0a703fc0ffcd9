"""Webhooks of a project (its admins manage them): create, list, delete, the delivery
log, and a test event. Deliveries are sent by the job runner (``server/webhooks``)."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from server.auth.identity import require_project_access
from server.errors import BadRequest
from server.outbound import policy_for, refusal_of
from server.runtime import current_runtime
from server.storage import webhooks as stored
from server.web.params import parse_int
from server.webhooks.signing import new_secret

bp = Blueprint("webhooks", __name__)

MAX_URL = 2000
MAX_WEBHOOKS_PER_PROJECT = 20
MAX_LOG = 200


def webhook_json(hook, *, with_secret: bool = False) -> dict:
    found = {"id": hook.id, "project_id": hook.project_id, "url": hook.url, "events": list(hook.events),
             "created_at": hook.created_at, "created_by": hook.created_by}
    if with_secret:
        found["secret"] = hook.secret
    return found


def delivery_json(delivery) -> dict:
    return {"id": delivery.id, "event": delivery.event, "state": delivery.state, "attempts": delivery.attempts,
            "last_status": delivery.last_status, "created_at": delivery.created_at, "next_try_at": delivery.due_at,
            "finished_at": delivery.finished_at, "data": delivery.data,
            "log": [{"at": a.at, "status": a.status, "error": a.error, "duration_ms": a.duration_ms}
                    for a in delivery.log]}


def _parse_webhook(body) -> tuple[str, list[str]]:
    """``{url, events}`` checked; :raise BadRequest: naming what is wrong."""
    if not isinstance(body, dict):
        raise BadRequest("Send a JSON object {url, events}.")
    url, events = body.get("url"), body.get("events", list(stored.EVENTS))
    if not isinstance(url, str) or not url.strip() or len(url) > MAX_URL or "\x00" in url:
        raise BadRequest(f"url must be an http(s) URL of at most {MAX_URL} characters.")
    refusal = refusal_of(url.strip(), policy_for(current_runtime().settings))
    if refusal:
        raise BadRequest(f"url is refused: {refusal}.")
    if not isinstance(events, list) or not events or not all(e in stored.EVENTS for e in events):
        raise BadRequest(f"events must be a non-empty list of {', '.join(stored.EVENTS)}.")
    return url.strip(), sorted(set(events), key=stored.EVENTS.index)


@bp.get("/projects/<int:project_id>/webhooks")
def list_webhooks(project_id: int):
    require_project_access(project_id, "admin")
    return jsonify({"webhooks": [webhook_json(hook) for hook in stored.list_webhooks(project_id)]})


@bp.post("/projects/<int:project_id>/webhooks")
def create_webhook(project_id: int):
    """Body ``{url, events?}`` (default: every event) → 201 with the signing ``secret``,
    shown only here."""
    reviewer = require_project_access(project_id, "admin")
    url, events = _parse_webhook(request.get_json(silent=True))
    if len(stored.list_webhooks(project_id)) >= MAX_WEBHOOKS_PER_PROJECT:
        raise BadRequest(f"A project has at most {MAX_WEBHOOKS_PER_PROJECT} webhooks.")
    hook = stored.create_webhook(project_id, url=url, events=events, secret=new_secret(), created_by=reviewer.name,
                                 now_ms=current_runtime().now_ms())
    return jsonify(webhook_json(hook, with_secret=True)), 201


@bp.delete("/webhooks/<int:webhook_id>")
def delete_webhook(webhook_id: int):
    require_project_access(stored.get_webhook(webhook_id).project_id, "admin")
    stored.delete_webhook(webhook_id)
    return "", 204


@bp.get("/webhooks/<int:webhook_id>/deliveries")
def list_deliveries(webhook_id: int):
    """The latest deliveries (``?limit=``, default 50), newest first, each with its tries."""
    require_project_access(stored.get_webhook(webhook_id).project_id, "admin")
    limit = parse_int("limit", request.args.get("limit"), default=50, low=1, high=MAX_LOG)
    return jsonify({"deliveries": [delivery_json(d) for d in stored.list_deliveries(webhook_id, limit=limit)]})
