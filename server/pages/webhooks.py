"""The webhooks page: every project the reviewer administers, its webhooks and each
one's latest deliveries with every try's answer. Adding and deleting go through the
review API from the browser (``review_ui/src/entries/webhooks.js``)."""
from __future__ import annotations

from flask import render_template

from server.auth.identity import current_reviewer
from server.storage import webhooks as stored
from server.storage.projects import list_projects

DELIVERIES_SHOWN = 20


def webhook_rows(project_id: int) -> list[dict]:
    rows = []
    for hook in stored.list_webhooks(project_id):
        deliveries = stored.list_deliveries(hook.id, limit=DELIVERIES_SHOWN)
        rows.append({"id": hook.id, "url": hook.url, "events": list(hook.events), "created_at": hook.created_at,
                     "created_by": hook.created_by, "deliveries": deliveries,
                     "failing": any(d.state == stored.FAILED or (d.attempts and d.state == stored.PENDING)
                                    for d in deliveries[:1])})
    return rows


def show_webhooks():
    reviewer = current_reviewer()
    projects = [{"id": p.id, "name": p.name, "webhooks": webhook_rows(p.id)}
                for p in list_projects() if reviewer.may(p.id, "admin")]
    return render_template("projects/webhooks.html", projects=projects, events=stored.EVENTS, entry="webhooks.js")


ROUTES = (
    ("/webhooks", show_webhooks),
)
