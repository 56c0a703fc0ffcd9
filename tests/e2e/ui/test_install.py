"""Setting up in Chromium, as a new user would: a server started on a port of its own
with no REPLAYDESK_PUBLIC_URL, its install page's snippet pasted into a product page on
another origin, the check turning green when the real SDK sends; the people page
inviting a reviewer whose one-time link signs them in; detector settings saved; and the
CLI's sign-in link on the port actually served."""
from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.server import ServerProcess, sign_in
from tests.e2e.ui.conftest import screenshot, wait_for_first_frame

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EMAIL, PASSWORD = "owner@example.com", "correct horse battery"
PRODUCT_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Fernhill</title>{snippet}</head>
<body><h1>Fernhill</h1><button id="buy" onclick="this.textContent='Added'">Add to cart</button></body></html>"""


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory):
    """A first run: no public URL configured, a project, its owner, no session yet."""
    process = ServerProcess(tmp_path_factory.mktemp("install") / "data", env={"REPLAYDESK_PUBLIC_URL": ""})
    seed = process.seed("Fernhill", users=[(EMAIL, PASSWORD)])
    try:
        process.start()
    except Exception:
        process.stop()
        raise
    yield process, seed
    process.stop()


class ProductPage:
    """One HTML page on its own origin, with whatever snippet the reviewer copied."""

    def __init__(self, snippet: str) -> None:
        body = PRODUCT_PAGE.format(snippet=snippet).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_the_install_check_turns_green_when_the_pasted_snippet_sends(browser, fresh_server):
    process, seed = fresh_server
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = sign_in(context, process.url, EMAIL, PASSWORD)
        empty = page.locator(".empty.first-run")
        expect(empty).to_contain_text("No sessions recorded yet")
        empty.locator("a", has_text="install page").click()
        page.wait_for_url(f"{process.url}/projects/{seed.project_id}/install")
        expect(page.locator("#install-check")).to_have_attribute("data-state", "waiting")
        expect(page.locator("#check-text")).to_have_text("Waiting for the first event…")
        assert page.locator("#public-url-warning").is_hidden()
        snippet = page.locator("#snippet").inner_text()
        assert f"{process.url}/sdk/replaydesk.js" in snippet and seed.key in snippet  # the port served, not :5000
        screenshot(page, "install-waiting")

        product = ProductPage(snippet)
        try:
            visitor = context.new_page()
            visitor.goto(product.url)
            visitor.click("#buy")
            expect(page.locator("#install-check")).to_have_attribute("data-state", "received", timeout=20_000)
            expect(page.locator("#check-text")).to_contain_text("Received")
            screenshot(page, "install-received")
            page.click("#open-session")
            wait_for_first_frame(page)
            assert "/sessions/" in page.url
        finally:
            product.close()
    finally:
        context.close()


def test_a_page_reached_elsewhere_than_the_public_url_warns(browser, tmp_path):
    process = ServerProcess(tmp_path / "data", env={"REPLAYDESK_PUBLIC_URL": "https://replay.example.com"})
    seed = process.seed("Elsewhere", users=[(EMAIL, PASSWORD)])
    process.start()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = sign_in(context, process.url, EMAIL, PASSWORD)
        page.goto(f"{process.url}/projects/{seed.project_id}/install")
        warning = page.locator("#public-url-warning")
        expect(warning).to_be_visible()
        expect(warning).to_contain_text(f"REPLAYDESK_PUBLIC_URL is https://replay.example.com, but this page was reached at {process.url}")
        assert "https://replay.example.com/sdk/replaydesk.js" in page.locator("#snippet").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        screenshot(page, "install-warning-390")
    finally:
        context.close()
        process.stop()


def test_invite_a_reviewer_and_their_link_signs_them_in(browser, fresh_server):
    process, seed = fresh_server
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = sign_in(context, process.url, EMAIL, PASSWORD)
        page.goto(f"{process.url}/projects/{seed.project_id}/people")
        page.fill("#invite-email", "sam@example.com")
        page.select_option("#invite-role", "viewer")
        page.click("#invite-form button[type=submit]")
        link = page.locator("#invite-link")
        expect(link).to_have_value(re.compile(rf"^{re.escape(process.url)}/auth/link/\S+$"))
        screenshot(page, "people-invited")
        invited = browser.new_context(viewport={"width": 390, "height": 844})
        try:
            newcomer = invited.new_page()
            newcomer.goto(link.input_value())
            expect(newcomer.locator("h1")).to_have_text(re.compile("password", re.I))
        finally:
            invited.close()
        page.reload()
        row = page.locator("table.people tr", has_text="sam@example.com")
        expect(row.locator("select")).to_have_value("viewer")
        row.locator("select").select_option("member")

        def role_of_sam() -> str:
            members = requests.get(f"{process.url}/api/v1/projects/{seed.project_id}/members",
                                   headers={"Authorization": f"Bearer {seed.token}"}).json()["members"]
            return next(m["role"] for m in members if m["email"] == "sam@example.com")

        for _ in range(50):  # the PUT is on its way; the toast saying so lasts 3.5 s
            if role_of_sam() == "member":
                break
            page.wait_for_timeout(100)
        assert role_of_sam() == "member"
        page.on("dialog", lambda dialog: dialog.accept())
        row.get_by_role("button", name="Remove").click()
        screenshot(page, "people-removed")
        expect(page.locator("table.people tr", has_text="sam@example.com")).to_have_count(0)
        members = requests.get(f"{process.url}/api/v1/projects/{seed.project_id}/members",
                               headers={"Authorization": f"Bearer {seed.token}"}).json()["members"]
        assert "sam@example.com" not in [m["email"] for m in members]
    finally:
        context.close()


def test_detector_settings_are_saved_and_the_cli_links_the_served_port(browser, fresh_server):
    process, seed = fresh_server
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = sign_in(context, process.url, EMAIL, PASSWORD)
        page.goto(f"{process.url}/projects/{seed.project_id}/settings")
        page.fill("#s-rage_min_clicks", "4")
        page.fill("#s-goal_url_patterns", "*/thanks*")
        page.click("#settings-form button[type=submit]")
        expect(page.locator(".toast").last).to_contain_text("Saved")
        page.wait_for_load_state("load")
        expect(page.locator("#s-rage_min_clicks")).to_have_value("4", timeout=10_000)
        screenshot(page, "project-settings")
        stored = requests.get(f"{process.url}/api/v1/projects/{seed.project_id}",
                              headers={"Authorization": f"Bearer {seed.token}"}).json()
        assert stored["settings"]["detectors"] == {"rage_min_clicks": 4}
        assert stored["settings"]["goal_urls"] == ["*/thanks*"]
    finally:
        context.close()
    assert process.cli("user", "link", EMAIL).startswith(f"{process.url}/auth/link/")
