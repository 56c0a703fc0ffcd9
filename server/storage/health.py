"""Whether the database answers (the load balancer's health check)."""
from __future__ import annotations

from sqlalchemy import text

from server.storage.unit_of_work import reading


def check_database() -> None:
    """A trivial query. :raise: the driver's error when the database does not answer."""
    reading().execute(text("SELECT 1"))
