"""The base URL of links and snippets this server hands out. REPLAYDESK_PUBLIC_URL when
set; otherwise the address the browser used to reach us, so a server started on another
port, or reached by its LAN name, gives links that work (outside a request: the address
`serve` bound, or the default)."""
from __future__ import annotations

from flask import has_request_context, request

from server.runtime import current_runtime


def public_base_url() -> str:
    settings = current_runtime().settings
    if settings.public_url_configured or not has_request_context():
        return settings.public_url
    return request.host_url.rstrip("/")


def reached_url() -> str:
    """How this request reached the server (scheme, host and port), for comparing."""
    return request.host_url.rstrip("/")


def mismatch_warning() -> str | None:
    """A sentence when the configured public URL is not how this request reached us:
    snippets would send to an address the browser may not reach."""
    settings = current_runtime().settings
    if not settings.public_url_configured or settings.public_url == reached_url():
        return None
    return (f"REPLAYDESK_PUBLIC_URL is {settings.public_url}, but this page was reached at {reached_url()}. "
            "The snippet sends to the public URL: make sure visitors' browsers reach it, or change the setting.")
