"""No input makes a 500: every value the storage layer cannot hold is refused at the
edge with a 400 that says why (and nothing is stored), or stored safely (SQLite and
PostgreSQL)."""
from __future__ import annotations

import time

import orjson
import pytest
from sqlalchemy import select

from server.ingest.decode import MAX_JSON_DEPTH
from server.storage.batch import MAX_SEQ, MIN_TIMESTAMP_MS
from server.storage.codec import dump_json
from server.storage.database import db
from server.storage.models import Session, SessionMark, SessionPage, SessionVariant
from tests.factories import T0, batch_payload, click_event, custom_event, make_project, meta_event
from tests.server.ingest.test_routes import post as post_bytes, stored_counts

NUL = "a\x00b"
DAY_MS = 24 * 3600 * 1000


@pytest.fixture
def project(app):
    return make_project(app, "shop")


def deep_dom_event(ts: int, depth: int) -> dict:
    """A full snapshot of a page whose body nests ``depth`` DIVs (rrweb's shape)."""
    node = {"type": 3, "id": depth + 10, "textContent": "deepest"}
    for level in range(depth, 0, -1):
        node = {"type": 2, "id": level + 3, "tagName": "div", "attributes": {"data-level": str(level)},
                "childNodes": [node]}
    body = {"type": 2, "id": 3, "tagName": "body", "attributes": {}, "childNodes": [node]}
    html = {"type": 2, "id": 2, "tagName": "html", "attributes": {}, "childNodes": [body]}
    return {"type": 2, "timestamp": ts, "data": {"node": {"type": 0, "id": 1, "childNodes": [html]},
                                                  "initialOffset": {"left": 0, "top": 0}}}


def json_depth(depth_of_dom: int) -> int:
    """Levels of nesting of a batch body holding ``deep_dom_event(…, depth_of_dom)``."""
    return 2 * depth_of_dom + 11


def post(client, payload, *, key):
    """POST a payload at any depth (orjson writes 254 levels at most)."""
    return post_bytes(client, dump_json(payload), key=key)


def read_back(client, bearer, session_id: str, query: str = "") -> bytes:
    response = client.get(f"/api/v1/sessions/{session_id}/events{query}", headers=bearer)
    assert response.status_code == 200, response.data[:300]
    return response.data


