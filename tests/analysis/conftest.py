"""Shared helpers for analysis tests: run one detector over a named fixture stream."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from analysis import DetectorConfig, build_timeline, parse_events
from analysis.detectors import DETECTORS
from tests.analysis.event_fixtures import load_events, relative


@pytest.fixture
def detect() -> Callable[..., list[tuple[object, ...]]]:
    """``detect(fixture_name, kind, **overrides)`` -> relative signals of that kind only."""

    def run(name: str, kind: str, **overrides: object) -> list[tuple[object, ...]]:
        config = DetectorConfig.from_dict(overrides)
        timeline = build_timeline(parse_events(load_events(name)))
        return relative(DETECTORS[kind](timeline, config))

    return run
