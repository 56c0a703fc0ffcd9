"""A client-side bound on PostgreSQL waits, for a server that stops answering.

``statement_timeout`` is enforced by the server, and a paused or wedged server (or a
network path that swallows packets while the kernel still ACKs) enforces nothing:
the driver waits on its socket for ever, each request that reaches the database holds
a thread for ever, and once every thread is held the process answers nothing, static
files and the login page included. So:

- the pool's liveness check (``pool_pre_ping``'s job) runs here, on checkout, and
  must answer within the connect timeout; a connection that does not is dropped and
  the pool opens a new one (bounded by libpq's ``connect_timeout``);
- every statement run through SQLAlchemy must finish within the statement timeout
  plus ``GRACE_S`` (the server should have cancelled it by then);

and a connection past its deadline has its socket shut down by one watchdog thread:
the driver's wait ends with a connection error, the pool discards the connection,
and the request answers 503 (``storage/outage.py``).

Once connecting or the check has failed, the database counts as down for
``BREAKER_S``: requests in that time fail at once instead of each waiting out the
timeout again, so the threads stay free for what needs no database (static files, the
login page, ``/healthz``). Then one request tries it while the others still fail at
once; its success ends the outage, its failure starts another ``BREAKER_S``.
"""
from __future__ import annotations

import os
import socket
import threading
import time
from typing import Any

from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

# Past the statement timeout, the server has had this long to cancel before we cut.
GRACE_S = 2.0
# How often the watchdog looks at the deadlines.
TICK_S = 0.1
# After a failed connect or check, new connections are not tried for this long.
BREAKER_S = 1.0


class Watchdog:
    """Deadlines of driver connections that are waiting on the server; one thread cuts
    the sockets of those past theirs."""

    def __init__(self, probe_s: float) -> None:
        self._deadlines: dict[int, tuple[float, Any]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._probe_s = probe_s  # how long the one request trying a down database may take
        self._down_until = 0.0  # 0: up

    def trip(self) -> None:
        """The database did not answer: count it down for ``BREAKER_S``."""
        with self._lock:
            self._down_until = time.monotonic() + BREAKER_S

    def admit(self) -> bool:
        """Whether to try the database now: not while it counts as down; after that,
        one caller tries it while the others are still refused."""
        if not self._down_until:
            return True
        with self._lock:
            now = time.monotonic()
            if now < self._down_until:
                return False
            self._down_until = now + self._probe_s
            return True

    def answered(self) -> None:
        """The database answered: the outage, if any, is over."""
        if self._down_until:
            with self._lock:
                self._down_until = 0.0

    def watch(self, dbapi_connection: Any, seconds: float) -> None:
        with self._lock:
            self._deadlines[id(dbapi_connection)] = (time.monotonic() + seconds, dbapi_connection)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="replaydesk-db-watchdog", daemon=True)
                self._thread.start()

    def release(self, dbapi_connection: Any) -> None:
        with self._lock:
            self._deadlines.pop(id(dbapi_connection), None)

    def _run(self) -> None:
        while True:
            time.sleep(TICK_S)
            now = time.monotonic()
            with self._lock:
                late = [key for key, (deadline, _) in self._deadlines.items() if deadline <= now]
                late = [self._deadlines.pop(key)[1] for key in late]
            for conn in late:
                _cut(conn)


def _cut(dbapi_connection: Any) -> None:
    """Shut the connection's socket down: the driver's wait on it ends with an error."""
    try:
        fd = dbapi_connection.pgconn.socket
        sock = socket.socket(fileno=os.dup(fd))
    except Exception:  # noqa: BLE001 - already closed: nothing is waiting on it
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()


def install_watchdog(engine: Engine, *, ping_s: float, statement_s: float) -> Watchdog:
    """Bound waits on ``engine``'s PostgreSQL connections as described above; the
    engine must not use ``pool_pre_ping`` (the check on checkout replaces it)."""
    watchdog = Watchdog(probe_s=ping_s + GRACE_S)

    @event.listens_for(engine, "do_connect")
    def _connect(dialect, _record, cargs, cparams):
        if not watchdog.admit():
            raise dialect.loaded_dbapi.OperationalError("the database did not answer a moment ago")
        try:
            connection = dialect.connect(*cargs, **cparams)
        except Exception:
            watchdog.trip()
            raise
        watchdog.answered()
        return connection

    @event.listens_for(engine, "connect")
    def _fresh(_dbapi_connection, record) -> None:
        record.info["fresh"] = True  # just connected: no need to ask whether it answers

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection, record, _proxy) -> None:
        if record.info.pop("fresh", False):
            return
        if not watchdog.admit():
            raise exc.DisconnectionError("the database did not answer a moment ago")
        watchdog.watch(dbapi_connection, ping_s)
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as error:  # noqa: BLE001 - any failure: the pool tries a new connection
            watchdog.trip()
            raise exc.DisconnectionError(f"database connection is gone: {type(error).__name__}") from error
        finally:
            watchdog.release(dbapi_connection)
        watchdog.answered()

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
        watchdog.watch(conn.connection.dbapi_connection, statement_s + GRACE_S)

    @event.listens_for(engine, "after_cursor_execute")
    def _end(conn, _cursor, _statement, _parameters, _context, _executemany) -> None:
        watchdog.release(conn.connection.dbapi_connection)

    @event.listens_for(engine, "handle_error")
    def _failed(context) -> None:
        if context.connection is not None and context.connection.connection.dbapi_connection is not None:
            watchdog.release(context.connection.connection.dbapi_connection)

    return watchdog
