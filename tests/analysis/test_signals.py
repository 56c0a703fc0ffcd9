"""Signals serialize to exactly the SPEC shape."""

from __future__ import annotations

import json

from analysis import Signal, analyze
from tests.analysis.event_fixtures import BUILDERS, load_events

SPEC_KEYS = ["kind", "ts", "end_ts", "url", "x", "y", "target", "count", "details"]


def test_every_fixture_signal_has_the_spec_shape():
    for name in BUILDERS:
        for signal in analyze(load_events(name)).signals:
            data = signal.to_dict()
            assert list(data) == SPEC_KEYS, name
            assert list(data["target"]) == ["selector", "tag", "text"]
            assert isinstance(data["ts"], int) and data["end_ts"] >= data["ts"]
            assert Signal.from_dict(json.loads(json.dumps(data))) == signal


def test_click_signals_carry_position_and_target_navigation_signals_do_not():
    signals = {s.kind: s.to_dict() for s in analyze(load_events("dead_end_back_to_earlier_url")).signals}
    assert signals["error_click"]["target"] == {"selector": "#wish", "tag": "button", "text": "Save"}
    assert (signals["error_click"]["x"], signals["error_click"]["y"]) == (600, 380)
    assert signals["dead_end"]["target"] == {"selector": None, "tag": None, "text": None}
    assert signals["dead_end"]["x"] is None
