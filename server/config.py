"""Settings: every REPLAYDESK_* variable, parsed once, with derived defaults.

Tests build ``Settings(data_dir=tmp_path, ...)`` directly; the running server
builds ``Settings.from_env(os.environ)``. Nothing else reads the environment.
"""
from __future__ import annotations

import dataclasses
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

DEFAULT_PUBLIC_URL = "http://127.0.0.1:5000"
SECRET_KEY_FILE = "secret_key"

_DURATION_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
_SIZE_UNITS = {"": 1, "b": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1024**2, "mb": 1024**2, "mib": 1024**2,
               "g": 1024**3, "gb": 1024**3, "gib": 1024**3}
MIB = 1024 * 1024


class SettingsError(ValueError):
    """A configuration value cannot be used; the message names the variable."""


def parse_bool(name: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise SettingsError(f"{name}: expected a boolean (1/0, true/false), got {value!r}")


def parse_duration(name: str, value: str) -> float:
    """Seconds from ``"600"``, ``"10m"``, ``"30d"``, ``"500ms"``."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*", value)
    if not match:
        raise SettingsError(f"{name}: expected a duration such as 600, 10m or 30d, got {value!r}")
    return float(match.group(1)) * _DURATION_UNITS[match.group(2) or "s"]


def parse_size(name: str, value: str) -> int:
    """Bytes from ``"5242880"``, ``"512KiB"``, ``"5MiB"``, ``"1G"`` (units of 1024)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", value)
    if not match or match.group(2).lower() not in _SIZE_UNITS or float(match.group(1)) <= 0:
        raise SettingsError(f"{name}: expected a size such as 5242880, 512KiB or 5MiB, got {value!r}")
    return int(float(match.group(1)) * _SIZE_UNITS[match.group(2).lower()])


def parse_positive_int(name: str, value: str) -> int:
    if not value.strip().isdigit() or int(value) <= 0:
        raise SettingsError(f"{name}: expected a positive integer, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("instance")
    database_url: Optional[str] = None  # derived: sqlite file in data_dir
    blob_url: Optional[str] = None  # derived: file:// under data_dir
    redis_url: Optional[str] = None
    s3_endpoint: Optional[str] = None  # for S3-compatible servers (MinIO, moto, ...)
    secret_key: Optional[str] = None  # derived: generated once into data_dir
    public_url: str = DEFAULT_PUBLIC_URL
    # False when REPLAYDESK_PUBLIC_URL is unset: links made in a request then use the
    # address the browser reached (server/web/public_url.py), and `serve` puts its own
    # address in public_url for the rest. Settings built in code count as configured.
    public_url_configured: bool = True
    # A session is compacted once no batch arrived for this long.
    compact_idle_seconds: float = 600.0
    # Analysis runs this long after a session's batches go quiet, so it sees whole pages.
    analysis_quiet_seconds: float = 5.0
    # One session's analysis stops after this long and keeps what it found (marked partial).
    analysis_time_limit_seconds: float = 20.0
    # Per project key; generous because every open tab of a product flushes every 2 s.
    ingest_rate_limit: str = "300/second"
    # A live room shows a session as live while batches keep arriving within this window.
    live_window_seconds: float = 30.0
    # Projects with at least this many compacted sessions get a trained zstd dictionary.
    dictionary_min_sessions: int = 8
    # RQ queue for analysis jobs when Redis is configured (name it apart to share a Redis).
    job_queue: str = "replaydesk-analysis"
    # Outbound fetches (assets, webhooks) may reach loopback, private and link-local
    # addresses; otherwise only when public_url itself is on a loopback host.
    fetch_allow_private: bool = False
    # The asset cache (replay fidelity): the largest stylesheet, font and image it keeps
    # (big frameworks ship ~1 MiB of CSS, CJK fonts a few MiB, hero images a few MiB),
    # what a project's sessions may use in all (distinct files), and per session.
    asset_max_stylesheet_bytes: int = 2 * MIB
    asset_max_font_bytes: int = 4 * MIB
    asset_max_image_bytes: int = 5 * MIB
    asset_project_quota_bytes: int = 1024 * MIB
    assets_per_session: int = 500
    # A database that does not answer fails a request after this long (503), not never:
    # connecting (PostgreSQL), waiting for a pooled connection, and one statement.
    database_connect_timeout: float = 5.0
    database_statement_timeout: float = 30.0
    # SQLite: how long a writer waits for another process's write lock.
    database_busy_timeout: float = 30.0
    # Sign-in throttling: after this many failed passwords for one account, or from one
    # client address, within the window, /auth/login answers 429 with Retry-After.
    login_account_failures: int = 5
    login_address_failures: int = 20
    login_failure_window_seconds: float = 900.0

    def __post_init__(self) -> None:
        data_dir = Path(self.data_dir).resolve()
        object.__setattr__(self, "data_dir", data_dir)
        if self.database_url is None:
            object.__setattr__(self, "database_url", f"sqlite:///{data_dir / 'replaydesk.db'}")
        if self.blob_url is None:
            object.__setattr__(self, "blob_url", f"file://{data_dir / 'blobs'}")
        object.__setattr__(self, "public_url", self.public_url.rstrip("/"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> "Settings":
        """Build settings from ``REPLAYDESK_*`` variables; raise SettingsError on bad values."""
        kwargs: dict = {}
        text_vars = {
            "REPLAYDESK_DATA_DIR": "data_dir",
            "REPLAYDESK_DATABASE_URL": "database_url",
            "REPLAYDESK_BLOB_URL": "blob_url",
            "REPLAYDESK_REDIS_URL": "redis_url",
            "REPLAYDESK_S3_ENDPOINT": "s3_endpoint",
            "REPLAYDESK_SECRET_KEY": "secret_key",
            "REPLAYDESK_PUBLIC_URL": "public_url",
            "REPLAYDESK_INGEST_RATE_LIMIT": "ingest_rate_limit",
            "REPLAYDESK_JOB_QUEUE": "job_queue",
        }
        for var, attr in text_vars.items():
            if environ.get(var):
                kwargs[attr] = environ[var]
        kwargs["public_url_configured"] = bool(environ.get("REPLAYDESK_PUBLIC_URL"))
        durations = {
            "REPLAYDESK_COMPACT_IDLE": "compact_idle_seconds",
            "REPLAYDESK_ANALYSIS_QUIET": "analysis_quiet_seconds",
            "REPLAYDESK_ANALYSIS_TIME_LIMIT": "analysis_time_limit_seconds",
            "REPLAYDESK_LIVE_WINDOW": "live_window_seconds",
            "REPLAYDESK_DB_CONNECT_TIMEOUT": "database_connect_timeout",
            "REPLAYDESK_DB_STATEMENT_TIMEOUT": "database_statement_timeout",
            "REPLAYDESK_DB_BUSY_TIMEOUT": "database_busy_timeout",
            "REPLAYDESK_LOGIN_FAILURE_WINDOW": "login_failure_window_seconds",
        }
        for var, attr in durations.items():
            if environ.get(var):
                kwargs[attr] = parse_duration(var, environ[var])
        if environ.get("REPLAYDESK_FETCH_ALLOW_PRIVATE"):
            kwargs["fetch_allow_private"] = parse_bool("REPLAYDESK_FETCH_ALLOW_PRIVATE", environ["REPLAYDESK_FETCH_ALLOW_PRIVATE"])
        sizes = {
            "REPLAYDESK_ASSET_MAX_STYLESHEET": "asset_max_stylesheet_bytes",
            "REPLAYDESK_ASSET_MAX_FONT": "asset_max_font_bytes",
            "REPLAYDESK_ASSET_MAX_IMAGE": "asset_max_image_bytes",
            "REPLAYDESK_ASSET_QUOTA": "asset_project_quota_bytes",
        }
        for var, attr in sizes.items():
            if environ.get(var):
                kwargs[attr] = parse_size(var, environ[var])
        for var, attr in (("REPLAYDESK_LOGIN_ACCOUNT_FAILURES", "login_account_failures"),
                          ("REPLAYDESK_LOGIN_ADDRESS_FAILURES", "login_address_failures"),
                          ("REPLAYDESK_ASSETS_PER_SESSION", "assets_per_session")):
            if environ.get(var):
                kwargs[attr] = parse_positive_int(var, environ[var])
        if environ.get("REPLAYDESK_DICTIONARY_MIN_SESSIONS"):
            kwargs["dictionary_min_sessions"] = parse_positive_int(
                "REPLAYDESK_DICTIONARY_MIN_SESSIONS", environ["REPLAYDESK_DICTIONARY_MIN_SESSIONS"]
            )
        return cls(**kwargs)

    def replace(self, **changes) -> "Settings":
        return dataclasses.replace(self, **changes)

    def resolved_secret_key(self) -> str:
        """The configured secret, or one generated once and kept in the data dir."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / SECRET_KEY_FILE
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:  # O_EXCL: several server processes may start at once; one writes, all read.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
        return path.read_text().strip()

    @property
    def is_sqlite(self) -> bool:
        return str(self.database_url).startswith("sqlite")

    @property
    def uses_https(self) -> bool:
        return self.public_url.startswith("https://")
