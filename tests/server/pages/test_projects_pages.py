"""Project pages: the install page (snippet on the address the browser used, the key, a
warning when the public URL differs, the received check), people (invite with a one-time
link, roles, remove) and detector settings; the CLI's links follow the served port."""
from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from server.cli import main
from server.cli.addresses import record_served_url
from server.web.public_url import mismatch_warning, public_base_url
from tests.factories import T0, add_member, click_event, make_project, make_session, make_token, meta_event


@pytest.fixture
def project(app):
    return make_project(app, "Shop")


def bearer(app, email: str = "token-owner@example.com") -> dict:
    return {"Authorization": f"Bearer {make_token(app, email=email)}"}


def test_the_install_page_uses_the_address_the_browser_reached_when_no_public_url_is_set(make_app, auth):
    app = make_app(public_url_configured=False)
    client = app.test_client()
    project = make_project(app, "Shop")
    auth.client, auth.app = client, app
    auth.login()
    page = client.get(f"/projects/{project.id}/install").get_data(as_text=True)
    assert "http://localhost/sdk/replaydesk.js" in page and project.key in page
    assert 'id="public-url-warning" role="alert" hidden' in page
    assert "Waiting for the first event" in page
    with app.test_request_context("/", base_url="http://replay.lan:8123"):
        assert (public_base_url(), mismatch_warning()) == ("http://replay.lan:8123", None)


def test_a_public_url_the_browser_did_not_use_is_warned_about(client, app, auth, project):
    auth.login()
    page = client.get(f"/projects/{project.id}/install").get_data(as_text=True)
    assert "http://replaydesk.test/sdk/replaydesk.js" in page  # the configured public URL
    assert "REPLAYDESK_PUBLIC_URL is http://replaydesk.test, but this page was reached at http://localhost" in page
    with app.test_request_context("/", base_url="http://replaydesk.test"):
        assert (public_base_url(), mismatch_warning()) == ("http://replaydesk.test", None)


def test_received_says_when_the_latest_batch_arrived(client, app, project):
    headers = bearer(app)
    empty = client.get(f"/api/v1/projects/{project.id}/received", headers=headers).get_json()
    assert empty["last_received_at"] is None and empty["session_id"] is None and empty["now"] > 0
    sid = make_session(app, project, events=[meta_event(T0), click_event(T0 + 10)])
    got = client.get(f"/api/v1/projects/{project.id}/received", headers=headers).get_json()
    assert got["session_id"] == sid and got["last_received_at"] == T0 and got["entry_url"] == "https://shop.test/"
    assert client.get("/api/v1/projects/999/received", headers=headers).status_code == 404


def test_inviting_makes_an_account_with_a_one_time_link_and_never_a_link_for_someone_else(client, app, project):
    headers = bearer(app)
    url = f"/api/v1/projects/{project.id}/invites"
    made = client.post(url, headers=headers, json={"email": "Sam@Example.com", "role": "viewer"})
    assert made.status_code == 201
    answer = made.get_json()
    assert answer["created"] and answer["member"]["role"] == "viewer"
    secret = re.fullmatch(r"http://replaydesk\.test/auth/link/(\S+)", answer["link"]).group(1)
    members = client.get(f"/api/v1/projects/{project.id}/members", headers=headers).get_json()["members"]
    assert [(m["email"], m["role"]) for m in members] == [("sam@example.com", "viewer")]
    again = client.post(url, headers=headers, json={"email": "sam@example.com", "role": "member"}).get_json()
    assert again["created"] is False and again["link"] is None  # an existing account: the role only
    assert client.post(url, headers=headers, json={"email": "new@example.com", "role": "owner"}).status_code == 400
    assert client.post(url, headers=headers, json={"email": "not an email"}).status_code == 400
    members = client.get(f"/api/v1/projects/{project.id}/members", headers=headers).get_json()["members"]
    assert [(m["email"], m["role"]) for m in members] == [("sam@example.com", "member")]  # no one half-made
    signed_in = app.test_client().get(f"/auth/link/{secret}")
    assert signed_in.status_code == 302 and "/auth/password" in signed_in.headers["Location"]


def test_people_and_settings_pages_are_for_project_admins(client, app, auth, project):
    add_member(app, "viewer@example.com", project, "viewer")
    auth.login("viewer@example.com")
    assert client.get(f"/projects/{project.id}/install").status_code == 200
    assert client.get(f"/projects/{project.id}/people").status_code == 403
    assert client.get(f"/projects/{project.id}/settings").status_code == 403
    assert client.get("/projects/999/install").status_code == 404
    listing = client.get("/projects").get_data(as_text=True)
    assert f"/projects/{project.id}/install" in listing and f"/projects/{project.id}/people" not in listing


def test_people_page_lists_members_with_roles(client, app, auth, project):
    add_member(app, "viewer@example.com", project, "viewer")
    auth.login()  # an instance admin
    page = client.get(f"/projects/{project.id}/people").get_data(as_text=True)
    assert "viewer@example.com" in page and '<option value="viewer" selected>viewer</option>' in page


def test_settings_page_shows_every_threshold_with_its_unit_and_what_was_changed(client, app, auth, project):
    headers = bearer(app)
    assert client.patch(f"/api/v1/projects/{project.id}", headers=headers,
                        json={"detectors": {"rage_min_clicks": 4}}).status_code == 200
    auth.login()
    page = client.get(f"/projects/{project.id}/settings").get_data(as_text=True)
    assert 'name="rage_min_clicks" type="number" step="any" value="4"' in page
    assert 'class="setting-row changed"' in page and "clicks · default 3" in page
    assert page.count('class="setting-row') >= 17


def test_the_first_runs_empty_list_links_the_install_page(client, app, auth, project):
    auth.login()
    page = client.get("/").get_data(as_text=True)
    assert f'href="/projects/{project.id}/install"' in page and "No sessions recorded yet" in page


def _cli(env: dict, *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_links_follow_the_port_actually_served(settings, tmp_path):
    env = {"REPLAYDESK_DATA_DIR": str(settings.data_dir), "REPLAYDESK_DATABASE_URL": settings.database_url,
           "REPLAYDESK_SECRET_KEY": "test-secret", "REPLAYDESK_PUBLIC_URL": ""}
    first = _cli(env, "init", "--port", "8123")
    assert "http://127.0.0.1:8123/auth/link/" in first and ":5000" not in first
    assert "http://127.0.0.1:8123/projects/1/install" in first
    record_served_url(settings.replace(public_url_configured=False), "http://127.0.0.1:9456")  # what `serve` does
    assert _cli(env, "user", "link", "admin@localhost.localdomain").startswith("http://127.0.0.1:9456/auth/link/")
    configured = _cli({**env, "REPLAYDESK_PUBLIC_URL": "https://replay.example.com"}, "user", "link",
                      "admin@localhost.localdomain")
    assert configured.startswith("https://replay.example.com/auth/link/")
