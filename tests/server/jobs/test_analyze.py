"""Analysis wired into the server: due sessions, leases, versions, the API and CLI."""
from __future__ import annotations

import gzip
import json

import pytest

from server.storage.database import db
from server.jobs.analyze import mark_stale_sessions
from server.jobs.due import claim_due, run_due_jobs
from server.runtime import current_runtime
from server.storage.models import Project, Session
from server.storage.schedule import ANALYZE
from tests.factories import make_project


def _corpus(corpus_files, persona: str):
    path = next(p for p in corpus_files if persona in p.name)
    return path, json.loads(gzip.decompress(path.read_bytes()))


def _import(runner, path) -> None:
    runner.invoke("init")
    assert runner.invoke("import", str(path)).exit_code == 0


def test_analyze_endpoint_finds_the_labelled_rage_click(client, runner, corpus_files, bearer):
    path, recording = _corpus(corpus_files, "coupon_rager_buys")
    _import(runner, path)
    sid = recording["session_id"]
    assert client.get(f"/api/v1/sessions/{sid}", headers=bearer).get_json()["analysis"]["status"] == "pending"
    body = client.post(f"/api/v1/sessions/{sid}/analyze", headers=bearer).get_json()
    rage = [s for s in body["signals"] if s["kind"] == "rage_click"]
    label = next(l for l in recording["labels"] if l["kind"] == "rage_click")
    assert len(rage) == 1 and label["t_start_ms"] - 500 <= rage[0]["ts"] <= label["t_end_ms"] + 500
    assert rage[0]["target"]["selector"] and rage[0]["url"] == label["url"]
    detail = client.get(f"/api/v1/sessions/{sid}", headers=bearer).get_json()
    assert detail["analysis"]["status"] == "done" and detail["frustration_score"] > 0
    assert [p["url"] for p in detail["pages"]] == [p["url"] for p in recording["meta"]["pages"]]
    listed = client.get("/api/v1/sessions?signal=rage_click", headers=bearer).get_json()["sessions"]
    assert [s["id"] for s in listed] == [sid]
    assert client.get(f"/api/v1/sessions/{sid}/signals", headers=bearer).get_json()["signals"] == detail["signals"]


def test_background_pass_analyses_due_sessions_once(app, runner, corpus_files):
    path, recording = _corpus(corpus_files, "coupon_rager_leaves")
    _import(runner, path)
    with app.app_context():
        runtime = current_runtime()
        assert run_due_jobs(runtime, ANALYZE) == 1  # imports are due at once
        assert run_due_jobs(runtime, ANALYZE) == 0  # and then not again
        session = db.session.get(Session, recording["session_id"])
        assert session.analysis_due_at is None and {s.kind for s in session.signals} >= {"rage_click", "dead_end"}


def test_a_lease_is_taken_by_one_worker(app, runner, corpus_files):
    _import(runner, corpus_files[0])
    with app.app_context():
        runtime = current_runtime()
        assert len(claim_due(runtime, ANALYZE)) == 1
        assert claim_due(runtime, ANALYZE) == []  # leased, not due


def test_changed_thresholds_make_old_results_stale(client, app, runner, corpus_files, bearer):
    path, recording = _corpus(corpus_files, "coupon_rager_buys")
    _import(runner, path)
    sid = recording["session_id"]
    client.post(f"/api/v1/sessions/{sid}/analyze", headers=bearer)
    with app.app_context():
        project_id = db.session.get(Session, sid).project_id
    response = client.patch(f"/api/v1/projects/{project_id}", json={"detectors": {"rage_min_clicks": 50}}, headers=bearer)
    assert response.status_code == 200 and response.get_json()["detectors"]["rage_min_clicks"] == 50
    with app.app_context():
        assert mark_stale_sessions(current_runtime()) == 1
        run_due_jobs(current_runtime(), ANALYZE)
    signals = client.get(f"/api/v1/sessions/{sid}/signals", headers=bearer).get_json()["signals"]
    assert "rage_click" not in {s["kind"] for s in signals}


@pytest.mark.parametrize("body", [{"detectors": {"rage_clicks": 4}}, {"detectors": {"rage_min_clicks": "x"}},
                                  {"goal_urls": "nope"}, {"other": 1}, []])
def test_bad_project_settings_are_refused_and_nothing_changes(client, app, bearer, body):
    project = make_project(app)
    response = client.patch(f"/api/v1/projects/{project.id}", json=body, headers=bearer)
    assert response.status_code == 400 and response.get_json()["message"]
    with app.app_context():
        assert db.session.get(Project, project.id).settings == {}


def test_pages_stats_after_analysis(client, runner, corpus_files, bearer):
    runner.invoke("init")
    runner.invoke("import", *map(str, corpus_files[:6]))
    assert runner.invoke("analyze", "--all").exit_code == 0
    pages = client.get("/api/v1/pages", headers=bearer).get_json()["pages"]
    by_url = {p["url"]: p for p in pages}
    home = by_url["http://127.0.0.1:8731/"]
    assert home["sessions"] == 6 and home["visits"] >= 6
    cart = by_url["http://127.0.0.1:8731/cart.html"]
    assert cart["signals"].get("rage_click", 0) >= 2
    assert 0 <= cart["dead_end_rate"] <= 1
    only_b = client.get("/api/v1/pages?variant=checkout-redesign:B", headers=bearer).get_json()["pages"]
    assert sum(p["visits"] for p in only_b) < sum(p["visits"] for p in pages)


def test_cli_analyze_needs_an_id_or_all(runner):
    runner.invoke("init")
    assert runner.invoke("analyze").exit_code != 0
    assert "no session" in runner.invoke("analyze", "nope-nope").output
