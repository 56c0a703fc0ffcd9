"""API tokens belong to a reviewer, may be limited to projects, to reading, and in
time; they are listed (never with their secret) and revoked from the CLI, the API
and the tokens page."""
from __future__ import annotations

import json
import re

from tests.factories import T0, add_member, ensure_reviewer, make_project, make_token


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_cli_create_stays_compatible_and_belongs_to_the_first_admin(app, client, runner):
    first = json.loads(runner.invoke("token", "create", "--json").output)  # a fresh install: `init`'s admin
    assert first["owner"] == "admin@localhost.localdomain"
    runner.invoke("user", "create", "root@example.com", "--role", "admin")
    made = json.loads(runner.invoke("token", "create", "--name", "ci", "--json").output)
    assert made["token"].startswith("rdt_") and made["owner"] == "admin@localhost.localdomain"
    assert made["access"] == "write" and made["projects"] is None
    assert client.get("/api/v1/sessions", headers=bearer(made["token"])).status_code == 200
    plain = runner.invoke("token", "create").output.strip()
    assert plain.startswith("rdt_") and "\n" not in plain


def test_cli_scoped_read_only_expiring_token_listed_and_revoked(app, client, runner):
    shop, blog = make_project(app, "shop"), make_project(app, "blog")
    runner.invoke("user", "create", "ana@example.com", "--project", "shop", "--project-role", "member")
    made = json.loads(runner.invoke("token", "create", "--user", "ana@example.com", "--project", "shop",
                                    "--read-only", "--expires-in", "30d", "--json").output)
    assert made["projects"] == [shop.id] and made["access"] == "read" and made["expires_at"] > T0
    headers = bearer(made["token"])
    assert [p["name"] for p in client.get("/api/v1/projects", headers=headers).get_json()["projects"]] == ["shop"]
    assert client.get(f"/api/v1/projects/{blog.id}", headers=headers).status_code == 404
    assert client.post("/api/v1/findings", json={"title": "x"}, headers=headers).status_code == 403
    listed = runner.invoke("token", "list", "--json").output
    assert made["token"] not in listed and json.loads(listed)[0]["id"] == made["id"]
    assert "read" in runner.invoke("token", "list").output
    assert runner.invoke("token", "revoke", str(made["id"])).exit_code == 0
    assert client.get("/api/v1/projects", headers=headers).status_code == 401
    assert runner.invoke("token", "revoke", str(made["id"])).exit_code == 1


def test_cli_refuses_a_project_the_owner_is_not_in(app, runner):
    make_project(app, "shop")
    runner.invoke("user", "create", "ana@example.com")
    answer = runner.invoke("token", "create", "--user", "ana@example.com", "--project", "shop")
    assert answer.exit_code == 1 and "not in project" in answer.output
    assert "expires_in must be" in runner.invoke("token", "create", "--user", "ana@example.com",
                                                 "--expires-in", "soon").output


def test_an_expired_token_no_longer_works(app, client):
    token = make_token(app, expires_at=T0 + 1)  # the clock of the app is past T0
    assert client.get("/api/v1/projects", headers=bearer(token)).status_code == 401


def test_api_lists_makes_and_revokes_only_ones_own_tokens(app, client):
    project = make_project(app, "shop")
    add_member(app, "ana@example.com", project)
    add_member(app, "ben@example.com", project)
    ana, ben = make_token(app, "ana's", email="ana@example.com"), make_token(app, "ben's", email="ben@example.com")
    listed = client.get("/api/v1/tokens", headers=bearer(ana)).get_json()["tokens"]
    assert [t["name"] for t in listed] == ["ana's"] and ana not in json.dumps(listed)
    made = client.post("/api/v1/tokens", json={"name": "export", "projects": ["shop"], "read_only": True,
                                               "expires_in": "7d"}, headers=bearer(ana))
    assert made.status_code == 201 and made.get_json()["access"] == "read"
    bens_id = client.get("/api/v1/tokens", headers=bearer(ben)).get_json()["tokens"][0]["id"]
    assert client.delete(f"/api/v1/tokens/{bens_id}", headers=bearer(ana)).status_code == 404
    assert client.get("/api/v1/projects", headers=bearer(ben)).status_code == 200
    assert client.delete(f"/api/v1/tokens/{made.get_json()['id']}", headers=bearer(ana)).status_code == 200
    assert client.get("/api/v1/projects", headers=bearer(made.get_json()["token"])).status_code == 401


