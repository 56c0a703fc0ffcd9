"""Which failures mean a dependency is down (the database, the blob store, Redis) rather
than a bug: one table, read by the web layer's error handler (a 503 with
``Retry-After``, ``server/errors.py``) and by ``/healthz``.

A driver's connection error, a statement or pool timeout, a locked SQLite file, a
missing table (migrations not run), a read-only or full disk under the blob store, an
S3 endpoint that does not answer or answers 5xx, an unreachable Redis: each becomes
``StorageUnavailable`` naming the dependency. Everything else is left alone (a bug
stays a 500 with its traceback in the log).
"""
from __future__ import annotations

import errno
import sqlite3
from typing import Optional

import psycopg
import redis.exceptions
from botocore.exceptions import BotoCoreError, ClientError
from sqlalchemy import exc as sa_exc

from server.storage.errors import StorageUnavailable

DATABASE, BLOB_STORE, REDIS = "database", "blob store", "Redis"
_NAMES = {DATABASE: "The database", BLOB_STORE: "The blob store", REDIS: "Redis"}

_DATABASE_ERRORS = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError, sa_exc.DisconnectionError,
                    psycopg.OperationalError, psycopg.InterfaceError, sqlite3.OperationalError)
# SQLite says "operational" of a syntax error too: only these mean the file is unusable now.
_SQLITE_OUTAGES = ("locked", "busy", "unable to open", "disk i/o", "readonly", "disk is full", "no such table")
_DISK_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT, errno.EIO})


def dependency_down(error: BaseException) -> Optional[str]:
    """The dependency ``error`` says is down (``DATABASE``, ``BLOB_STORE``, ``REDIS``), or None.

    >>> dependency_down(sqlite3.OperationalError("database is locked")), dependency_down(KeyError("x"))
    ('database', None)
    >>> dependency_down(OSError(errno.EROFS, "Read-only file system")), dependency_down(redis.exceptions.ConnectionError())
    ('blob store', 'Redis')
    """
    if isinstance(error, _DATABASE_ERRORS):
        driver_error = getattr(error, "orig", error)
        if isinstance(driver_error, sqlite3.OperationalError) and not any(
                phrase in str(driver_error).lower() for phrase in _SQLITE_OUTAGES):
            return None
        return DATABASE
    if isinstance(error, sa_exc.ProgrammingError) and isinstance(error.orig, psycopg.errors.UndefinedTable):
        return DATABASE  # the schema is not there: `replaydesk db upgrade` was not run
    if isinstance(error, (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)):
        return REDIS
    if isinstance(error, BotoCoreError):
        return BLOB_STORE
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return BLOB_STORE if status >= 500 or error.response.get("Error", {}).get("Code") == "SlowDown" else None
    if isinstance(error, OSError) and error.errno in _DISK_ERRNOS:
        return BLOB_STORE
    return None


def as_unavailable(error: BaseException) -> Optional[StorageUnavailable]:
    """``error`` as the domain's StorageUnavailable when it means a dependency is down."""
    if isinstance(error, StorageUnavailable):
        return error
    what = dependency_down(error)
    return None if what is None else StorageUnavailable(f"{_NAMES[what]} is unavailable; retry later.")
