"""Task outcomes from criteria: every study-like session of the dev corpus, then small
hand-built streams for what the corpus never does (a detour on the way to the goal, an
event criterion, Done without the goal, Give up, a session still running)."""
from __future__ import annotations

import gzip
import json

import pytest

from analysis import analyze
from analysis.batch_summary import summarize_batch
from analysis.event_builders import custom_event, meta_event, pageview_event, task_event
from analysis.study_outcomes import (IN_PROGRESS, AttemptOutcome, TaskCriteria, judge_attempt, participant_outcomes,
                                     task_attempts)
from tests.corpus import CORPUS_DIR

# The corpus shop's two tasks, with the criteria a researcher would set.
CRITERIA = {"purchase": TaskCriteria(success_url="*/thanks.html*"),
            "find-return-policy": TaskCriteria(success_url="*/help.html")}

# file → (task, $task ending the script sent, outcome words, time on task in ms or None).
# Times: from the start mark to Done when Done came after the goal page, else to the goal page.
CORPUS_OUTCOMES = {
    "shop-01-happy_buyer": ("purchase", "complete", "Success (direct)", 47408),
    "shop-02-happy_buyer": ("purchase", "complete", "Success (direct)", 48586),
    "shop-03-two_item_buyer": ("purchase", "complete", "Success (direct)", 54084),
    "shop-04-coupon_rager_buys": ("purchase", "complete", "Success (direct)", 50026),  # a rage click is no detour
    "shop-05-coupon_rager_buys": ("purchase", "complete", "Success (direct)", 51467),
    "shop-06-coupon_rager_leaves": ("purchase", "abandon", "Abandoned", None),  # left from the cart
    "shop-07-patient_coupon": ("purchase", "complete", "Success (direct)", 49302),
    "shop-08-promo_then_browse": ("purchase", "abandon", "Abandoned", None),
    "shop-11-stepper_user": ("purchase", "abandon", "Abandoned", None),
    "shop-12-stepper_buyer": ("purchase", "complete", "Success (direct)", 45724),
    "shop-14-wishlist_error_continue": ("purchase", "complete", "Success (direct)", 42681),
    "shop-15-wishlist_error_quick_back": ("purchase", "abandon", "Abandoned", None),
    "shop-17-quick_backer": ("purchase", "abandon", "Abandoned", None),
    # The participant said "fail", but the help page was reached (then left within 3.4 s): the
    # criteria decide, and the quick back off it makes the success indirect. Timed to the page.
    "shop-18-help_quick_back": ("find-return-policy", "fail", "Success (indirect)", 4049),
    "shop-19-slow_backer": ("purchase", "abandon", "Abandoned", None),
    "shop-20-help_dead_end_back": ("find-return-policy", "fail", "Success (indirect)", 3773),  # dead end on help
    "shop-21-help_dead_end_close": ("find-return-policy", "abandon", "Success (indirect)", 6047),
    "shop-22-help_reader": ("find-return-policy", "complete", "Success (direct)", 17288),  # read 14 s, then Done
    "shop-25-checkout_abandon_rage": ("purchase", "fail", "Failed", None),  # stuck on checkout (variant A)
    "shop-26-checkout_giveup_back": ("purchase", "abandon", "Abandoned", None),
    "shop-27-checkout_retry": ("purchase", "fail", "Failed", None),
    "shop-28-checkout_validation": ("purchase", "complete", "Success (direct)", 43793),
    "shop-30-mixed_frustration": ("purchase", "complete", "Success (direct)", 62226),
    "shop-31-long_browser": ("purchase", "complete", "Success (direct)", 206943),  # 3.5 min, no quick back
}


def judge_stream(events: list[dict], criteria: dict[str, TaskCriteria], *, live: bool = False) -> list[AttemptOutcome]:
    """Outcomes of every attempt in a stream, from what ingest and analysis keep of it."""
    summary = summarize_batch(events)
    pages = [(page.entered, page.url) for page in summary.pages]
    marks = [(name, status, ts) for kind, name, status, ts in summary.marks if kind == "task"]
    tags = [(ts, name) for kind, name, _, ts in summary.marks if kind == "custom"]
    signals = [(signal.kind, signal.ts) for signal in analyze(events).signals]
    return [judge_attempt(attempt, criteria[attempt.task_id], pages=pages, events=tags, signals=signals,
                          session_end=events[-1]["timestamp"], session_live=live)
            for attempt in task_attempts(marks)]