def test_an_admin_sees_and_revokes_everyones_tokens(app, client):
    project = make_project(app, "shop")
    add_member(app, "ana@example.com", project)
    ana = make_token(app, "ana's", email="ana@example.com")
    root = make_token(app, "root's", email="root@example.com")
    everyone = client.get("/api/v1/tokens?all=1", headers=bearer(root)).get_json()["tokens"]
    assert {t["owner"] for t in everyone} == {"ana@example.com", "root@example.com"}
    anas = next(t["id"] for t in everyone if t["owner"] == "ana@example.com")
    assert client.delete(f"/api/v1/tokens/{anas}", headers=bearer(root)).status_code == 200
    assert client.get("/api/v1/projects", headers=bearer(ana)).status_code == 401


def test_a_narrowed_token_cannot_make_a_wider_one(app, client):
    shop, blog = make_project(app, "shop"), make_project(app, "blog")
    narrowed = make_token(app, email="root@example.com", project_ids=[shop.id])
    assert client.post("/api/v1/tokens", json={}, headers=bearer(narrowed)).status_code == 400
    assert client.post("/api/v1/tokens", json={"projects": [blog.id]}, headers=bearer(narrowed)).status_code == 400
    assert client.post("/api/v1/tokens", json={"projects": [shop.id]}, headers=bearer(narrowed)).status_code == 201
    read_only = make_token(app, email="root@example.com", read_only=True)
    assert client.post("/api/v1/tokens", json={}, headers=bearer(read_only)).status_code == 403


def test_the_tokens_page_makes_lists_and_revokes(app, client, auth):
    make_project(app, "shop")
    auth.login()
    page = client.get("/auth/tokens").get_data(as_text=True)
    assert "You have no tokens" in page and "shop" in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    made = client.post("/auth/tokens", data={"name": "laptop", "access": "read", "expires_in": "30d",
                                             "csrf_token": csrf})
    assert made.status_code == 201
    secret = re.search(r'<code id="new-token">(rdt_[^<]+)</code>', made.get_data(as_text=True)).group(1)
    again = client.get("/auth/tokens").get_data(as_text=True)
    assert "laptop" in again and secret not in again and "read" in again
    token_id = client.get("/api/v1/tokens").get_json()["tokens"][0]["id"]
    assert client.post(f"/auth/tokens/{token_id}/revoke", data={"csrf_token": csrf}).status_code == 302
    assert client.get("/api/v1/projects", headers=bearer(secret)).status_code == 401
    assert client.post("/auth/tokens", data={"expires_in": "later", "csrf_token": csrf}).status_code == 400


def test_user_cli_manages_roles(app, runner):
    make_project(app, "shop")
    ensure_reviewer(app, "ana@example.com", "correct horse", role="member")
    assert runner.invoke("user", "add-to-project", "ana@example.com", "shop", "--role", "viewer").exit_code == 0
    assert "shop (viewer)" in runner.invoke("user", "list").output
    runner.invoke("user", "add-to-project", "ana@example.com", "shop", "--role", "admin")
    assert json.loads(runner.invoke("user", "list", "--json").output)[0]["projects"] == {"shop": "admin"}
    assert runner.invoke("user", "add-to-project", "ana@example.com", "nope").exit_code == 1
    made = json.loads(runner.invoke("project", "create", "blog", "--admin", "ana@example.com", "--json").output)
    assert made["name"] == "blog"
    assert "blog (admin)" in runner.invoke("user", "list").output
