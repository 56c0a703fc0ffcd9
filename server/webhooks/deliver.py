"""Send due webhook deliveries: a signed JSON POST under the outbound policy (the
receiver's URL is a project setting, so it gets the same address rule, time and size
limits as any fetch), logged with the answer, retried with backoff for a day.

Any answer but a 2xx is retried: receivers that are down, slow or misconfigured for a
while are the usual case, and a day of retries covers a weekend's alerting at most
eight times. Each try is one job on the one job runner; due tries live in the
database (``webhook_deliveries.due_at``), so a restart loses none.
"""
from __future__ import annotations

import time
from typing import Optional

from server.jobs.due import CLAIM_BATCH, LEASE_MS
from server.outbound import OutboundRefused, policy_for, request
from server.runtime import Runtime
from server.storage.webhooks import claim_due_deliveries, delivery_to_send, record_attempt
from server.webhooks.events import delivery_body
from server.webhooks.signing import SIGNATURE_HEADER, signature

DELIVER_WEBHOOK = "deliver_webhook"
RETRY_DELAYS_MS = tuple(s * 1000 for s in (30, 120, 600, 1800, 3600, 7200, 14400, 21600))
"""Wait after the 1st, 2nd, ... failed try; the last one repeats."""
RETRY_WINDOW_MS = 24 * 3600 * 1000
"""No try is made later than this after the event."""
TIMEOUT_S = 10.0
"""The whole request: a receiver must answer quickly (and do its work later)."""
MAX_ANSWER_BYTES = 64 * 1024
USER_AGENT = "Replaydesk-Webhooks/1"


def next_try_ms(*, created_at: int, tries: int, now_ms: int) -> Optional[int]:
    """When to try again after ``tries`` failed tries; None once the window is over.

    >>> next_try_ms(created_at=0, tries=1, now_ms=1_000)
    31000
    >>> next_try_ms(created_at=0, tries=20, now_ms=3_600_000)  # the last delay repeats
    25200000
    >>> next_try_ms(created_at=0, tries=9, now_ms=20 * 3_600_000) is None  # 6 h later is past the day
    True
    """
    at = now_ms + RETRY_DELAYS_MS[min(tries, len(RETRY_DELAYS_MS)) - 1]
    return at if at <= created_at + RETRY_WINDOW_MS else None


def deliver_webhook(runtime: Runtime, delivery_id: str) -> Optional[bool]:
    """One try of one delivery; whether the receiver took it, None when the delivery
    is gone or already finished."""
    found = delivery_to_send(int(delivery_id))
    if found is None:
        return None
    delivery, webhook, project = found
    now_ms = runtime.now_ms()
    body = delivery_body(event=delivery.event, data=delivery.data, project_id=project.id, project_name=project.name,
                         delivery_id=delivery.id, public_url=runtime.settings.public_url, sent_at_ms=now_ms)
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
               "X-Replaydesk-Event": delivery.event, "X-Replaydesk-Delivery": str(delivery.id),
               SIGNATURE_HEADER: signature(webhook.secret, body)}
    started = time.monotonic()
    status, error = None, ""
    try:
        status = request(webhook.url, policy_for(runtime.settings), method="POST", body=body, headers=headers,
                         max_bytes=MAX_ANSWER_BYTES, timeout=TIMEOUT_S, total_timeout=TIMEOUT_S).status
    except OutboundRefused as refused:
        error = str(refused)
    delivered = status is not None and 200 <= status < 300
    done_ms = runtime.now_ms()
    record_attempt(delivery.id, at_ms=done_ms, status=status, error=error,
                   duration_ms=round((time.monotonic() - started) * 1000), delivered=delivered,
                   next_due_ms=None if delivered else next_try_ms(created_at=delivery.created_at,
                                                                  tries=delivery.attempts + 1, now_ms=done_ms))
    return delivered


def run_due_deliveries(runtime: Runtime) -> int:
    """Claim the deliveries whose try is due and run or queue them; how many."""
    claimed = claim_due_deliveries(now_ms=runtime.now_ms(), lease_ms=LEASE_MS, limit=runtime.jobs.room(CLAIM_BATCH))
    return runtime.jobs.submit(DELIVER_WEBHOOK, claimed)
