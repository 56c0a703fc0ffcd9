"""The detector registry: every kind present, disabled kinds skipped, output sorted."""

from __future__ import annotations

from analysis import DETECTORS, DetectorConfig, build_timeline, parse_events, run_detectors
from tests.analysis.event_fixtures import load_events

SPEC_KINDS = ["rage_click", "dead_click", "error_click", "quick_back", "dead_end"]
BONUS_KINDS = ["thrashed_cursor", "excessive_scroll", "form_abandon"]


def test_registry_lists_spec_kinds_then_bonus_kinds():
    assert list(DETECTORS) == SPEC_KINDS + BONUS_KINDS


def test_disabled_kinds_are_not_run():
    timeline = build_timeline(parse_events(load_events("dead_end_back_to_earlier_url")))
    config = DetectorConfig(disabled_kinds=("dead_end",))
    assert [signal.kind for signal in run_detectors(timeline, config)] == ["error_click"]


def test_signals_come_sorted_by_time():
    timeline = build_timeline(parse_events(load_events("dead_end_back_to_earlier_url")))
    signals = run_detectors(timeline, DetectorConfig())
    assert [signal.ts for signal in signals] == sorted(signal.ts for signal in signals)
