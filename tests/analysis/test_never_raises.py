"""Property tests: whatever arrives, analysis answers and never raises.

Three kinds of input: arbitrary JSON; rrweb-shaped events with random fields (small id
space, so mutations really hit snapshot nodes); and real streams truncated, thinned,
duplicated and reordered, as flaky networks and crashed tabs deliver them.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import DetectorConfig, analyze
from tests.analysis.event_fixtures import BUILDERS, load_events

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats() | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)

node_ids = st.integers(-1, 24)
tags = st.sampled_from(["div", "a", "button", "input", "label", "style", "script", "head", "body", "details", "BUTTON"])
attributes = st.dictionaries(
    st.sampled_from(["id", "class", "hidden", "style", "type", "role", "onclick", "for", "data-x", "_cssText"]),
    st.none() | st.booleans() | st.text(max_size=12) | st.sampled_from(["display:none", ".a{display:none}"]),
    max_size=3,
)


def serialized_nodes(depth: int = 3) -> st.SearchStrategy[dict]:
    leaf = st.fixed_dictionaries({"type": st.sampled_from([3, 5, 1]), "id": node_ids, "textContent": st.text(max_size=6)})
    if depth == 0:
        return leaf
    element = st.fixed_dictionaries(
        {"type": st.sampled_from([0, 2]), "id": node_ids, "tagName": tags, "attributes": attributes,
         "childNodes": st.lists(serialized_nodes(depth - 1), max_size=3)}
    )
    return leaf | element


timestamps = st.integers(0, 60_000) | st.floats(0, 60_000) | st.none() | st.text(max_size=3)
mutation_data = st.fixed_dictionaries({
    "source": st.just(0),
    "adds": st.lists(st.fixed_dictionaries({"parentId": node_ids, "nextId": node_ids | st.none(),
                                            "node": serialized_nodes(1)}), max_size=3),
    "removes": st.lists(st.fixed_dictionaries({"parentId": node_ids, "id": node_ids}), max_size=2),
    "texts": st.lists(st.fixed_dictionaries({"id": node_ids, "value": st.text(max_size=4) | st.none()}), max_size=2),
    "attributes": st.lists(st.fixed_dictionaries({"id": node_ids, "attributes": attributes}), max_size=2),
})
incremental_data = mutation_data | st.fixed_dictionaries({
    "source": st.integers(1, 16), "type": st.integers(-1, 11), "id": node_ids,
    "x": st.integers(0, 50) | st.floats(), "y": st.integers(0, 50), "text": st.text(max_size=3),
    "positions": st.lists(st.fixed_dictionaries({"x": st.integers(0, 900), "y": st.integers(0, 900),
                                                 "timeOffset": st.integers(-500, 0)}), max_size=4),
    "ranges": st.lists(st.dictionaries(st.sampled_from(["start", "end", "startOffset"]), node_ids), max_size=2),
})
custom_data = st.fixed_dictionaries({
    "tag": st.sampled_from(["$pageview", "$error", "$task", "$variant", "mine"]),
    "payload": st.fixed_dictionaries({"url": st.sampled_from(["http://x/", "http://x/b#f", "", 7]),
                                      "status": st.sampled_from(["complete", "start", None])}) | json_values,
})
network_requests = st.fixed_dictionaries({"url": st.sampled_from(["http://x/api", 7]),
                                         "status": st.sampled_from([200, 404, None, 0, "500", True])},
                                        optional={"start_ms": timestamps, "duration_ms": timestamps | st.integers(-5, 5)})
plugin_data = st.one_of(
    st.fixed_dictionaries({"plugin": st.just("rrweb/console@1"), "payload": st.fixed_dictionaries(
        {"level": st.sampled_from(["error", "warn", 3]), "payload": json_values})}),
    st.fixed_dictionaries({"plugin": st.just("rrweb/network@1"), "payload": st.fixed_dictionaries(
        {"requests": st.lists(network_requests | json_values, max_size=3)}) | json_values}),
)
rrweb_events = st.one_of(
    st.fixed_dictionaries({"type": st.just(2), "timestamp": timestamps, "data": st.fixed_dictionaries(
        {"node": serialized_nodes()})}),
    st.fixed_dictionaries({"type": st.just(3), "timestamp": timestamps, "data": incremental_data}),
    st.fixed_dictionaries({"type": st.just(4), "timestamp": timestamps, "data": st.fixed_dictionaries(
        {"href": st.sampled_from(["http://x/", "http://x/b", "http://x/thanks"]), "width": st.integers(0, 2000)})}),
    st.fixed_dictionaries({"type": st.just(5), "timestamp": timestamps, "data": custom_data}),
    st.fixed_dictionaries({"type": st.just(6), "timestamp": timestamps, "data": plugin_data}),
    st.fixed_dictionaries({"type": st.integers(-1, 9), "timestamp": timestamps, "data": json_values}),
)


def check(events: object, config: DetectorConfig = DetectorConfig()) -> None:
    result = analyze(events, config)
    json.dumps(result.to_dict())  # serializable, no NaN surprises beyond what JSON allows
    assert [s.ts for s in result.signals] == sorted(s.ts for s in result.signals)
    assert all(page.entered <= page.left for page in result.pages)
    assert 0 <= result.score < 100


@FAST
@given(json_values)
def test_arbitrary_json_never_raises(value):
    check(value)


@FAST
@given(st.lists(rrweb_events, max_size=25))
def test_rrweb_shaped_noise_never_raises(events):
    check(events)


@FAST
@given(st.lists(rrweb_events, max_size=12), st.integers(2, 5), st.integers(0, 3000))
def test_noise_with_tight_thresholds_never_raises(events, min_clicks, wait_ms):
    check(events, DetectorConfig(rage_min_clicks=min_clicks, dead_click_wait_ms=wait_ms, deliberate_change_ms=0))


@FAST
@given(
    st.sampled_from(sorted(BUILDERS)),
    st.integers(0, 80),
    st.lists(st.integers(0, 80), max_size=6),
    st.lists(st.integers(0, 80), max_size=4),
    st.booleans(),
)
def test_truncated_and_shuffled_real_streams_never_raise(name, cut, dropped, duplicated, reverse):
    events = load_events(name)[:cut]
    events = [event for index, event in enumerate(events) if index not in set(dropped)]
    events += [events[index] for index in duplicated if index < len(events)]
    check(list(reversed(events)) if reverse else events)
