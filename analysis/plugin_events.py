"""Plugin events (rrweb type 6) we read: console output and network requests.

``data: {plugin, payload}``; the SDK records ``rrweb/console@1`` (rrweb's console
plugin format) and ``rrweb/network@1`` (SPEC "Engineer's context"). Payloads are
untrusted: :func:`parse_plugin` raises :class:`~analysis.json_fields.Malformed` for a
payload it cannot read at all (it becomes an opaque record), skips single requests it
cannot read, and bounds every string, list and number it keeps, so a crafted batch
can neither crash analysis nor blow up what the review API sends back.
Other plugins come back as None (not analysed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analysis.json_fields import is_number, read_list, read_mapping, read_str

CONSOLE_PLUGIN = "rrweb/console@1"
NETWORK_PLUGIN = "rrweb/network@1"

CONSOLE_LEVELS = frozenset({"log", "info", "warn", "error", "debug"})
"""The levels SPEC names; rrweb's plugin knows more (``assert``, ``trace``...), kept as ``log``."""
INITIATORS = frozenset({"fetch", "xhr", "navigation", "script", "img", "css", "other"})
"""Who started a request; anything else is ``other``."""

MAX_TEXT = 10_000
"""Characters kept of a console argument, trace line, URL, error or header value: the
SDK sends far less; this only stops a crafted event from filling the API's answer."""
MAX_BODY = 65_536
"""Characters kept of an allow-listed request or response body (the SDK bounds them lower)."""
MAX_ITEMS = 100
"""Console arguments, trace lines and headers kept per entry."""
MAX_REQUESTS_PER_EVENT = 1_000
"""Requests read from one network event; the SDK flushes a few at a time."""
MAX_METHOD = 20
MAX_ERROR = 200
MAX_EPOCH_MS = 2**53
"""Start times and sizes past this are not real (and not JSON-safe numbers)."""
MAX_DURATION_MS = 86_400_000
"""A request open for more than a day is a bad clock, not a slow request: unknown."""


@dataclass(frozen=True, slots=True)
class ConsoleEntry:
    """One ``rrweb/console@1`` event, a console call: ``args`` as the SDK stringified them, ``trace`` its stack lines.

    >>> ConsoleEntry(5, "error", ("Failed:", "404"), ()).message
    'Failed: 404'
    """

    ts: int
    level: str
    args: tuple[str, ...]
    trace: tuple[str, ...]

    @property
    def message(self) -> str:
        return " ".join(self.args)


@dataclass(frozen=True, slots=True)
class NetworkRequest:
    """One request as the SDK saw it. ``status`` None: no response (network error,
    abort, CORS), ``error`` then says which, or a status the browser does not tell
    (a cross-origin image, a ``no-cors`` fetch: no ``error``); ``start_ms`` None when
    unknown.
    Headers and bodies are present only when the project allow-lists them."""

    url: str
    method: str
    status: int | None
    error: str | None
    initiator: str
    start_ms: int | None
    duration_ms: int | None
    transfer_bytes: int | None
    request_headers: Mapping[str, str] | None = None
    response_headers: Mapping[str, str] | None = None
    request_body: str | None = None
    response_body: str | None = None

    @property
    def is_failed(self) -> bool:
        """Status 400 or more, or no response at all (SPEC: failed requests). A status
        the browser hides is no failure: most third-party images would look failed.

        >>> [NetworkRequest("/a", "GET", s, None, "fetch", 0, 5, None).is_failed for s in (200, 304, 404, None)]
        [False, False, True, False]
        >>> NetworkRequest("/a", "GET", None, "network error", "fetch", 0, 5, None).is_failed
        True
        """
        return (self.status is not None and self.status >= 400) or (self.status is None and bool(self.error))


@dataclass(frozen=True, slots=True)
class NetworkEvent:
    """The requests one ``rrweb/network@1`` event reports (the SDK sends them as they end)."""

    ts: int
    requests: tuple[NetworkRequest, ...]


PluginEvent = ConsoleEntry | NetworkEvent


