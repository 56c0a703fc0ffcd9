"""Where the server is served, for links the CLI prints. With REPLAYDESK_PUBLIC_URL set,
that; else the address the last `replaydesk serve` bound (written into the data dir),
so `user link` and `init` print links to the port actually served, not :5000."""
from __future__ import annotations

from typing import Optional

from server.config import Settings

SERVED_URL_FILE = "served-url"
# A server bound to every interface is reached on this machine through loopback.
_ANY_ADDRESS = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}


def served_url(host: str, port: int) -> str:
    """``http://host:port`` as a browser on this machine writes it.

    >>> served_url("0.0.0.0", 8080), served_url("::1", 5000), served_url("replay.lan", 80)
    ('http://127.0.0.1:8080', 'http://[::1]:5000', 'http://replay.lan:80')
    """
    shown = _ANY_ADDRESS.get(host, host)
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def record_served_url(settings: Settings, url: str) -> None:
    """Note where `serve` listens, for later commands."""
    (settings.data_dir / SERVED_URL_FILE).write_text(url + "\n")


def last_served_url(settings: Settings) -> Optional[str]:
    path = settings.data_dir / SERVED_URL_FILE
    try:
        return path.read_text().strip() or None
    except OSError:
        return None


def link_base(settings: Settings, *, port: Optional[int] = None) -> str:
    """The base of links the CLI prints: the configured public URL; else ``port`` on
    this machine when given (init before the first serve); else the last served
    address; else the default."""
    if settings.public_url_configured:
        return settings.public_url
    if port is not None:
        return served_url("127.0.0.1", port)
    return last_served_url(settings) or settings.public_url
