"""The `replaydesk` command on the test database: JSON outputs, import/export,
compact, purge, and one-line errors with a non-zero exit."""
from __future__ import annotations

import gzip
import json

import orjson
import pytest

from tests.factories import batch_payload


def test_project_create_json(runner):
    result = runner.invoke("project", "create", "Shop", "--goal-url", "*/thanks*", "--json")
    assert result.exit_code == 0, result.output
    created = json.loads(result.output)
    assert set(created) == {"id", "name", "key"} and created["name"] == "Shop" and created["key"].startswith("rdk_")
    listed = json.loads(runner.invoke("project", "list", "--json").output)
    assert listed[0]["settings"] == {"goal_urls": ["*/thanks*"]}


def test_token_create_json_reads_the_api(runner, client):
    token = json.loads(runner.invoke("token", "create", "--name", "ci", "--json").output)["token"]
    assert client.get("/api/v1/sessions", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_user_create_with_password_can_sign_in(runner, client):
    result = runner.invoke("user", "create", "ana@example.com", "--role", "admin", "--password-stdin",
                           input="long enough pw\n")
    assert result.exit_code == 0, result.output
    page = client.get("/auth/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/auth/login", data={"email": "ana@example.com", "password": "long enough pw", "csrf_token": token})
    assert response.status_code == 302


def test_init_prints_a_working_login_link(runner, client):
    result = runner.invoke("init")
    assert result.exit_code == 0, result.output
    link = next(word for word in result.output.split() if "/auth/link/" in word)
    path = link.split("replaydesk.test", 1)[1]
    assert client.get(path).status_code == 302  # signed in, sent to choose a password
    assert client.get("/api/v1/sessions").status_code == 200
    assert client.get(path).status_code == 400  # one-time
    again = runner.invoke("init")  # idempotent: same project, a fresh link
    assert again.exit_code == 0 and again.output.count("Project 'Default'") == 1


def test_import_export_round_trip(runner, corpus_files, tmp_path):
    runner.invoke("init")
    source = corpus_files[3]
    result = runner.invoke("import", str(source))
    assert result.exit_code == 0, result.output
    original = json.loads(gzip.decompress(source.read_bytes()))
    assert original["session_id"] in result.output
    assert "already imported" in runner.invoke("import", str(source)).output
    out = tmp_path / "out.json.gz"
    assert runner.invoke("export", original["session_id"], "-o", str(out)).exit_code == 0
    exported = json.loads(gzip.decompress(out.read_bytes()))
    assert exported["events"] == original["events"]
    assert exported["meta"]["variants"] == original["meta"]["variants"]


def test_import_takes_a_bare_event_array(runner, tmp_path):
    runner.invoke("init")
    path = tmp_path / "bare.json"
    events = batch_payload()["events"]
    path.write_bytes(orjson.dumps(events))
    result = runner.invoke("import", str(path))
    assert result.exit_code == 0 and "2 events" in result.output


def test_compact_and_purge(runner, corpus_files):
    runner.invoke("init")
    runner.invoke("import", *map(str, corpus_files[:2]))
    compacted = runner.invoke("compact", "--all")
    assert compacted.exit_code == 0 and "Compacted 2 session(s)" in compacted.output
    assert "Purged 0" in runner.invoke("purge", "--older-than", "30d").output
    assert "Purged 2" in runner.invoke("purge", "--older-than", "0s").output


@pytest.mark.parametrize("args, message", [
    (("project", "create", ""), "project name"),
    (("user", "create", "not-an-email"), "not an email"),
    (("purge", "--older-than", "soon"), "--older-than"),
    (("export", "no-such-session"), "no session"),
    (("import", "/nonexistent/file.json"), "No such file"),
    (("project", "create", "Default"), "already exists"),
    (("experiment", "create", "x", "--variant", "a"), "at least two"),
    (("user", "link", "nobody@example.com"), "no user"),
])
def test_bad_input_is_one_line_and_non_zero(runner, args, message):
    runner.invoke("init")
    result = runner.invoke(*args)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert message in result.output and len([l for l in lines if l.startswith("Error")]) == 1


def test_import_refuses_a_malformed_file_and_stores_nothing(runner, tmp_path, client):
    runner.invoke("init")
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    good.write_bytes(orjson.dumps(batch_payload()["events"]))
    bad.write_bytes(orjson.dumps([{"type": 2, "timestamp": "yesterday"}]))
    result = runner.invoke("import", str(good), str(bad))
    assert result.exit_code == 1 and "timestamp" in result.output
    token = json.loads(runner.invoke("token", "create", "--json").output)["token"]
    sessions = client.get("/api/v1/sessions", headers={"Authorization": f"Bearer {token}"}).get_json()["sessions"]
    assert sessions == []


def test_experiment_create_and_list(runner):
    runner.invoke("init")
    result = runner.invoke("experiment", "create", "hero", "--variant", "A=1", "--variant", "B=3", "--goal-url", "*/done*", "--json")
    assert result.exit_code == 0, result.output
    created = json.loads(result.output)
    assert created["variants"] == [{"name": "A", "weight": 1.0}, {"name": "B", "weight": 3.0}]
    assert created["goal"] == {"url": "*/done*"}
    assert "hero" in runner.invoke("experiment", "list").output
    again = runner.invoke("experiment", "create", "hero", "--variant", "A", "--variant", "B")
    assert again.exit_code == 1 and "already exists" in again.output
    lonely = runner.invoke("experiment", "create", "solo", "--variant", "A")
    assert lonely.exit_code == 1 and "at least two" in lonely.output


def test_imported_recordings_are_dated_by_their_recording(runner, client, corpus_files):
    runner.invoke("init")
    runner.invoke("import", str(corpus_files[0]))
    token = json.loads(runner.invoke("token", "create", "--json").output)["token"]
    headers = {"Authorization": f"Bearer {token}"}
    (session,) = client.get("/api/v1/sessions", headers=headers).get_json()["sessions"]
    assert session["live"] is False  # an old recording, though it arrived a moment ago
    assert client.get("/api/v1/sessions?live=1", headers=headers).get_json()["sessions"] == []
    assert "Compacted 1" in runner.invoke("compact").output  # idle since it was recorded
