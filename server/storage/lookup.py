"""Rows by primary key, or the domain's "not found"."""
from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session as OrmSession

from server.storage.errors import NotFoundError
from server.storage.scope import row_is_visible

Row = TypeVar("Row")


def get_row(db: OrmSession, model: type[Row], row_id: object, what: str) -> Row:
    """The ``model`` row with this primary key.

    :raise NotFoundError: ``No <what> <id>.`` when there is none, or when it belongs
        to a project this request may not read (see storage/scope.py).
    """
    found = db.get(model, row_id)
    if found is None or not row_is_visible(db, found):
        raise NotFoundError(f"No {what} {row_id!r}.")
    return found
