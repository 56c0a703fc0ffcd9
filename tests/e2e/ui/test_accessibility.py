"""Every page of the review UI, as a reviewer sees it: axe-core finds no serious or
critical violation at 1280 × 800, and at 390 × 844 the page never scrolls sideways
(wide tables scroll inside their cards). Screenshots at both sizes go to test-artifacts/."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import expect

from tests.e2e.server import sign_in
from tests.e2e.ui.a11y import axe_violations, scrolls_sideways
from tests.e2e.ui.conftest import EMAIL, PASSWORD, screenshot, wait_for_first_frame

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CART = "http://127.0.0.1:8731/cart.html"


@dataclass(frozen=True)
class Things:
    session: str
    finding: int
    study: int
    experiment: str
    project: int


@pytest.fixture(scope="module")
def things(ui_server) -> Things:
    """One of everything a page shows: a finding with a note, a study, an experiment."""
    bearer = {"Authorization": f"Bearer {ui_server.token}"}
    api = f"{ui_server.url}/api/v1"
    session = ui_server.sessions["shop-04-coupon_rager_buys"]
    note = requests.post(f"{api}/sessions/{session}/annotations", headers=bearer,
                         json={"ts": 17_000, "text": "Apply gives **no** feedback", "severity": 3}).json()
    finding = requests.post(f"{api}/findings", headers=bearer, json={
        "title": "Coupon feedback", "description": "- no spinner\n- no message", "severity": 3,
        "evidence": [note["id"]]}).json()
    project = requests.get(f"{api}/projects", headers=bearer).json()["projects"][0]["id"]
    study = requests.post(f"{api}/studies", headers=bearer, json={
        "name": "Checkout study", "product_url": "http://127.0.0.1:8731/", "project": project,
        "tasks": [{"title": "Buy a blanket", "success_url": "*/thanks*"}]}).json()
    requests.post(f"{api}/studies/{study['id']}/participants", headers=bearer, json={"label": "Maria"})
    requests.post(f"{api}/experiments", headers=bearer, json={
        "name": "checkout-redesign", "project": project,
        "variants": [{"name": "A", "weight": 1}, {"name": "B", "weight": 1}]})
    return Things(session, finding["id"], study["id"], "checkout-redesign", project)


def pages(things: Things) -> dict[str, str]:
    return {
        "sessions": "/",
        "player": f"/sessions/{things.session}",
        "notes": "/notes?show=all",
        "findings": "/findings",
        "finding": f"/findings/{things.finding}",
        "pages": "/pages",
        "heatmap": f"/pages/heatmap?url={quote(CART, safe='')}",
        "studies": "/studies",
        "study": f"/studies/{things.study}",
        "experiments": "/experiments",
        "experiment": f"/experiments/{things.experiment}",
        "live-room": f"/sessions/{things.session}/live",
        "webhooks": "/webhooks",
        "tokens": "/auth/tokens",
        "password": "/auth/password",
        "projects": "/projects",
        "install": f"/projects/{things.project}/install",
        "people": f"/projects/{things.project}/people",
        "settings": f"/projects/{things.project}/settings",
        "issues": "/issues?days=365",
    }


PAGES = ["sessions", "player", "notes", "findings", "finding", "pages", "heatmap", "studies", "study", "experiments",
         "experiment", "live-room", "webhooks", "tokens", "password", "projects", "install", "people", "settings",
         "issues"]


def settle(page, name: str) -> None:
    """Until what the page's module builds is there (the player's frame, the tables)."""
    if name == "player":
        wait_for_first_frame(page)
        page.wait_for_timeout(300)
    elif name == "heatmap":
        expect(page.locator("#heatmap-stage .heatmap-overlay")).to_be_attached(timeout=15_000)
    elif name == "pages":
        expect(page.locator("#pages-table")).to_be_visible()
    elif name == "live-room":
        expect(page.locator("#live-state")).not_to_have_attribute("data-state", "connecting")
    page.wait_for_load_state("networkidle")


@pytest.fixture(params=[(1280, 800), (390, 844)], ids=["1280", "390"])
def sized_page(request, browser, ui_server):
    width, height = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    page = sign_in(context, ui_server.url, EMAIL, PASSWORD)
    yield page, width
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_passes_axe_and_fits_a_phone(sized_page, ui_server, things, name):
    page, width = sized_page
    page.goto(f"{ui_server.url}{pages(things)[name]}")
    settle(page, name)
    screenshot(page, f"a11y-{name}-{width}")
    if width == 1280:
        assert axe_violations(page) == []
    else:
        assert not scrolls_sideways(page), name


@pytest.mark.parametrize("width", [1280, 390])
def test_the_sign_in_page(browser, ui_server, width):
    context = browser.new_context(viewport={"width": width, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{ui_server.url}/auth/login")
        screenshot(page, f"a11y-login-{width}")
        assert axe_violations(page) == []
        assert not scrolls_sideways(page)
    finally:
        context.close()
