"""Experiments on the dev corpus (checkout-redesign A/B) and deterministic decide."""
from __future__ import annotations

import gzip
import json
from collections import Counter

import pytest

from tests.factories import make_project


@pytest.fixture
def corpus_imported(runner, corpus_files):
    runner.invoke("init")
    assert runner.invoke("import", *map(str, corpus_files)).exit_code == 0
    assert runner.invoke("analyze", "--all").exit_code == 0
    return [json.loads(gzip.decompress(p.read_bytes())) for p in corpus_files]


@pytest.mark.slow
def test_checkout_redesign_report_on_the_corpus(client, bearer, corpus_imported):
    expected = Counter(r["meta"]["variants"].get("checkout-redesign") for r in corpus_imported)
    expected.pop(None, None)
    listed = client.get("/api/v1/experiments", headers=bearer).get_json()["experiments"]
    assert {"name": "checkout-redesign", "defined": False} in listed
    report = client.get("/api/v1/experiments/checkout-redesign/report", headers=bearer).get_json()
    assert report["sessions"] == dict(expected)  # exact counts per variant
    metrics = {m["name"]: m for m in report["metrics"]}
    dead = metrics["signals_per_session.dead_click"]
    assert dead["per_variant"]["A"]["mean"] > dead["per_variant"]["B"]["mean"]  # "Place order" does nothing in A
    assert dead["comparison"]["test"] == "Mann-Whitney U test" and 0 <= dead["comparison"]["p_value"] <= 1
    completion = metrics["goal_completion"]
    assert completion["comparison"]["test"] == "Fisher's exact test"
    for variant in ("A", "B"):
        low, high = completion["per_variant"][variant]["ci"]
        assert low <= completion["per_variant"][variant]["rate"] <= high
    assert metrics["time_on_task_ms"]["per_variant"]["B"]["n"] > 0
    assert "Wilson" in report["tests_explained"]


def test_define_and_decide_deterministically(client, app, bearer):
    project = make_project(app, "ab")
    body = {"name": "hero", "project": project.id, "variants": [{"name": "A", "weight": 1}, {"name": "B", "weight": 3}],
            "goal": {"url": "*/signup/done*"}}
    assert client.post("/api/v1/experiments", json=body, headers=bearer).status_code == 201
    first = client.get(f"/api/v1/decide?key={project.key}&distinct_id=user-42")
    assert first.status_code == 200 and first.headers["Access-Control-Allow-Origin"] == "*"
    assert first.get_json() == client.get(f"/api/v1/decide?key={project.key}&distinct_id=user-42").get_json()
    spread = Counter(client.get(f"/api/v1/decide?key={project.key}&distinct_id=u{n}").get_json()["hero"] for n in range(200))
    assert 20 < spread["A"] < 80 and spread["A"] + spread["B"] == 200  # about 1:3
    client.patch("/api/v1/experiments/hero", json={"status": "stopped"}, headers=bearer)
    assert client.get(f"/api/v1/decide?key={project.key}&distinct_id=user-42").get_json() == {}


@pytest.mark.parametrize("body", [
    {"name": "x", "variants": [{"name": "A"}]},
    {"name": "x", "variants": [{"name": "A"}, {"name": "A"}]},
    {"name": "x", "variants": [{"name": "A", "weight": 0}, {"name": "B"}]},
    {"name": "bad name!", "variants": [{"name": "A"}, {"name": "B"}]},
    {"name": "x", "variants": [{"name": "A"}, {"name": "B"}], "goal": {"url": ""}},
    {"name": "x", "variants": [{"name": "A"}, {"name": "B"}], "goal": {"page": "x"}},
])
def test_bad_experiments_are_refused(client, app, bearer, body):
    make_project(app)
    response = client.post("/api/v1/experiments", json=body, headers=bearer)
    assert response.status_code == 400 and response.get_json()["message"]
    assert client.get("/api/v1/experiments", headers=bearer).get_json()["experiments"] == []


def test_decide_needs_a_key_and_an_id(client, app):
    project = make_project(app)
    assert client.get("/api/v1/decide?distinct_id=u").status_code == 401
    assert client.get(f"/api/v1/decide?key={project.key}").status_code == 400
    assert client.get("/api/v1/experiments/nope/report", headers={"Authorization": "Bearer rdt_x"}).status_code == 401
