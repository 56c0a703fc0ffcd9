"""Project keys are remembered, unknown ones only briefly."""
from __future__ import annotations

from server.storage.project_keys import KNOWN_TTL_S, UNKNOWN_TTL_S, ProjectKeyCache
from server.storage.projects import create_project
from server.storage.unit_of_work import unit_of_work
from tests.factories import T0, make_project


def test_known_keys_are_remembered_and_unknown_ones_retried_soon(app):
    now = [0.0]
    cache = ProjectKeyCache(clock=lambda: now[0])
    project = make_project(app)
    with app.app_context():
        assert cache.project_id(project.key) == project.id
        assert cache.project_id("rdk_later") is None
        later = create_project("later", now_ms=T0)
        with unit_of_work():
            later.key = "rdk_later"
        assert cache.project_id("rdk_later") is None  # still remembered as unknown
        now[0] += UNKNOWN_TTL_S + 0.1
        assert cache.project_id("rdk_later") == later.id
        now[0] += KNOWN_TTL_S - 1
        assert cache.project_id(project.key) == project.id
