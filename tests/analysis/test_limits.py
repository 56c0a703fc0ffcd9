"""Bounded work per session (analysis/limits.py): a crafted session is analysed up to
each bound and marked partial; the caller's checkpoint stops a long analysis."""

from __future__ import annotations

import time

from analysis import analyze, build_timeline, parse_events
from analysis.event_builders import click_event, mutation_event, nested_buttons, page_load
from analysis.limits import MAX_CLICKS, AnalysisLimits

T0 = 1_000_000


def page_of_nested_buttons(buttons: int, depth: int) -> tuple[list[dict], list[int]]:
    children, ids = nested_buttons(buttons, depth)
    return page_load(T0, "http://shop.test/", *children), ids


def crafted_session(clicks: int = 15_000) -> list[dict]:
    raw, ids = page_of_nested_buttons(400, 20)
    return raw + [click_event(T0 + 1000 + i * 3000, ids[i % len(ids)], (i * 37) % 1000, 420) for i in range(clicks)]


def test_clicks_past_the_cap_are_not_analysed_and_the_result_says_so():
    result = analyze(crafted_session())
    assert result.counts["clicks"] == MAX_CLICKS and result.partial and "clicks" in result.limited_by
    assert result.counts["events"] == 15_003  # the rest still folds: pages, reactions


def test_a_crafted_session_costs_bounded_cpu():
    started = time.process_time()
    analyze(crafted_session())
    assert time.process_time() - started < 5  # was 25 s on this shape before the caps


def test_a_target_clicked_again_is_described_anew_once_the_dom_changed():
    raw, ids = page_of_nested_buttons(1, 3)
    raw += [click_event(T0 + 1000, ids[0], 5, 5), click_event(T0 + 1050, ids[0], 5, 5),
            mutation_event(T0 + 1100, attributes=[{"id": ids[0], "attributes": {"class": "buy"}}]),
            click_event(T0 + 1200, ids[0], 5, 5)]
    clicks = build_timeline(parse_events(raw)).clicks
    assert [click.target.selector for click in clicks] == ["button.more", "button.more", "button.buy"]


def test_events_and_signals_caps():
    raw = crafted_session(50)
    result = analyze(raw, limits=AnalysisLimits(max_events=20))
    assert result.counts["events"] == 20 and result.limited_by == ("events",)
    result = analyze(raw, limits=AnalysisLimits(max_signals=3))
    assert len(result.signals) == 3 and result.limited_by == ("signals",)


def test_the_checkpoint_stops_an_analysis_as_partial():
    calls = []

    def out_of_time_after_two() -> bool:
        calls.append(1)
        return len(calls) <= 2

    result = analyze(crafted_session(3000), checkpoint=out_of_time_after_two)
    assert result.partial and result.limited_by[-1] == "time" and result.counts["events"] < 3000