def test_every_corpus_attempt_gets_the_outcome_its_criteria_give():
    found = {}
    for path in sorted(CORPUS_DIR.glob("shop-*.json.gz")):
        recording = json.loads(gzip.decompress(path.read_bytes()))
        summary = summarize_batch(recording["events"])
        endings = [status for kind, _, status, _ in summary.marks if kind == "task" and status != "start"]
        for outcome, ending in zip(judge_stream(recording["events"], CRITERIA), endings):
            task = recording["meta"]["tasks"][0]["task_id"]
            found[path.name.removesuffix(".json.gz")] = (task, ending, outcome.words, outcome.time_ms)
    assert found == CORPUS_OUTCOMES


def test_the_corpus_words_outcomes_one_way_and_counts_them_per_task():
    counts: dict[str, dict[str, int]] = {}
    for task, _, words, _ in CORPUS_OUTCOMES.values():
        counts.setdefault(task, {}).setdefault(words.split(" (")[0], 0)
        counts[task][words.split(" (")[0]] += 1
    assert counts == {"purchase": {"Success": 11, "Abandoned": 7, "Failed": 2},
                      "find-return-policy": {"Success": 4}}


SHOP = "http://shop.test"
BUY = {"buy": TaskCriteria(success_url="*/thanks*")}


def stream(*events: dict) -> list[dict]:
    return [meta_event(0, f"{SHOP}/"), pageview_event(5, f"{SHOP}/"), *events]


@pytest.mark.parametrize("events, criteria, live, expected", [
    # A quick back (product page and straight back) before reaching the goal: indirect.
    (stream(task_event(100, "buy", "start"), pageview_event(1000, f"{SHOP}/product"), pageview_event(3000, f"{SHOP}/"),
            pageview_event(9000, f"{SHOP}/thanks"), task_event(9500, "buy", "complete")),
     BUY, False, ("success", "indirect", True, 9400)),
    # Done, but the goal page never came: the claim is not confirmed.
    (stream(task_event(100, "buy", "start"), pageview_event(1000, f"{SHOP}/cart"), task_event(4000, "buy", "complete")),
     BUY, False, ("fail", None, True, None)),
    # Give up in the widget without the goal: give_up (not abandon, not fail).
    (stream(task_event(100, "buy", "start"), task_event(4000, "buy", "give_up")), BUY, False, ("give_up", None, False, None)),
    # Give up after the goal was reached: the criteria decide, timed to the goal.
    (stream(task_event(100, "buy", "start"), pageview_event(2100, f"{SHOP}/thanks"), task_event(4000, "buy", "give_up")),
     BUY, False, ("success", "direct", False, 2000)),
    # The event criterion: the product's own event seen within the attempt.
    (stream(task_event(100, "buy", "start"), custom_event(3100, "order_placed", {}), task_event(3500, "buy", "complete")),
     {"buy": TaskCriteria(success_event="order_placed")}, False, ("success", "direct", True, 3400)),
    # The same event before the attempt started does not count.
    (stream(custom_event(50, "order_placed", {}), task_event(100, "buy", "start"), task_event(3500, "buy", "complete")),
     {"buy": TaskCriteria(success_event="order_placed")}, False, ("fail", None, True, None)),
    # Never ended, the session over: abandon. The session still live: in progress.
    (stream(task_event(100, "buy", "start"), pageview_event(900, f"{SHOP}/cart")), BUY, False, ("abandon", None, False, None)),
    (stream(task_event(100, "buy", "start"), pageview_event(900, f"{SHOP}/cart")), BUY, True, (IN_PROGRESS, None, False, None)),
    # No criteria: Done is the only word there is; a claimed success, confirmed by nothing.
    (stream(task_event(100, "buy", "start"), task_event(2100, "buy", "complete")), {"buy": TaskCriteria()}, False,
     ("success", "direct", True, 2000)),
])
def test_hand_built_attempts(events, criteria, live, expected):
    [outcome] = judge_stream(events, criteria, live=live)
    assert (outcome.outcome, outcome.path, outcome.claimed, outcome.time_ms) == expected


def test_a_retry_replaces_an_earlier_try_and_a_success_stands():
    attempts = judge_stream(stream(task_event(100, "buy", "start"), task_event(900, "buy", "give_up"),
                                   task_event(1000, "buy", "start"), task_event(1500, "buy", "abandon")), BUY)
    assert [a.outcome for a in attempts] == ["give_up", "abandon"]
    assert participant_outcomes(attempts).outcome == "abandon"
    assert participant_outcomes([AttemptOutcome("success", "direct", time_ms=1), *attempts]).outcome == "success"
