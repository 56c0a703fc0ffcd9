"""build_timeline: visits, clicks, reactions and their order."""

from __future__ import annotations

import pytest

from analysis.event_builders import (
    click_event,
    custom_event,
    element,
    error_event,
    input_event,
    meta_event,
    mouse_event,
    mutation_event,
    page_load,
    pageview_event,
    scroll_event,
    selection_event,
    snapshot_event,
    document,
)
from analysis.events import MouseInteraction, parse_events
from analysis.moments import ReactionKind
from analysis.timeline import build_timeline


def timeline_of(raw):
    return build_timeline(parse_events(raw))


VISITS = [
    # a full load: Meta then $pageview of the same URL make one visit
    (page_load(1000, "http://x/"), [("http://x/", 1000, 1025)]),
    # SPA navigation by $pageview, then a fragment change that stays on the page
    ([pageview_event(0, "http://x/a"), pageview_event(500, "http://x/b"), pageview_event(900, "http://x/b#top")],
     [("http://x/a", 0, 500), ("http://x/b", 500, 900)]),
    # a reload of the same URL continues the visit
    (page_load(0, "http://x/") + page_load(700, "http://x/"), [("http://x/", 0, 725)]),
    # pure rrweb, no SDK: Meta alone
    ([meta_event(0, "http://x/"), meta_event(400, "http://x/next")], [("http://x/", 0, 400), ("http://x/next", 400, 400)]),
    # nothing to go on
    ([click_event(5, 1, 1, 1)], []),
]


@pytest.mark.parametrize(("raw", "expected"), VISITS)
def test_visits(raw, expected):
    assert [(v.url, v.entered, v.left) for v in timeline_of(raw).visits] == expected


def test_only_click_interactions_are_clicks():
    raw = page_load(0, "http://x/", element(10, "button", {})) + [
        mouse_event(100, MouseInteraction.MOUSE_DOWN, 10, 5, 5),
        mouse_event(150, MouseInteraction.MOUSE_UP, 10, 5, 5),
        click_event(151, 10, 5, 5),
        mouse_event(152, MouseInteraction.DBL_CLICK, 10, 5, 5),
        mouse_event(153, MouseInteraction.FOCUS, 10),
    ]
    clicks = timeline_of(raw).clicks
    assert [(c.ts, c.url, c.target.tag) for c in clicks] == [(151, "http://x/", "button")]


def test_keyboard_clicks_have_no_position():
    raw = page_load(0, "http://x/", element(10, "button", {})) + [click_event(100, 10, 0, 0)]
    (click,) = timeline_of(raw).clicks
    assert click.is_keyboard and not click.has_position


def test_reactions_in_stream_order_with_visibility():
    raw = page_load(0, "http://x/", element(10, "p", {}), element(11, "input", {})) + [
        mutation_event(100, attributes=[{"id": 10, "attributes": {"data-x": "1"}}]),
        scroll_event(200, 50),
        input_event(300, 11),
        selection_event(400, 10, 0, 1),
        pageview_event(500, "http://x/next"),
        custom_event(600, "signup", {}),
        error_event(700),
    ]
    reactions = timeline_of(raw).reactions.items
    kinds = [(r.kind, r.is_visible) for r in reactions]
    assert kinds == [
        (ReactionKind.NAVIGATION, True),  # the first Meta
        (ReactionKind.NAVIGATION, True),  # its $pageview
        (ReactionKind.MUTATION, False),  # a data-* attribute nobody styles
        (ReactionKind.SCROLL, True),
        (ReactionKind.INPUT, True),
        (ReactionKind.SELECTION, False),
        (ReactionKind.NAVIGATION, True),
    ]


def test_a_re_snapshot_of_the_same_url_is_not_a_reaction():
    raw = page_load(0, "http://x/", element(10, "a", {})) + [
        click_event(100, 10, 5, 5), meta_event(200, "http://x/"), snapshot_event(210, document(element(10, "a", {})))]
    timeline = timeline_of(raw)
    assert timeline.reactions.next_after(timeline.clicks[0].index) is None


def test_events_out_of_order_are_sorted_by_time():
    raw = [pageview_event(900, "http://x/b"), pageview_event(100, "http://x/a")]
    assert [v.url for v in timeline_of(raw).visits] == ["http://x/a", "http://x/b"]


def test_errors_marks_and_field_changes_know_their_visit():
    form = element(10, "form", {"id": "f"}, element(11, "input", {"type": "email"}))
    raw = page_load(0, "http://x/", form) + [
        input_event(100, 11), error_event(200, "boom"), custom_event(300, "$task", {"task_id": "t", "status": "complete"})]
    timeline = timeline_of(raw)
    assert [(e.visit, e.message) for e in timeline.errors] == [(0, "boom")]
    assert [(m.tag, m.status) for m in timeline.marks] == [("$task", "complete")]
    (change,) = timeline.field_changes
    assert change.is_text_entry and change.form_id == 10 and change.visit == 0
