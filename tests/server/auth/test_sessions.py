"""Sessions that end: sign-out, a password change and removing the reviewer make every
cookie of theirs stop working (a copied one too); a password change asks the current
password; a sign-in link leads to the password step before anything else."""
from __future__ import annotations

import re

from tests.factories import add_member, ensure_reviewer, make_project

PASSWORD = "correct horse"


def copy_of(app, client):
    """Another browser with the same cookie (as if it had been stolen)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def signed_in(client) -> bool:
    return client.get("/api/v1/projects").status_code == 200


def csrf(client, path: str = "/auth/password") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True)).group(1)


def change_password(client, new: str, current: str | None = None):
    data = {"password": new, "csrf_token": csrf(client)}
    if current is not None:
        data["current_password"] = current
    return client.post("/auth/password", data=data)


def test_signing_out_ends_every_copy_of_the_cookie(app, client, auth):
    auth.login()
    thief = copy_of(app, client)
    other_browser = app.test_client()
    assert (other_browser.post("/auth/login", data={"email": "reviewer@example.com", "password": PASSWORD,
                                                    "csrf_token": csrf(other_browser, "/auth/login")}).status_code
            == 302)
    assert signed_in(thief) and signed_in(other_browser)
    assert client.post("/auth/logout", data={"csrf_token": auth.csrf_token()}).status_code == 302
    assert not signed_in(client) and not signed_in(thief) and not signed_in(other_browser)
    assert thief.get("/sessions").status_code == 302  # pages send it to the login


def test_a_password_change_needs_the_current_password(app, client, auth):
    auth.login()
    thief = copy_of(app, client)
    refused = change_password(thief, "a new secret", current="not it")
    assert refused.status_code == 400 and "current password is wrong" in refused.get_data(as_text=True)
    assert change_password(thief, "a new secret").status_code == 400  # none given
    assert 'name="current_password"' in thief.get("/auth/password").get_data(as_text=True)
    fresh = app.test_client()
    assert fresh.post("/auth/login", data={"email": "reviewer@example.com", "password": PASSWORD,
                                           "csrf_token": csrf(fresh, "/auth/login")}).status_code == 302


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, client, auth):
    auth.login()
    thief = copy_of(app, client)
    assert change_password(client, "a new secret", current=PASSWORD).status_code == 302
    assert signed_in(client) and not signed_in(thief)
    fresh = app.test_client()
    answer = fresh.post("/auth/login", data={"email": "reviewer@example.com", "password": "a new secret",
                                             "csrf_token": csrf(fresh, "/auth/login")})
    assert answer.status_code == 302


def test_removing_a_reviewer_ends_their_sessions(app, client, auth, runner):
    auth.login("gone@example.com")
    assert signed_in(client)
    assert runner.invoke("user", "remove", "gone@example.com").exit_code == 0
    assert not signed_in(client)


def test_signing_out_a_reviewer_from_the_cli(app, client, auth, runner):
    auth.login()
    assert runner.invoke("user", "sign-out", "reviewer@example.com").exit_code == 0
    assert not signed_in(client)


def test_taking_a_reviewer_out_of_a_project_hides_it_at_once(app, client, auth, runner):
    project = make_project(app, "shop")
    add_member(app, "mia@example.com", project, "viewer")
    auth.login("mia@example.com")
    assert [p["name"] for p in client.get("/api/v1/projects").get_json()["projects"]] == ["shop"]
    assert runner.invoke("user", "remove-from-project", "mia@example.com", "shop").exit_code == 0
    assert client.get("/api/v1/projects").get_json()["projects"] == []
    assert client.get(f"/api/v1/projects/{project.id}").status_code == 404


def link_of(output: str) -> str:
    return re.search(r"/auth/link/(\S+)", output).group(0)


def test_the_password_step_of_a_sign_in_link_cannot_be_skipped(app, client, runner):
    out = runner.invoke("user", "create", "new@example.com").output
    assert client.get(link_of(out)).headers["Location"].endswith("/auth/password")
    skipped = client.get("/sessions")
    assert skipped.status_code == 302 and skipped.headers["Location"].endswith("/auth/password")
    page = client.get("/auth/password").get_data(as_text=True)
    assert "Choose a password" in page and 'name="current_password"' not in page
    assert change_password(client, "my first pass").status_code == 302
    assert client.get("/sessions").status_code == 200


def test_a_sign_in_link_resets_a_forgotten_password(app, client, runner):
    ensure_reviewer(app, "old@example.com", "long forgotten")
    out = runner.invoke("user", "link", "old@example.com").output
    client.get(link_of(out))
    assert 'name="current_password"' not in client.get("/auth/password").get_data(as_text=True)
    assert change_password(client, "remembered now").status_code == 302
    fresh = app.test_client()
    assert fresh.post("/auth/login", data={"email": "old@example.com", "password": "remembered now",
                                           "csrf_token": csrf(fresh, "/auth/login")}).status_code == 302


def test_guessing_the_current_password_is_throttled_like_sign_ins(make_app):
    app = make_app(login_account_failures=2)
    client = app.test_client()
    ensure_reviewer(app, "ana@example.com", PASSWORD)
    client.post("/auth/login", data={"email": "ana@example.com", "password": PASSWORD,
                                     "csrf_token": csrf(client, "/auth/login")})
    assert [change_password(client, "a new secret", current=f"guess {n}").status_code for n in range(3)] == [400, 400, 429]
    assert change_password(client, "a new secret", current=PASSWORD).status_code == 429
