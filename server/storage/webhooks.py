"""Webhooks: a project's receivers and the outbox of deliveries to them.

A delivery row is written in the same transaction as the change it reports (see
:func:`queue_event`), so a finding that was stored is always announced, and an event
is never announced for a change that rolled back. The job runner sends due deliveries
(``server/webhooks/deliver.py``); each try is logged with the receiver's answer.
"""
from __future__ import annotations

from typing import Mapping, Optional, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session as OrmSession, selectinload

from server.storage.lookup import get_row
from server.storage.models import Finding, Project, Webhook, WebhookAttempt, WebhookDelivery
from server.storage.scope import confined
from server.storage.unit_of_work import reading, unit_of_work

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
FINDING_CREATED, FINDING_UPDATED, SIGNAL_SPIKE = "finding.created", "finding.updated", "signal.spike"
EVENTS = (FINDING_CREATED, FINDING_UPDATED, SIGNAL_SPIKE)
MAX_ERROR = 300  # the column's width


def create_webhook(project_id: int, *, url: str, events: Sequence[str], secret: str, created_by: str,
                   now_ms: int) -> Webhook:
    """:commits: the new webhook."""
    with unit_of_work() as db:
        get_row(db, Project, project_id, "project")
        webhook = Webhook(project_id=project_id, url=url, events=list(events), secret=secret,
                          created_by=created_by, created_at=now_ms)
        db.add(webhook)
    return webhook


def get_webhook(webhook_id: int) -> Webhook:
    """:raise NotFoundError: when no webhook this request may read has this id."""
    return get_row(reading(), Webhook, webhook_id, "webhook")


def list_webhooks(project_id: int) -> list[Webhook]:
    query = confined(select(Webhook), Webhook.project_id).where(Webhook.project_id == project_id)
    return list(reading().execute(query.order_by(Webhook.id)).scalars())


def delete_webhook(webhook_id: int) -> None:
    """The webhook and its delivery log go; nothing more is sent to it.

    :raise NotFoundError: when no webhook has this id.
    :commits: the removal.
    """
    with unit_of_work() as db:
        db.delete(get_row(db, Webhook, webhook_id, "webhook"))


def queue_event(db: OrmSession, project_id: Optional[int], event: str, data: Mapping[str, object], *,
                now_ms: int, dedupe_key: Optional[str] = None) -> int:
    """Inside the unit of work that made the change: a delivery, due now, to every
    webhook of the project that asked for ``event``; how many. ``data`` is what the
    event says (the delivery adds links and the one-line text when it is sent)."""
    if project_id is None:
        return 0  # a finding across projects belongs to no project's webhooks
    hooks = db.execute(select(Webhook).where(Webhook.project_id == project_id)).scalars()
    queued = 0
    for hook in hooks:
        if event in (hook.events or []):
            db.add(WebhookDelivery(webhook_id=hook.id, event=event, data=dict(data), dedupe_key=dedupe_key,
                                   state=PENDING, attempts=0, created_at=now_ms, due_at=now_ms))
            queued += 1
    return queued


def queue_event_once(project_id: int, event: str, data: Mapping[str, object], *, now_ms: int,
                     dedupe_key: str, quiet_ms: int) -> int:
    """Like :func:`queue_event`, unless an event with ``dedupe_key`` was queued in
    the last ``quiet_ms``; how many deliveries were queued.

    :commits: the deliveries.
    """
    with unit_of_work() as db:
        recent = db.execute(select(WebhookDelivery.id).where(
            WebhookDelivery.dedupe_key == dedupe_key, WebhookDelivery.created_at > now_ms - quiet_ms).limit(1)).first()
        if recent is not None:
            return 0
        return queue_event(db, project_id, event, data, now_ms=now_ms, dedupe_key=dedupe_key)


def finding_data(finding: Finding, *, changed: Sequence[str] = ()) -> dict:
    """What ``finding.created`` / ``finding.updated`` say of a finding (flushed, so it has an id)."""
    data = {"id": finding.id, "title": finding.title, "severity": finding.severity, "status": finding.status,
            "tags": list(finding.tags or []), "variant": finding.variant, "author": finding.author,
            "evidence_count": len(finding.evidence)}
    if changed:
        data["changed"] = sorted(changed)
    return data


def has_webhooks_for(project_id: int, event: str) -> bool:
    """Whether any webhook of the project asked for ``event`` (spares work that would
    announce nothing)."""
    hooks = reading().execute(select(Webhook.events).where(Webhook.project_id == project_id)).scalars()
    return any(event in (events or []) for events in hooks)


def claim_due_deliveries(*, now_ms: int, lease_ms: int, limit: int) -> list[str]:
    """Take a lease on deliveries whose next try is due (oldest first); ids as text,
    as the job runner hands ids around.

    :commits: the leases.
    """
    if limit <= 0:
        return []
    due = reading().execute(select(WebhookDelivery.id, WebhookDelivery.due_at)
                            .where(WebhookDelivery.due_at <= now_ms)
                            .order_by(WebhookDelivery.due_at, WebhookDelivery.id).limit(limit)).all()
    claimed = []
    if not due:
        return claimed
    with unit_of_work() as db:
        for delivery_id, was_due_at in due:
            taken = db.execute(update(WebhookDelivery)
                               .where(WebhookDelivery.id == delivery_id, WebhookDelivery.due_at == was_due_at)
                               .values(due_at=now_ms + lease_ms)).rowcount
            if taken:
                claimed.append(str(delivery_id))
    return claimed


def delivery_to_send(delivery_id: int) -> Optional[tuple[WebhookDelivery, Webhook, Project]]:
    """The delivery, its webhook and project; None when it is gone or already finished."""
    db = reading()
    delivery = db.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.state != PENDING:
        return None
    webhook = db.get(Webhook, delivery.webhook_id)
    return delivery, webhook, db.get(Project, webhook.project_id)


def record_attempt(delivery_id: int, *, at_ms: int, status: Optional[int], error: str, duration_ms: int,
                   delivered: bool, next_due_ms: Optional[int]) -> None:
    """Log one try; the delivery is done when ``delivered``, tried again at
    ``next_due_ms``, or failed for good when that is None.

    :commits: the try and the delivery's new state.
    """
    with unit_of_work() as db:
        delivery = db.get(WebhookDelivery, delivery_id)
        if delivery is None:
            return  # the webhook was deleted while we were sending
        db.add(WebhookAttempt(delivery_id=delivery_id, at=at_ms, status=status, error=error[:MAX_ERROR],
                              duration_ms=duration_ms))
        delivery.attempts += 1
        delivery.last_status = status
        if delivered or next_due_ms is None:
            delivery.state = DELIVERED if delivered else FAILED
            delivery.due_at = None
            delivery.finished_at = at_ms
        else:
            delivery.due_at = next_due_ms


def list_deliveries(webhook_id: int, *, limit: int) -> list[WebhookDelivery]:
    """The webhook's latest deliveries, newest first, with their tries."""
    query = (select(WebhookDelivery).where(WebhookDelivery.webhook_id == webhook_id)
             .options(selectinload(WebhookDelivery.log))
             .order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()).limit(limit))
    return list(reading().execute(query).scalars())
