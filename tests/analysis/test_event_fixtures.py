"""The JSON fixtures in tests/fixtures/events/ are exactly what their builders produce."""

from __future__ import annotations

import pytest

from tests.analysis.event_fixtures import BUILDERS, FIXTURE_DIR, render


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_fixture_file_matches_its_builder(name):
    path = FIXTURE_DIR / f"{name}.json"
    assert path.read_text() == render(name), "run: .venv/bin/python -m tests.analysis.event_fixtures"


def test_no_stray_fixture_files():
    assert sorted(path.stem for path in FIXTURE_DIR.glob("*.json")) == sorted(BUILDERS)