def parse_plugin(ts: int, data: Mapping[str, object]) -> PluginEvent | None:
    """Read a plugin event's ``data``; None for plugins we do not read.

    >>> parse_plugin(9, {"plugin": "rrweb/console@1", "payload": {"level": "warn", "payload": ["slow", 3]}})
    ConsoleEntry(ts=9, level='warn', args=('slow', '3'), trace=())
    >>> event = parse_plugin(9, {"plugin": "rrweb/network@1", "payload": {"requests": [
    ...     {"url": "http://x/a", "method": "post", "status": 500, "start_ms": 5, "duration_ms": 40.6},
    ...     {"url": 7}]}})
    >>> [(r.method, r.status, r.duration_ms, r.is_failed) for r in event.requests]  # the second is unreadable
    [('POST', 500, 40, True)]
    >>> parse_plugin(9, {"plugin": "rrweb/sequential-id@1", "payload": {"id": 1}}) is None
    True

    :raise Malformed: when a console or network payload is not an object, or a console
        level is not a string.
    """
    plugin = data.get("plugin")
    if plugin == CONSOLE_PLUGIN:
        return _console_entry(ts, read_mapping(data.get("payload"), "data.payload"))
    if plugin == NETWORK_PLUGIN:
        payload = read_mapping(data.get("payload"), "data.payload")
        entries = read_list(payload.get("requests"), "data.payload.requests")[:MAX_REQUESTS_PER_EVENT]
        return NetworkEvent(ts, tuple(found for found in map(_request, entries) if found is not None))
    return None


def _console_entry(ts: int, payload: Mapping[str, object]) -> ConsoleEntry:
    level = read_str(payload.get("level"), "data.payload.level")
    level = level if level in CONSOLE_LEVELS else "log"
    return ConsoleEntry(ts, level, _texts(payload.get("payload")), _texts(payload.get("trace")))


def _texts(value: object) -> tuple[str, ...]:
    """Strings of a JSON array, bounded; numbers, booleans and null written as JSON,
    objects and arrays (the SDK stringifies them) left out."""
    if type(value) is not list:
        return ()
    texts = []
    for item in value[:MAX_ITEMS]:
        if type(item) is str:
            texts.append(item[:MAX_TEXT])
        elif item is None or isinstance(item, bool):
            texts.append("null" if item is None else str(item).lower())
        elif is_number(item):
            texts.append(repr(item)[:MAX_TEXT])
    return tuple(texts)


def _request(raw: object) -> NetworkRequest | None:
    """One request, or None when it has no URL or an unreadable status."""
    # ``type(...) is dict`` first: ingest runs this per request, and an isinstance check
    # against Mapping (an ABC) costs more than the rest of the checks together.
    if (type(raw) is not dict and not isinstance(raw, Mapping)) or not isinstance(raw.get("url"), str):
        return None
    status = raw.get("status")
    if status is not None:
        if not is_number(status) or not 0 <= status <= 999:  # type: ignore[operator]
            return None
        status = int(status) or None  # 0: what a browser reports for no response
    method, error, initiator = raw.get("method"), raw.get("error"), raw.get("initiator")
    return NetworkRequest(
        url=raw["url"][:MAX_TEXT],  # type: ignore[index]
        method=method[:MAX_METHOD].upper() if isinstance(method, str) and method else "GET",
        status=status,  # type: ignore[arg-type]
        error=error[:MAX_ERROR] if isinstance(error, str) and error else None,
        initiator=initiator if isinstance(initiator, str) and initiator in INITIATORS else "other",
        start_ms=_bounded_int(raw.get("start_ms"), MAX_EPOCH_MS),
        duration_ms=_bounded_int(raw.get("duration_ms"), MAX_DURATION_MS),
        transfer_bytes=_bounded_int(raw.get("transfer_bytes"), MAX_EPOCH_MS),
        request_headers=_headers(raw.get("request_headers")),
        response_headers=_headers(raw.get("response_headers")),
        request_body=_body(raw.get("request_body")),
        response_body=_body(raw.get("response_body")),
    )


def _bounded_int(value: object, high: int) -> int | None:
    """A whole number in ``[0, high]``, or None (unknown) for anything else.

    >>> _bounded_int(12.7, 100), _bounded_int(-1, 100), _bounded_int(1e300, 100), _bounded_int(True, 100)
    (12, None, None, None)
    """
    if type(value) is int:
        return value if 0 <= value <= high else None
    if not is_number(value) or not 0 <= value <= high:  # type: ignore[operator]
        return None
    return int(value)  # type: ignore[arg-type]


def _headers(value: object) -> dict[str, str] | None:
    if value is None or (type(value) is not dict and not isinstance(value, Mapping)):
        return None
    headers: dict[str, str] = {}
    for name, text in value.items():
        if len(headers) >= MAX_ITEMS:
            break
        if isinstance(name, str) and isinstance(text, str):
            headers[name[:MAX_TEXT]] = text[:MAX_TEXT]
    return headers


def _body(value: object) -> str | None:
    return value[:MAX_BODY] if isinstance(value, str) else None


__all__ = [
    "CONSOLE_PLUGIN",
    "NETWORK_PLUGIN",
    "ConsoleEntry",
    "NetworkEvent",
    "NetworkRequest",
    "PluginEvent",
    "parse_plugin",
]
