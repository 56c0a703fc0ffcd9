"""DetectorConfig: SPEC defaults, validated overrides, stable fingerprint."""

from __future__ import annotations

import json

import pytest

from analysis import DetectorConfig

SPEC_DEFAULTS = {
    "rage_min_clicks": 3,
    "rage_max_gap_ms": 1000,
    "rage_radius_px": 30.0,
    "deliberate_change_ms": 500,
    "dead_click_wait_ms": 2500,
    "error_click_window_ms": 1000,
    "quick_back_max_dwell_ms": 7000,
}


def test_defaults_are_the_spec():
    settings = DetectorConfig().to_dict()
    assert {name: settings[name] for name in SPEC_DEFAULTS} == SPEC_DEFAULTS


def test_every_setting_has_a_unit_and_a_reason():
    for setting in DetectorConfig.describe():
        assert setting["unit"] and len(str(setting["why"])) > 10, setting["name"]


BAD = [
    ({"rage_clicks": 3}, "unknown detector setting 'rage_clicks'"),
    ({"rage_min_clicks": "3"}, "rage_min_clicks must be a whole number of clicks"),
    ({"rage_min_clicks": True}, "rage_min_clicks must be a whole number"),
    ({"rage_min_clicks": 1}, "rage_min_clicks must be at least 2"),
    ({"dead_click_wait_ms": -1}, "dead_click_wait_ms must be at least 0"),
    ({"dead_click_wait_ms": 2.5}, "dead_click_wait_ms must be a whole number of ms"),
    ({"rage_radius_px": float("inf")}, "rage_radius_px must be a number of px"),
    ({"goal_url_patterns": "*/thanks*"}, "goal_url_patterns must be a list of strings"),
    ({"goal_url_patterns": ["", "x"]}, "goal_url_patterns must contain only non-empty strings"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD)
def test_bad_overrides_are_refused_clearly(overrides, message):
    with pytest.raises(ValueError, match=message):
        DetectorConfig.from_dict(overrides)


def test_overrides_apply_on_a_base_and_round_trip_through_json():
    base = DetectorConfig.from_dict({"goal_url_patterns": ["*/done*"]})
    config = DetectorConfig.from_dict({"rage_radius_px": 40, "dead_click_wait_ms": 3000.0}, base=base)
    assert (config.rage_radius_px, config.dead_click_wait_ms, config.goal_url_patterns) == (40.0, 3000, ("*/done*",))
    assert DetectorConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config


def test_fingerprint_changes_with_any_setting_and_only_then():
    default = DetectorConfig().fingerprint()
    assert DetectorConfig.from_dict({}).fingerprint() == default
    assert DetectorConfig(rage_radius_px=31).fingerprint() != default
    assert len(default) == 16


def test_direct_construction_is_validated_too():
    with pytest.raises(ValueError):
        DetectorConfig(rage_min_clicks=0)
