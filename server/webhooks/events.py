"""What a delivery sends: the JSON body ``{event, project, data, sent_at, text}``, with
``data.link`` to the thing in Replaydesk and ``text`` one line a person reads (a Slack
incoming webhook shows ``text`` as the message)."""
from __future__ import annotations

from typing import Mapping
from urllib.parse import urlencode

import orjson

from server.review.export import SEVERITY_NAMES
from server.storage.webhooks import FINDING_CREATED, FINDING_UPDATED, SIGNAL_SPIKE

MAX_TITLE_IN_TEXT = 120


def link_for(event: str, data: Mapping[str, object], public_url: str) -> str:
    """Where a reader of the event goes in Replaydesk.

    >>> link_for("finding.created", {"id": 7}, "https://rd.example")
    'https://rd.example/findings/7'
    >>> link_for("signal.spike", {"kind": "rage_click", "url": "https://shop/cart?a=1"}, "https://rd.example")
    'https://rd.example/sessions?signal=rage_click&url=https%3A%2F%2Fshop%2Fcart%3Fa%3D1&sort=-frustration'
    """
    if event in (FINDING_CREATED, FINDING_UPDATED):
        return f"{public_url}/findings/{data['id']}"
    if event == SIGNAL_SPIKE:
        return f"{public_url}/sessions?" + urlencode({"signal": data["kind"], "url": data["url"], "sort": "-frustration"})
    return public_url


def text_for(event: str, data: Mapping[str, object], project_name: str, link: str) -> str:
    """The one-line summary.

    >>> text_for("finding.created", {"title": "Coupon gives no feedback", "severity": 3, "evidence_count": 2},
    ...          "Shop", "https://rd/findings/7")
    'New finding in Shop: “Coupon gives no feedback” (major, 2 notes) https://rd/findings/7'
    >>> text_for("finding.updated", {"title": "Coupon", "status": "fixed", "changed": ["status"]}, "Shop", "L")
    'Finding in Shop updated (status): “Coupon”, now fixed L'
    >>> text_for("signal.spike", {"kind": "rage_click", "url": "https://shop/cart", "signals": 12, "rate": 0.6,
    ...          "usual_rate": 0.08}, "Shop", "L")
    'Rage clicks spiking in Shop on https://shop/cart: 12 in the last hour (0.60 per visit, usually 0.08) L'
    """
    if event == FINDING_CREATED:
        notes = data.get("evidence_count", 0)
        severity = SEVERITY_NAMES.get(data.get("severity"), "unrated")
        return (f"New finding in {project_name}: “{_short(data['title'])}” "
                f"({severity}, {notes} note{'' if notes == 1 else 's'}) {link}")
    if event == FINDING_UPDATED:
        changed = ", ".join(data.get("changed") or ()) or "no fields"
        return f"Finding in {project_name} updated ({changed}): “{_short(data['title'])}”, now {data['status']} {link}"
    if event == SIGNAL_SPIKE:
        kind = str(data["kind"]).replace("_", " ").capitalize() + "s"
        return (f"{kind} spiking in {project_name} on {data['url']}: {data['signals']} in the last hour "
                f"({data['rate']:.2f} per visit, usually {data['usual_rate']:.2f}) {link}")
    return f"{event} in {project_name} {link}"


def _short(title: object) -> str:
    text = " ".join(str(title).split())
    return text if len(text) <= MAX_TITLE_IN_TEXT else text[: MAX_TITLE_IN_TEXT - 1] + "…"


def delivery_body(*, event: str, data: Mapping[str, object], project_id: int, project_name: str,
                  delivery_id: int, public_url: str, sent_at_ms: int) -> bytes:
    """The raw body that is signed and sent (``delivery`` lets a receiver drop a retry
    it already took)."""
    link = link_for(event, data, public_url)
    return orjson.dumps({
        "event": event,
        "project": {"id": project_id, "name": project_name},
        "data": {**data, "link": link},
        "sent_at": sent_at_ms,
        "delivery": delivery_id,
        "text": text_for(event, data, project_name, link),
    })