# A 121-deep DOM was the first to fail (orjson writes 254 levels); 500 elements is
# about the deepest a body of MAX_JSON_DEPTH levels can hold.
@pytest.mark.parametrize("depth", [121, 200, (MAX_JSON_DEPTH - 11) // 2])
def test_a_deep_dom_is_stored_and_read_back_exactly(client, project, bearer, depth):
    assert json_depth(depth) <= MAX_JSON_DEPTH
    events = [meta_event(T0), deep_dom_event(T0 + 1, depth), click_event(T0 + 2)]
    payload = batch_payload(events=events)
    response = post(client, payload, key=project.key)
    assert response.status_code == 200, response.get_json()
    assert read_back(client, bearer, payload["session_id"]) == dump_json(events)
    assert read_back(client, bearer, payload["session_id"], "?limit=2") == dump_json(events[:2])


def test_a_body_deeper_than_the_reader_allows_is_refused_saying_why(client, project):
    depth = (MAX_JSON_DEPTH - 11) // 2 + 1
    response = post(client, batch_payload(events=[deep_dom_event(T0, depth)]), key=project.key)
    assert response.status_code == 400
    assert f"deeper than {MAX_JSON_DEPTH} levels" in response.get_json()["message"]
    assert stored_counts(client.application) == (0, 0, 0)


def test_nul_characters_are_stored_safely(client, project, bearer):
    """PostgreSQL text refuses NUL: columns get U+FFFD, the events keep it exactly."""
    events = [meta_event(T0, f"https://shop.test/{NUL}"),
              custom_event(T0 + 1, "$pageview", {"url": f"https://shop.test/{NUL}", "title": NUL}),
              custom_event(T0 + 2, NUL, {"x": NUL}),
              custom_event(T0 + 3, "$variant", {"experiment": NUL, "variant": NUL}),
              custom_event(T0 + 4, "$task", {"task_id": NUL, "status": NUL})]
    meta = {"url": NUL, "referrer": NUL, "user_agent": NUL, "sdk_version": NUL, "distinct_id": NUL,
            "study": NUL, "participant": NUL, "variants": {NUL: NUL}}
    payload = batch_payload(events=events, meta=meta)
    response = post(client, payload, key=project.key)
    assert response.status_code == 200, response.get_json()
    assert read_back(client, bearer, payload["session_id"]) == dump_json(events)
    with client.application.app_context():
        session = db.session.get(Session, payload["session_id"])
        texts = [session.entry_url, session.referrer, session.user_agent, session.sdk_version, session.distinct_id,
                 session.study, session.participant]
        for model, columns in ((SessionPage, ("url", "title")), (SessionMark, ("name", "status")),
                               (SessionVariant, ("experiment", "variant"))):
            for row in db.session.scalars(select(model)):
                texts += [getattr(row, column) for column in columns]
    assert all("\x00" not in text for text in texts)
    assert "a\ufffdb" in texts and len(texts) == 15


def _with(path: str, value):
    """A valid batch with one field set to ``value`` (``events.1.timestamp``, ``meta.viewport``…)."""
    payload = batch_payload(events=[meta_event(T0), click_event(T0 + 100)])
    *parents, last = path.split(".")
    target = payload
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[int(last) if last.isdigit() else last] = value
    return payload


NOW_MS = int(time.time() * 1000)
REFUSED = [
    ("seq", 2**63, "seq must be an integer from 0"),
    ("seq", 2**64 - 1, "seq must be an integer from 0"),
    ("seq", MAX_SEQ + 1, "seq must be an integer from 0"),
    ("seq", -1, "seq must be an integer from 0"),
    ("seq", 1.5, "seq must be an integer"),
    ("events.1.timestamp", 2**63, "outside the accepted range"),
    ("events.1.timestamp", 2**64 - 1, "outside the accepted range"),
    ("events.1.timestamp", 10**17, "outside the accepted range"),
    ("events.1.timestamp", NOW_MS + 2 * DAY_MS, "a day ahead of the server's clock"),
    ("events.1.timestamp", MIN_TIMESTAMP_MS - 1, "outside the accepted range"),
    ("events.1.timestamp", -5, "outside the accepted range"),
    ("events.1.timestamp", 1.5e12, "timestamp must be an integer"),
    ("events.1.timestamp", "soon", "timestamp must be an integer"),
    ("events.1.type", 1.0, "type must be an integer"),
    ("meta.viewport.w", "wide", "meta.viewport.w must be a number"),
    ("meta.distinct_id", "x" * 201, "meta.distinct_id must be at most 200"),
    ("meta.variants", {"e" * 201: "v"}, "up to 200 chars"),
    ("meta.url", 7, "meta.url must be a string"),
    ("window_id", "w" * 65, "window_id must be 8-64"),
]


@pytest.mark.parametrize("path, value, message", REFUSED, ids=[f"{p}={str(v)[:20]}" for p, v, _ in REFUSED])
def test_values_storage_cannot_hold_are_refused_and_nothing_is_stored(client, project, path, value, message):
    response = post(client, _with(path, value), key=project.key)
    assert response.status_code == 400, response.data[:300]
    assert message in response.get_json()["message"]
    assert stored_counts(client.application) == (0, 0, 0)


STORED_AS_UNKNOWN = [("meta.viewport.w", 1e20), ("meta.viewport.w", -5), ("meta.viewport.h", 1e21),
                     ("meta.viewport.h", 100_001)]


@pytest.mark.parametrize("path, value", STORED_AS_UNKNOWN)
def test_a_viewport_no_screen_has_is_stored_as_unknown(client, project, path, value):
    payload = _with(path, value)
    assert post(client, payload, key=project.key).status_code == 200
    with client.application.app_context():
        session = db.session.get(Session, payload["session_id"])
        assert (session.viewport_w, session.viewport_h) == ((None, 800) if path.endswith("w") else (1280, None))


STORED = [
    ("meta.url", "u" * 100_000),  # cut to MAX_META_TEXT
    ("events.1.type", 2**64 - 1),  # unknown event types are kept as sent
    ("events.1.type", -3),
    ("events.1.data", {"source": 2, "type": 2, "id": 2**64 - 1, "x": 1e308, "y": -0.0}),
    ("events.0", custom_event(T0, "t" * 10_000, {"p": "v" * 10_000})),  # the tag is cut for its column
    ("events.0", custom_event(T0, "$pageview", {"url": "u" * 100_000, "title": 7})),
    ("events.0", custom_event(T0, "$task", {"task_id": "t" * 10_000, "status": "s" * 10_000})),
    ("events.0", custom_event(T0, "$variant", {"experiment": "e" * 10_000, "variant": ["x"]})),
    ("events.0", {"type": 4, "timestamp": T0, "data": {"href": ["not", "a", "url"], "width": "w"}}),
    ("events.0", {"type": 5, "timestamp": T0, "data": {"tag": 7, "payload": None}}),
    ("events.0", {"type": 3, "timestamp": T0, "data": "?"}),
]


@pytest.mark.parametrize("path, value", STORED, ids=[f"{p}={str(v)[:30]}" for p, v in STORED])
def test_odd_but_harmless_values_are_stored(client, project, bearer, path, value):
    payload = _with(path, value)
    response = post(client, payload, key=project.key)
    assert response.status_code == 200, response.data[:300]
    assert orjson.loads(read_back(client, bearer, payload["session_id"])) == payload["events"] or path == "meta.url"


def test_unknown_keys_and_ping_are_rate_limited(make_app):
    app = make_app(ingest_rate_limit="3/minute")
    client = app.test_client()
    project = make_project(app, "shop")
    answers = [post(client, batch_payload(), key="guessed-key").status_code for _ in range(4)]
    assert answers == [401, 401, 401, 429]
    pings = [client.post("/api/v1/ingest/ping", data=b"{}").status_code for _ in range(2)]
    assert pings == [429, 429]  # same address, same window
    keyed = [client.post("/api/v1/ingest/ping", data=b"{}", headers={"X-Replaydesk-Key": project.key}).status_code
             for _ in range(4)]
    assert keyed == [200, 200, 200, 429]
    assert client.post("/api/v1/ingest/ping", headers={"X-Replaydesk-Key": project.key}).headers["Retry-After"]


def test_a_deep_dom_reaches_a_live_room(app, client, auth, project):
    """Socket.IO walks a message recursively: deep events go to the room as JSON text."""
    from server.extensions import socketio
    from tests.factories import make_session

    sid = make_session(app, project)
    auth.login(email="obs@example.com")
    sock = socketio.test_client(app, namespace="/live", flask_test_client=client)
    assert sock.emit("join", {"session_id": sid}, namespace="/live", callback=True)["ok"]
    sent = []
    for seq, depth in ((1, 10), (2, 200), (3, (MAX_JSON_DEPTH - 11) // 2)):
        sent.append([deep_dom_event(T0 + 5000 + seq, depth)])
        response = post(client, batch_payload(sid, seq=seq, events=sent[-1]), key=project.key)
        assert response.status_code == 200, response.get_json()
    streamed = [m["args"][0] for m in sock.get_received("/live") if m["name"] == "events"]
    assert streamed[0] == {"session_id": sid, "events": sent[0]}
    assert [message["events_json"].encode() for message in streamed[1:]] == [dump_json(events) for events in sent[1:]]


def test_a_deep_dom_is_exported_and_compacted_exactly(client, project, bearer):
    from server.runtime import current_runtime
    from server.storage.compaction import compact_session
    from server.storage.transfer import export_document

    events = [meta_event(T0), deep_dom_event(T0 + 1, (MAX_JSON_DEPTH - 11) // 2)]
    payload = batch_payload(events=events)
    assert post(client, payload, key=project.key).status_code == 200
    with client.application.app_context():
        runtime = current_runtime()
        assert compact_session(runtime.blobs, runtime.dictionaries, payload["session_id"], now_ms=T0) is not None
        document = export_document(payload["session_id"], events, {})
    assert read_back(client, bearer, payload["session_id"]) == dump_json(events)
    assert document == dump_json({"session_id": payload["session_id"], "events": events, "meta": {}})
    assert orjson.loads(document)["session_id"] == payload["session_id"]
