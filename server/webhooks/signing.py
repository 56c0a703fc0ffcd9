"""The signature a receiver checks: ``X-Replaydesk-Signature: sha256=<hex>``, the
HMAC-SHA256 of the raw request body keyed with the webhook's secret."""
from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "X-Replaydesk-Signature"
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, body: bytes) -> str:
    """The header's value for ``body``.

    >>> signature("whsec_test", b'{"event":"finding.created"}')  # openssl dgst -sha256 -hmac whsec_test
    'sha256=b72a0ea5ec9ffc751425697c724b2f7fcc9a952050cca9e1850e4cc7d6baed92'
    """
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def is_valid(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: compare in constant time.

    >>> body = b'{"event":"finding.created"}'
    >>> is_valid("whsec_a", body, signature("whsec_a", body)), is_valid("whsec_b", body, signature("whsec_a", body))
    (True, False)
    """
    return hmac.compare_digest(signature(secret, body), header or "")
