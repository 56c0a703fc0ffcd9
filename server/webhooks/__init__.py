"""Webhooks: tell other tools when a finding is made or changed, or a signal spikes.

- ``signing``: the ``X-Replaydesk-Signature`` header (HMAC-SHA256 of the raw body);
- ``events``: what each event says (its ``data`` and one-line ``text``), queued in the
  transaction of the change (``server/storage/webhooks.py`` is the outbox);
- ``deliver``: the job that POSTs a due delivery under the outbound policy and
  schedules its retries;
- ``spikes``: after a session's analysis, the ``signal.spike`` check.
"""
