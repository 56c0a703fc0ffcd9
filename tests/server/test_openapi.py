"""The OpenAPI description lists every API route, and nothing else."""
from __future__ import annotations

from openapi_spec_validator import validate


def test_openapi_is_valid_and_complete(client, app):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    description = response.get_json()
    validate(description)
    api_rules = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")}
    assert len(description["paths"]) == len(api_rules)
    ingest = description["paths"]["/api/v1/ingest"]["post"]
    assert ingest["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("IngestBatch")
    assert {"projectKey": []} in ingest["security"]
    assert {"reviewerToken": []} in description["paths"]["/api/v1/sessions/{session_id}"]["get"]["security"]


def test_the_context_route_names_its_answer(client):
    description = client.get("/api/v1/openapi.json").get_json()
    context = description["paths"]["/api/v1/sessions/{session_id}/context"]["get"]
    assert context["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/SessionContext")
    assert set(description["components"]["schemas"]["SessionContext"]["required"]) == {
        "console", "network", "events", "slow_ms", "truncated"}


def test_the_session_list_documents_its_filters(client):
    description = client.get("/api/v1/openapi.json").get_json()
    parameters = {p["name"]: p for p in description["paths"]["/api/v1/sessions"]["get"]["parameters"]}
    assert {"console_errors", "failed_requests", "slow_requests", "event", "signal", "url"} <= set(parameters)
    assert parameters["event"]["schema"]["type"] == "array" and parameters["slow_requests"]["in"] == "query"
