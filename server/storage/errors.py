"""Domain errors: what storage (and the services over it) raise when a request cannot
be carried out. They say nothing of HTTP; ``server/errors.py`` maps each to one
answer, and the CLI prints their message on one line.
"""
from __future__ import annotations

from typing import Optional


class DomainError(Exception):
    """Base of every error a caller may show to the person who asked."""

    message = "The request cannot be carried out."

    def __init__(self, message: Optional[str] = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message


class InvalidInput(DomainError, ValueError):
    """A value is malformed or out of range; the message names it. Nothing was stored."""

    message = "The input is malformed."


class NotFoundError(DomainError, LookupError):
    """The named record does not exist (or is not visible to the caller)."""

    message = "No such record."


class ConflictError(DomainError):
    """The request contradicts what is stored (a taken name, a session of another project)."""

    message = "This conflicts with what is stored."


class ExpiredError(DomainError):
    """What the request refers to (a cursor) was valid once and no longer is; start again."""

    message = "This no longer applies; start again."


class StorageUnavailable(DomainError):
    """The database or blob store cannot be reached now; retrying later may work."""

    message = "Storage is unavailable; retry later."
