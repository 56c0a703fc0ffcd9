"""GET /api/v1/openapi.json: the API description, built from the registered routes
(so it never lists a route that does not exist) plus the shapes SPEC.md fixes."""
from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify

from analysis.context import MAX_ENTRIES, SLOW_REQUEST_MS
from server.api.sessions import MAX_PAGE
from server.ingest.decode import MAX_COMPRESSED_BYTES, MAX_DECOMPRESSED_BYTES, MAX_JSON_DEPTH
from server.ingest.routes import MAX_CLOCK_AHEAD_MS
from server.storage.batch import MAX_SEQ, MIN_TIMESTAMP_MS

bp = Blueprint("openapi", __name__)

PUBLIC_ENDPOINTS = {"ingest.ingest_batch", "ingest.ping_ingest", "sdk_reads.decide_variants",
                    "sdk_reads.list_study_tasks", "openapi.describe_api"}
_ERROR = {"$ref": "#/components/schemas/Error"}

SCHEMAS = {
    "Error": {"type": "object", "required": ["ok", "error", "message"], "properties": {
        "ok": {"const": False}, "error": {"type": "string"}, "message": {"type": "string"}}},
    "Event": {"type": "object", "required": ["type", "timestamp"], "additionalProperties": True, "properties": {
        "type": {"type": "integer"}, "timestamp": {"type": "integer", "minimum": MIN_TIMESTAMP_MS, "description":
                  f"epoch ms, from 2000-01-01 to {MAX_CLOCK_AHEAD_MS // 3_600_000} h ahead of the server's clock"}}},
    "IngestBatch": {"type": "object", "required": ["session_id", "window_id", "seq", "events"], "properties": {
        "session_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
        "window_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$"},
        "seq": {"type": "integer", "minimum": 0, "maximum": MAX_SEQ},
        "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
        "meta": {"type": "object", "properties": {
            "url": {"type": "string"}, "referrer": {"type": "string"}, "user_agent": {"type": "string"},
            "viewport": {"type": "object", "properties": {"w": {"type": "number"}, "h": {"type": "number"}}},
            "distinct_id": {"type": "string"}, "sdk_version": {"type": "string"},
            "variants": {"type": "object", "additionalProperties": {"type": "string"}},
            "study": {"type": "string"}, "participant": {"type": "string"}}}},
        "description": f"At most {MAX_COMPRESSED_BYTES} bytes on the wire and {MAX_DECOMPRESSED_BYTES} after gzip, "
                       f"nested at most {MAX_JSON_DEPTH} levels."},
    "IngestAnswer": {"type": "object", "properties": {
        "ok": {"const": True}, "accepted": {"type": "integer"}, "duplicate": {"type": "boolean"},
        "live": {"type": "boolean"}, "commands": {"type": "array", "items": {"type": "object"}}}},
    "Signal": {"type": "object", "properties": {
        "kind": {"type": "string"}, "ts": {"type": "integer"}, "end_ts": {"type": "integer"}, "url": {"type": "string"},
        "x": {"type": ["number", "null"]}, "y": {"type": ["number", "null"]},
        "target": {"type": "object", "properties": {"selector": {}, "tag": {}, "text": {}}},
        "count": {"type": "integer"}, "details": {"type": "object"}}},
    "Annotation": {"type": "object", "required": ["ts", "text"], "properties": {
        "ts": {"type": "integer", "description": "ms into the session, or epoch ms"}, "text": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}}, "severity": {"type": "integer", "minimum": 1, "maximum": 4},
        "finding_id": {"type": ["integer", "null"]}, "author": {"type": "string", "readOnly": True}}},
    "Finding": {"type": "object", "required": ["title"], "properties": {
        "title": {"type": "string"}, "description": {"type": "string"},
        "severity": {"type": "integer", "minimum": 1, "maximum": 4},
        "status": {"enum": ["open", "accepted", "fixed", "wontfix"]}, "tags": {"type": "array", "items": {"type": "string"}},
        "variant": {"type": ["string", "null"], "description": "experiment:variant"},
        "evidence": {"type": "array", "items": {"type": "integer"}, "description": "annotation ids"}}},
}
_LIST_CUT = {"type": "boolean", "description": f"more than the {MAX_ENTRIES} earliest entries were recorded"}
SCHEMAS["SessionContext"] = {
    "type": "object", "required": ["console", "network", "events", "slow_ms", "truncated"],
    "description": f"Console, network and custom events of a session, each list in time order, at most {MAX_ENTRIES}.",
    "properties": {
        "console": {"type": "array", "items": {"type": "object", "properties": {
            "ts": {"type": "integer"}, "level": {"enum": ["log", "info", "warn", "error", "debug"]},
            "message": {"type": "string", "description": "args joined by spaces"},
            "args": {"type": "array", "items": {"type": "string"}},
            "trace": {"type": "array", "items": {"type": "string"}}}}},
        "network": {"type": "array", "items": {"type": "object", "properties": {
            "ts": {"type": "integer", "description": "start_ms (the reporting event's time when unknown)"},
            "url": {"type": "string", "description": "query values masked (***) unless allow-listed"},
            "method": {"type": "string"}, "status": {"type": ["integer", "null"], "description": "null: no response"},
            "error": {"type": ["string", "null"]},
            "initiator": {"enum": ["fetch", "xhr", "navigation", "script", "img", "css", "other"]},
            "start_ms": {"type": "integer"}, "duration_ms": {"type": ["integer", "null"]},
            "transfer_bytes": {"type": ["integer", "null"]},
            "failed": {"type": "boolean", "description": "status >= 400, or no response (error says why); a status the browser hid is not a failure"},
            "slow": {"type": "boolean", "description": "duration_ms >= slow_ms"},
            "request_headers": {"type": "object"}, "response_headers": {"type": "object"},
            "request_body": {"type": "string"}, "response_body": {"type": "string"}}}},
        "events": {"type": "array", "items": {"type": "object", "properties": {
            "ts": {"type": "integer"}, "tag": {"type": "string"}, "payload": {"type": "object"}}}},
        "slow_ms": {"type": "integer", "const": SLOW_REQUEST_MS},
        "truncated": {"type": "object", "properties": {"console": _LIST_CUT, "network": _LIST_CUT, "events": _LIST_CUT}},
    }}

