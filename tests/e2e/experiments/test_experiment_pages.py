"""Experiments in real Chromium on the dev corpus (checkout-redesign A/B): the list, the
report with exact sessions per variant and A's extra dead clicks ("Place order" does
nothing in A), per-variant heatmap links, and defining a new experiment in the form."""
from __future__ import annotations

import gzip
import json
import re
from collections import Counter

import pytest
from playwright.sync_api import expect

from tests.conftest import CORPUS_DIR
from tests.e2e.live.helpers import OBSERVERS, prepare_server, screenshot, sign_in
from tests.e2e.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.slow]
EXPERIMENT = "checkout-redesign"


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory):
    files = sorted(CORPUS_DIR.glob("*.json.gz"))
    assert files, f"dev corpus not found in {CORPUS_DIR}"
    server = prepare_server(ServerProcess(tmp_path_factory.mktemp("experiments") / "data"), users=OBSERVERS[:1], corpus=files)
    expected = Counter(json.loads(gzip.decompress(path.read_bytes()))["meta"]["variants"].get(EXPERIMENT) for path in files)
    expected.pop(None, None)
    yield server, dict(expected)
    server.process.stop()


@pytest.fixture
def page(browser, corpus_server):
    context = browser.new_context(viewport={"width": 1360, "height": 900})
    yield sign_in(context, corpus_server[0].url, OBSERVERS[0])
    context.close()


def metric_value(page, metric: str, variant: str) -> float:
    text = page.locator(f'tr[data-metric="{metric}"] td[data-variant="{variant}"] .metric-value').inner_text()
    return float(re.match(r"[\d.]+", text).group())


def test_checkout_redesign_report_compares_the_variants(page, corpus_server):
    server, expected = corpus_server
    page.click("nav >> text=Experiments")
    row = page.locator("table.experiments tr", has_text=EXPERIMENT)
    expect(row).to_contain_text("seen in sessions")
    screenshot(page, "experiments-01-list")
    row.locator("a", has_text="Report").click()

    counts = {card.get_attribute("data-variant"): int(card.locator(".sessions-count").inner_text())
              for card in page.locator(".variant-card").all()}
    assert counts == expected  # exact, per variant
    assert metric_value(page, "signals_per_session.dead_click", "A") > metric_value(page, "signals_per_session.dead_click", "B")
    dead_clicks = page.locator('tr[data-metric="signals_per_session.dead_click"] .test-cell')
    expect(dead_clicks).to_contain_text("Mann-Whitney U test")
    expect(dead_clicks).to_contain_text(re.compile(r"p (=|<) 0\.\d{3}"))
    expect(page.locator('tr[data-metric="goal_completion"] .test-cell')).to_contain_text("Fisher's exact test")
    expect(page.locator('tr[data-metric="goal_completion"] td[data-variant="A"]')).to_contain_text(re.compile(r"\d+% – \d+%"))
    screenshot(page, "experiments-02-report")
    page.click("summary:has-text('Which test, and why')")
    expect(page.locator(".tests-explained")).to_contain_text("Wilson")

    page.locator("table.heatmap-links a", has_text="Dead").first.click()
    page.wait_for_url(re.compile(r"/pages/heatmap\?.*variant=checkout-redesign(%3A|:)A"))
    expect(page.locator("#variant")).to_have_value(f"{EXPERIMENT}:A")


def test_define_an_experiment_in_the_form(page, corpus_server):
    server, _ = corpus_server
    page.goto(f"{server.url}/experiments")
    page.click("#define-experiment")
    page.fill("#exp-name", "hero-copy")
    page.fill("#exp-description", "Shorter hero text")
    page.select_option("#exp-project", label="research-e2e")
    page.click("#add-variant")
    weights = page.locator("#variant-rows input[name=weight]")
    expect(weights).to_have_count(3)
    weights.nth(2).fill("20")
    page.select_option("#exp-goal-kind", "url")
    page.fill("#exp-goal", "*/thanks.html")
    screenshot(page, "experiments-03-define")
    page.click("#experiment-form button[type=submit]")
    page.wait_for_url(f"{server.url}/experiments/hero-copy")
    expect(page.locator("h1")).to_contain_text("running")
    expect(page.locator(".page-head")).to_contain_text("reached a page matching */thanks.html")
    defined = server.api("GET", "/api/v1/experiments").json()["experiments"]
    hero = next(e for e in defined if e["name"] == "hero-copy")
    assert hero["variants"] == [{"name": "A", "weight": 50}, {"name": "B", "weight": 50}, {"name": "C", "weight": 20}]
    decided = server.api("GET", f"/api/v1/decide?key={server.key}&distinct_id=someone").json()
    assert decided["hero-copy"] in {"A", "B", "C"}

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#toggle-status")
    expect(page.locator("h1")).to_contain_text("stopped")
    assert "hero-copy" not in server.api("GET", f"/api/v1/decide?key={server.key}&distinct_id=someone").json()
