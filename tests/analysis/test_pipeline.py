"""analyze(): the server's one entry point."""

from __future__ import annotations

import json

from analysis import ANALYSIS_VERSION, DetectorConfig, analyze
from tests.analysis.event_fixtures import load_events


def test_result_shape_is_json_ready():
    result = analyze(load_events("dead_end_back_to_earlier_url"))
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) == {"version", "config_fingerprint", "partial", "limited_by", "score", "counts", "pages", "signals"}
    assert data["partial"] is False and data["limited_by"] == []
    assert data["version"] == ANALYSIS_VERSION and data["config_fingerprint"] == DetectorConfig().fingerprint()
    assert [page["url"] for page in data["pages"]] == ["http://shop.test/", "http://shop.test/product", "http://shop.test/"]
    assert data["counts"]["clicks"] == 1 and data["counts"]["pageviews"] == 3 and data["counts"]["errors"] == 1
    assert data["counts"]["signals"]["error_click"] == 1 and data["counts"]["signals"]["rage_click"] == 0


def test_signals_sorted_by_time_and_score_from_them():
    result = analyze(load_events("rage_on_disabled_button"))
    assert [s.ts for s in result.signals] == sorted(s.ts for s in result.signals)
    assert result.score > 0


def test_same_input_same_output():
    events = load_events("stepper_fast_clicks_not_rage")
    assert analyze(events).to_dict() == analyze(list(events)).to_dict()


def test_input_is_not_modified():
    events = load_events("rage_with_invisible_mutations")
    before = json.dumps(events, sort_keys=True)
    analyze(events)
    assert json.dumps(events, sort_keys=True) == before


def test_empty_and_junk_sessions():
    assert analyze([]).signals == [] and analyze([]).score == 0.0
    assert analyze("not a list").counts["events"] == 0
