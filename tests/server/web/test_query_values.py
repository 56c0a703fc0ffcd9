"""Odd values in every query parameter of the review API's list routes answer 400 (or
are read as harmless text), never 500 (SQLite and PostgreSQL)."""
from __future__ import annotations

import base64
import json

import orjson
import pytest

from server.web.params import MAX_QUERY_VALUE
from tests.factories import T0, batch_payload, make_project, make_session


def _cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


# Each list route with its query parameters.
ROUTES = {
    "/api/v1/sessions": ["project", "since", "until", "url", "signal", "variant", "study", "participant",
                         "distinct_id", "min_duration", "q", "live", "sort", "limit", "cursor"],
    "/api/v1/sessions/session-query-1/events": ["limit", "after"],
    "/api/v1/pages": ["project", "since", "until", "url", "signal", "variant", "study", "participant",
                      "distinct_id", "min_duration", "q", "live"],
    "/api/v1/annotations": ["unassigned", "finding", "q", "limit", "before"],
    "/api/v1/findings": ["status", "q", "tag"],
    "/api/v1/findings/export": ["format"],
    "/api/v1/experiments": ["project"],
    "/api/v1/studies": ["project"],
    "/api/v1/projects": [],
    "/api/v1/tokens": ["all"],
    "/api/v1/heatmap/sessions": ["url", "kind", "variant", "x", "y", "radius"],
    "/api/v1/heatmap.png": ["url", "kind", "variant", "width", "height"],
}
ODD_VALUES = [
    "²", "٣", "-1", "0", "1" * 30, "9" * 19, "99999999999", "2147483648", "1e400", "1.5", "NaN", "-0", " 7 ", "1_000",
    "\x00", "a\x00b", "x" * (MAX_QUERY_VALUE + 1), "'; drop table sessions; --", "%", "_", "\\", "\ufffd",
    "9999-12-31T23:59:59", "0001-01-01", "2026-13-45", "+99999-01-01", "99999999999999999999s", "1.5h",
    "http://x/\x00", ":", "a:", ":b", "true", "yes", "[]", "{}",
    _cursor([1, "s"]), _cursor([2**70, "s"]), _cursor([1.5, 2**40]), _cursor(["x", "s"]), _cursor([None, None]),
    _cursor([1, "s" * 500]), _cursor([1, "a\x00b"]), _cursor([True, "s"]), _cursor([1, 2, 3]), "!!!", "====",
    "0.0.0.0", "1.1.1.1", "1.2", "3.4.5.6", "9999999999999999999.9999999999999999999.0.0",
]
CASES = [(path, name) for path, names in ROUTES.items() for name in names]


@pytest.fixture
def seeded(app):
    project = make_project(app, "shop")
    make_session(app, project, session_id="session-query-1")
    return project


@pytest.mark.parametrize("path, name", CASES, ids=[f"{path.rsplit('/', 1)[-1]}-{name}" for path, name in CASES])
def test_odd_query_values_never_answer_500(client, seeded, bearer, path, name):
    answers = {}
    for value in ODD_VALUES:
        response = client.get(path, query_string={name: value, **_needed(path, name)}, headers=bearer)
        answers[value[:40]] = response.status_code
        if response.status_code == 400:
            assert response.get_json()["message"], (name, value)
    assert all(status in (200, 400, 404, 410) for status in answers.values()), answers


def _needed(path: str, name: str) -> dict:
    """What the route needs besides the parameter under test."""
    if "heatmap" in path and name != "url":
        return {"url": "https://shop.test/"}
    return {}


@pytest.mark.parametrize("query, message", [
    ({"since": "²"}, "since must be epoch milliseconds"),
    ({"until": "1" * 30}, "until must be"),
    ({"since": "9" * 18}, "since must be between 1970 and 9999"),
    ({"project": "9" * 12}, "project must be between 0 and"),
    ({"min_duration": "1" * 40}, "min_duration must be a duration"),
    ({"limit": "²"}, "limit must be an integer"),
    ({"cursor": _cursor([2**64 - 1, "s"])}, "Invalid cursor"),
    ({"cursor": _cursor(["x", "s"])}, "Invalid cursor"),
    ({"cursor": "!!!"}, "Invalid cursor"),
    ({"q": "a\x00b"}, "contains a NUL character"),
    ({"url": "u" * (MAX_QUERY_VALUE + 1)}, f"longer than {MAX_QUERY_VALUE} characters"),
])
def test_the_400_says_which_parameter_and_why(client, seeded, bearer, query, message):
    response = client.get("/api/v1/sessions", query_string=query, headers=bearer)
    assert response.status_code == 400
    assert message in response.get_json()["message"]


def test_a_key_no_project_could_have_is_unknown_without_asking_the_database(client, seeded):
    for key in ("k\x00ey", "k" * 65):
        response = client.post("/api/v1/ingest", data=orjson.dumps(batch_payload()), headers={"X-Replaydesk-Key": key})
        assert response.status_code in (400, 401), response.data
    assert T0


WRITES = [  # (method, path, body): each names something a column would hold
    ("post", "/api/v1/sessions/session-query-1/annotations", {"text": "a\x00b", "ts": T0}),
    ("post", "/api/v1/findings", {"title": "a\x00b", "project": "shop"}),
    ("post", "/api/v1/findings", {"title": "ok", "tags": ["a\x00b"], "project": "shop"}),
    ("post", "/api/v1/studies", {"name": "Study", "slug": "s\x00", "project": "shop"}),
    ("post", "/api/v1/experiments", {"name": "e\x00", "variants": ["a", "b"], "project": "shop"}),
    ("post", "/api/v1/findings", {"title\x00": "key"}),
]


@pytest.mark.parametrize("method, path, body", WRITES, ids=[f"{p}-{sorted(b)[0]}" for _, p, b in WRITES])
def test_nul_in_a_json_body_is_refused_and_nothing_is_stored(client, seeded, bearer, method, path, body):
    response = getattr(client, method)(path, json=body, headers=bearer)
    assert response.status_code == 400
    assert "NUL character" in response.get_json()["message"]
    listed = client.get(path if "annotations" in path else path, headers=bearer)
    assert "\x00" not in listed.get_data(as_text=True) and "\\u0000" not in listed.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/api/v1/sessions/a%00b", "/api/v1/experiments/a%00b/report",
                                  "/api/v1/sessions/a%00b/events", "/sessions/a%00b"])
def test_nul_in_the_path_is_refused(client, seeded, bearer, path):
    response = client.get(path, headers=bearer)
    assert response.status_code == 400


def test_nul_in_a_sdk_path_and_a_deep_review_body_are_refused(client, seeded, bearer):
    response = client.get("/api/v1/studies/x%00/tasks", headers={"X-Replaydesk-Key": seeded.key})
    assert response.status_code == 400
    deep = b'{"text": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    response = client.post("/api/v1/findings", data=deep, headers={**bearer, "Content-Type": "application/json"})
    assert response.status_code == 400
