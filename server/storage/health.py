"""What ``/healthz`` asks of each dependency: the database answers, its schema is at
the newest migration, the blob store takes a write, Redis (when configured) answers.
Each check returns nothing when healthy and raises the failure otherwise."""
from __future__ import annotations

import functools
import os
import socket
from typing import Callable, Optional

from alembic.script import ScriptDirectory
from redis import Redis
from sqlalchemy import inspect, text

from server.storage.blobs import BlobStore
from server.storage.migrate import alembic_config
from server.storage.outage import as_unavailable
from server.storage.unit_of_work import end_read, reading

# A health check must answer before the load balancer gives up on it.
REDIS_TIMEOUT_S = 2.0


class Unhealthy(Exception):
    """A dependency answers, but not as it should; the message says how."""


def check_database() -> None:
    """A trivial query. :raise: the driver's error when the database does not answer."""
    reading().execute(text("SELECT 1"))


@functools.lru_cache(maxsize=1)
def _head_revisions() -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def check_migrations() -> None:
    """:raise Unhealthy: when the schema is not at the newest migration (`replaydesk db upgrade`)."""
    session = reading()
    found = set()
    if inspect(session.connection()).has_table("alembic_version"):
        found = set(session.execute(text("SELECT version_num FROM alembic_version")).scalars())
    if found != _head_revisions():
        raise Unhealthy(f"schema at {', '.join(sorted(found)) or 'nothing'}, code expects {', '.join(sorted(_head_revisions()))}")


def check_blobs(blobs: BlobStore) -> None:
    """Write, read back and delete a small blob. :raise: the store's error."""
    key = f"health/{socket.gethostname()}-{os.getpid()}"
    blobs.put(key, b"ok")
    if blobs.get(key) != b"ok":
        raise Unhealthy("the blob store returned other bytes than were written")
    blobs.delete(key)


def check_redis(redis_url: str) -> None:
    """PING. :raise: redis' error when it does not answer within ``REDIS_TIMEOUT_S``."""
    client = Redis.from_url(redis_url, socket_timeout=REDIS_TIMEOUT_S, socket_connect_timeout=REDIS_TIMEOUT_S)
    try:
        client.ping()
    finally:
        client.close()


def health_report(blobs: BlobStore, redis_url: Optional[str]) -> dict[str, dict]:
    """Every check, by name: ``{"ok": true}`` or ``{"ok": false, "error": what kind of failure}``
    (which dependency and how, never connection details)."""
    checks: dict[str, Callable[[], None]] = {
        "database": check_database,
        "migrations": check_migrations,
        "blobs": lambda: check_blobs(blobs),
    }
    if redis_url:
        checks["redis"] = lambda: check_redis(redis_url)
    return {name: _run(check) for name, check in checks.items()}


def _run(check: Callable[[], None]) -> dict:
    try:
        check()
        return {"ok": True}
    except Unhealthy as problem:
        return {"ok": False, "error": str(problem)}
    except Exception as error:  # noqa: BLE001 - any failure of a dependency is the answer
        unavailable = as_unavailable(error)
        end_read()  # a failed statement must not poison the next check's transaction
        return {"ok": False, "error": unavailable.message if unavailable else type(error).__name__}