def _query(name: str, description: str, schema: dict | None = None, repeatable: bool = False) -> dict:
    if repeatable:
        return {"name": name, "in": "query", "description": description, "explode": True,
                "schema": {"type": "array", "items": schema or {"type": "string"}}}
    return {"name": name, "in": "query", "description": description, "schema": schema or {"type": "string"}}


_DURATION = {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+)?(ms|s|m|h)?$"}
_FLAG = {"enum": ["1", "true", "yes", "0", "false", "no"]}
SESSION_FILTERS = [
    _query("project", "project id or name"),
    _query("since", "started at or after: epoch ms or ISO 8601"),
    _query("until", "started before: epoch ms or ISO 8601"),
    _query("url", "a visited URL contains this"),
    _query("signal", "has a signal of this kind (each one given)", repeatable=True),
    _query("variant", "assigned experiment:variant"),
    _query("study", "recorded for this study"),
    _query("participant", "by this study participant: the code the SDK sent, or the label the study gave them"),
    _query("distinct_id", "identified as"), _query("min_duration", "at least this long: 30000, 30s, 2m", _DURATION),
    _query("q", "text in its notes"), _query("live", "recording now", _FLAG),
    _query("watched", "1: you opened it in the player; 0: you have not yet", _FLAG),
    _query("console_errors", "1: at least one console entry of level error", _FLAG),
    _query("failed_requests", "1: at least one request answered 400 or more, or not at all", _FLAG),
    _query("slow_requests", "a request took at least this long: 2000, 2s", _DURATION),
    _query("event", "recorded the product's own custom event with this tag (each one given; $-tags are the SDK's)",
           repeatable=True),
    _query("sort", "order", {"enum": ["-started_at", "started_at", "-frustration", "-duration"]}),
    _query("limit", f"sessions per page (1-{MAX_PAGE}, default 50)", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
    _query("cursor", "next_cursor of the previous page"),
]
QUERY_PARAMETERS = {"sessions.list_sessions": SESSION_FILTERS}
REQUEST_BODIES = {"ingest.ingest_batch": "IngestBatch", "annotations.add_annotation": "Annotation",
                  "findings.add_finding": "Finding"}
RESPONSES = {"ingest.ingest_batch": "IngestAnswer", "sessions.show_context": "SessionContext"}


def _operation(rule, method: str, view) -> dict:
    endpoint = rule.endpoint.split(".", 1)[-1] if rule.endpoint.startswith("api.") else rule.endpoint
    doc = (view.__doc__ or "").strip()
    summary = doc.splitlines()[0] if doc else endpoint.split(".")[-1].replace("_", " ").capitalize()
    operation = {
        "operationId": endpoint.replace(".", "_"),
        "summary": summary,
        "tags": [endpoint.split(".")[0]],
        "parameters": [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                       for name in sorted(rule.arguments)] + QUERY_PARAMETERS.get(endpoint, []),
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
            "$ref": f"#/components/schemas/{RESPONSES[endpoint]}"} if endpoint in RESPONSES else {}}}},
            "400": {"description": "Bad input", "content": {"application/json": {"schema": _ERROR}}},
            "401": {"description": "Not signed in / unknown key", "content": {"application/json": {"schema": _ERROR}}}},
    }
    if endpoint in REQUEST_BODIES:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": {
            "$ref": f"#/components/schemas/{REQUEST_BODIES[endpoint]}"}}}}
    if endpoint in {"ingest.ingest_batch", "sdk_reads.decide_variants", "sdk_reads.list_study_tasks"}:
        operation["security"] = [{"projectKey": []}, {"projectKeyQuery": []}]
    elif endpoint not in PUBLIC_ENDPOINTS:
        operation["security"] = [{"reviewerToken": []}, {"reviewerCookie": []}]
    return operation


def build_description(app) -> dict:
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(rule, method, view)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Replaydesk API", "version": "1",
                 "description": "Ingest (project key) and review (reviewer token or signed-in cookie + CSRF header)."},
        "servers": [{"url": current_app.extensions["replaydesk"].settings.public_url}],
        "paths": paths,
        "components": {"schemas": SCHEMAS, "securitySchemes": {
            "projectKey": {"type": "apiKey", "in": "header", "name": "X-Replaydesk-Key"},
            "projectKeyQuery": {"type": "apiKey", "in": "query", "name": "key"},
            "reviewerToken": {"type": "http", "scheme": "bearer"},
            "reviewerCookie": {"type": "apiKey", "in": "cookie", "name": "session"}}},
    }


@bp.get("/openapi.json")
def describe_api():
    """This description (public: it holds no data)."""
    return jsonify(build_description(current_app))
