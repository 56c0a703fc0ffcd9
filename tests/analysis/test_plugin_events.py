"""Console and network plugin events: typed, bounded records; what cannot be read is skipped."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.context import build_context
from analysis.event_builders import console_event, network_event, network_request
from analysis.events import ConsoleEntry, NetworkEvent, OpaqueEvent, parse_event, parse_events
from analysis.plugin_events import MAX_BODY, MAX_ITEMS, MAX_REQUESTS_PER_EVENT, MAX_TEXT


def console(payload: object) -> dict:
    return {"type": 6, "timestamp": 100, "data": {"plugin": "rrweb/console@1", "payload": payload}}


def network(*requests: object) -> dict:
    return {"type": 6, "timestamp": 100, "data": {"plugin": "rrweb/network@1", "payload": {"requests": list(requests)}}}


CONSOLE = [
    # (payload, level, args, trace)
    ({"level": "error", "payload": ["a", "b"], "trace": ["at f (x.js:1:1)"]}, "error", ("a", "b"), ("at f (x.js:1:1)",)),
    # rrweb's plugin has more levels than SPEC records: shown as log
    ({"level": "assert", "payload": ["x"]}, "log", ("x",), ()),
    # scalars are written as JSON would; objects and arrays (the SDK stringifies them) are left out
    ({"level": "log", "payload": [1, 2.5, True, None, {"a": 1}, [1]]}, "log", ("1", "2.5", "true", "null"), ()),
    # args and trace that are not arrays are empty
    ({"level": "warn", "payload": "text", "trace": {"0": "x"}}, "warn", (), ()),
    # NaN is no number
    ({"level": "warn", "payload": [float("nan"), "ok"]}, "warn", ("ok",), ()),
]


@pytest.mark.parametrize(("payload", "level", "args", "trace"), CONSOLE)
def test_console_entries(payload, level, args, trace):
    assert parse_event(console(payload)) == ConsoleEntry(100, level, args, trace)


def test_console_strings_and_lists_are_bounded():
    entry = parse_event(console({"level": "log", "payload": ["x" * (MAX_TEXT + 5)] * (MAX_ITEMS + 5)}))
    assert len(entry.args) == MAX_ITEMS and {len(arg) for arg in entry.args} == {MAX_TEXT}


REQUESTS = [
    # (raw request, what is read: (url, method, status, error, initiator, start, duration, bytes)) ; None: skipped
    (network_request("http://x/a", 200, 5, 40, transfer_bytes=900), ("http://x/a", "GET", 200, None, "fetch", 5, 40, 900)),
    # status 0 is what a browser reports for no response
    ({"url": "http://x/a", "status": 0, "error": "aborted"}, ("http://x/a", "GET", None, "aborted", "other", None, None, None)),
    # lower-case methods are upper-cased; unknown initiators are other
    ({"url": "/b", "method": "post", "status": 201.0, "initiator": "beacon"}, ("/b", "POST", 201, None, "other", None, None, None)),
    # numbers out of range are unknown, not errors
    ({"url": "/c", "status": 500, "start_ms": -1, "duration_ms": 10**12, "transfer_bytes": 1e300},
     ("/c", "GET", 500, None, "other", None, None, None)),
    ({"url": "/d", "status": None, "start_ms": True, "duration_ms": "40", "error": 7, "initiator": ["xhr"]},
     ("/d", "GET", None, None, "other", None, None, None)),
    # unreadable: no URL, a status that is no number or out of range
    ({"method": "GET", "status": 200}, None),
    ({"url": ["http://x/"]}, None),
    ({"url": "/e", "status": "200"}, None),
    ({"url": "/e", "status": True}, None),
    ({"url": "/e", "status": 1000}, None),
    ("http://x/", None),
    (None, None),
]


@pytest.mark.parametrize(("raw", "expected"), REQUESTS)
def test_network_requests(raw, expected):
    event = parse_event(network(raw))
    assert isinstance(event, NetworkEvent)
    read = [(r.url, r.method, r.status, r.error, r.initiator, r.start_ms, r.duration_ms, r.transfer_bytes)
            for r in event.requests]
    assert read == ([] if expected is None else [expected])


def test_unreadable_requests_are_skipped_and_the_rest_kept():
    event = parse_event(network({"url": 1}, network_request("http://x/kept", 404, 5), "junk"))
    assert [(r.url, r.is_failed) for r in event.requests] == [("http://x/kept", True)]


def test_headers_and_bodies_only_when_present_and_bounded():
    headers = {f"h{n}": "v" for n in range(MAX_ITEMS + 10)} | {"bad": 7}
    event = parse_event(network(network_request("http://x/", 200, 5, request_headers=headers, response_headers="no",
                                                request_body="b" * (MAX_BODY + 1), response_body={"json": 1})))
    request = event.requests[0]
    assert len(request.request_headers) == MAX_ITEMS and "bad" not in request.request_headers
    assert request.response_headers is None and request.response_body is None
    assert len(request.request_body) == MAX_BODY
    plain = parse_event(network(network_request("http://x/", 200, 5))).requests[0]
    assert (plain.request_headers, plain.request_body) == (None, None)


def test_requests_per_event_are_bounded():
    event = parse_event(network(*[network_request(f"/r{n}", 200, n) for n in range(MAX_REQUESTS_PER_EVENT + 1)]))
    assert len(event.requests) == MAX_REQUESTS_PER_EVENT


@pytest.mark.parametrize("data", [
    {"plugin": "rrweb/console@1"}, {"plugin": "rrweb/console@1", "payload": ["error"]},
    {"plugin": "rrweb/console@1", "payload": {"level": None}}, {"plugin": "rrweb/network@1", "payload": 5},
    {"plugin": "rrweb/network@1", "payload": {"requests": {"url": "/"}}}, "console", None,
])
def test_unreadable_payloads_are_opaque(data):
    assert isinstance(parse_event({"type": 6, "timestamp": 100, "data": data}), OpaqueEvent)


def test_a_missing_request_list_is_an_empty_one():
    assert parse_event({"type": 6, "timestamp": 1, "data": {"plugin": "rrweb/network@1", "payload": {}}}).requests == ()


json_scalars = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=6)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=16)
request_fields = st.fixed_dictionaries({}, optional={
    name: json_values | values for name, values in {
        "url": st.text(max_size=10), "method": st.text(max_size=6), "status": st.integers(-5, 1200) | st.floats(),
        "error": st.text(max_size=6), "initiator": st.sampled_from(["fetch", "xhr", "beacon"]),
        "start_ms": st.integers(-10, 2**60) | st.floats(), "duration_ms": st.integers(-10, 2**40) | st.floats(),
        "transfer_bytes": st.integers(-10, 2**60), "request_headers": st.dictionaries(st.text(max_size=4), json_values),
        "response_body": st.text(max_size=8)}.items()})
plugin_events = st.one_of(
    st.builds(lambda level, args, trace: console({"level": level, "payload": args, "trace": trace}),
              st.sampled_from(["log", "error", "warn", "trace"]) | json_values, json_values, json_values),
    st.builds(lambda requests: network(*requests), st.lists(request_fields | json_values, max_size=5)),
    st.builds(lambda payload: console(payload), json_values),
    st.builds(lambda payload: {"type": 6, "timestamp": 100, "data": {"plugin": "rrweb/network@1", "payload": payload}},
              json_values),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(plugin_events | st.builds(console_event, st.integers(0, 10**13), st.just("error")), max_size=8))
def test_any_plugin_payload_parses_and_serialises(events):
    context = build_context(parse_events(events))
    orjson.dumps(context.to_dict())  # JSON-safe: no NaN, no integer past 64 bits
