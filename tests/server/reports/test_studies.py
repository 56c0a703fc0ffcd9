"""The study report, built from a study, its sessions and their facts (no database).
Every measure is compared with a value computed by hand, written out beside it."""
from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest

from server.reports.outcomes import SessionFacts, TaskAttempt
from server.reports.study_export import study_csv, study_markdown
from server.reports.studies import build_study_report

BUY = SimpleNamespace(task_key="buy", title="Buy a towel", success_url="*/thanks*", success_event=None)
FIND = SimpleNamespace(task_key="find", title="Find the FAQ", success_url=None, success_event="faq_opened")
CHAT = SimpleNamespace(task_key="chat", title="Say hello", success_url=None, success_event=None)
PARTICIPANTS = [SimpleNamespace(code=f"p-{n}", label=label) for n, label in ((1, "Ana"), (2, "Ben"), (3, ""), (4, "Dee"))]
STUDY = SimpleNamespace(slug="towels", name="Towels *study*", tasks=[BUY, FIND, CHAT], participants=PARTICIPANTS)
T0 = 1_000_000
THANKS = "https://shop.test/thanks"


def session(n: int, *, last_received_at: int = T0 + 300_000) -> SimpleNamespace:
    return SimpleNamespace(id=f"s{n}", participant=f"p-{n}", started_at=T0, ended_at=T0 + 300_000,
                           last_received_at=last_received_at)


def sus(*values: int) -> list[tuple[str, None, str, int]]:
    return [(f"sus_{item}", None, str(value), T0 + 200_000 + item) for item, value in enumerate(values, start=1)]


def seq(task: str, value: int) -> tuple[str, str, str, int]:
    return ("seq", task, str(value), T0 + 100_000)


FACTS = {
    # Ana: buy in 10 s, straight to the thanks page; the FAQ event; chat Done; SUS 90.
    "s1": SessionFacts(pages=[(T0 + 11_000, THANKS)], event_marks=[(T0 + 60_000, "faq_opened")],
                       tasks=[TaskAttempt("buy", T0 + 1_000, T0 + 11_000, "complete"),
                              TaskAttempt("find", T0 + 50_000, T0 + 65_000, "complete"),
                              TaskAttempt("chat", T0 + 70_000, T0 + 72_000, "complete")],
                       answers=[seq("buy", 6), *sus(4, 1, 4, 1, 5, 2, 5, 1, 4, 1)]),
    # Ben: buy in 20 s after a quick back (indirect); Done on the FAQ task without the event; SUS 50; a quote.
    "s2": SessionFacts(pages=[(T0 + 5_000, "https://shop.test/p/1"), (T0 + 8_000, "https://shop.test/"),
                              (T0 + 21_000, THANKS)], signal_times=[("quick_back", T0 + 5_000)],
                       tasks=[TaskAttempt("buy", T0 + 1_000, T0 + 21_000, "complete"),
                              TaskAttempt("find", T0 + 30_000, T0 + 40_000, "complete")],
                       answers=[seq("buy", 5), *sus(3, 3, 3, 3, 3, 3, 3, 3, 3, 3),
                                ("comment", None, "+1 for the towels, but where is the cart?", T0 + 250_000)]),
    # p-3 (no label): buy in 40 s; SUS 77.5.
    "s3": SessionFacts(pages=[(T0 + 41_000, THANKS)], tasks=[TaskAttempt("buy", T0 + 1_000, T0 + 45_000, "complete")],
                       answers=[seq("buy", 7), *sus(5, 2, 4, 2, 4, 2, 4, 2, 4, 2)]),
    # Dee gave up buying; three SUS statements only (left out of the SUS mean).
    "s4": SessionFacts(tasks=[TaskAttempt("buy", T0 + 1_000, T0 + 9_000, "give_up")],
                       answers=[seq("buy", 2), *sus(2, 4, 2)]),
}


@pytest.fixture(scope="module")
def report():
    return build_study_report(STUDY, [session(n) for n in (1, 2, 3, 4)], FACTS, "http://rd.test")


def test_completion_rates_carry_adjusted_wald_intervals(report):
    buy, find, chat = report["tasks"]
    # 3 of 4: p̂ = (3 + 1.96²/2) / (4 + 1.96²) = 4.9208 / 7.8416 = 0.62752;
    # half-width 1.96 × √(0.62752 × 0.37248 / 7.8416) = 1.96 × 0.17265 = 0.33839 → 0.28913 … 0.96592.
    assert buy["completion"] == {"successes": 3, "n": 4, "rate": 0.75, "ci": [0.2891, 0.9659]}
    # 1 of 2: p̂ = 2.9208 / 5.8416 = 0.5; half-width 1.96 × √(0.25 / 5.8416) = 0.40547 → 0.09453 … 0.90547.
    assert find["completion"] == {"successes": 1, "n": 2, "rate": 0.5, "ci": [0.0945, 0.9055]}
    # 1 of 1: p̂ = 2.9208 / 4.8416 = 0.603272; half-width 1.96 × √(0.603272 × 0.396728 / 4.8416) = 0.435779
    # → 0.167493 … 1.
    assert chat["completion"] == {"successes": 1, "n": 1, "rate": 1.0, "ci": [0.1675, 1.0]}
    assert buy["outcomes"] == {"success": 3, "fail": 0, "give_up": 1, "abandon": 0}
    assert buy["paths"] == {"direct": 2, "indirect": 1}
    assert find["outcomes"] == {"success": 1, "fail": 1, "give_up": 0, "abandon": 0}


def test_time_on_task_is_the_geometric_mean_of_successes_with_a_log_t_interval(report):
    buy, find, _ = report["tasks"]
    # Ana 10 s (Done at the page), Ben 20 s, p-3 40 s (Done 4 s after the page: timed to Done, 44 s).
    # ln 10,000 = 9.210340, ln 20,000 = 9.903488, ln 44,000 = 10.691945: mean 9.935258 → e^9.935258 = 20,646 ms;
    # sd of the logs √((0.724918² + 0.031770² + 0.756687²) / 2) = 0.741313;
    # half-width t(0.975, 2) × 0.741313 / √3 = 4.302653 × 0.428000 = 1.841536 → e^8.093722 … e^11.776794,
    # 3,274 … 130,194 ms.
    assert buy["time_on_task"] == {"n": 3, "geometric_mean_ms": 20646, "ci_ms": [3274, 130194]}
    assert find["time_on_task"] == {"n": 1, "geometric_mean_ms": 15000, "ci_ms": None}  # one time: no interval
    assert [a["time_ms"] for a in buy["attempts"]] == [10_000, 20_000, 44_000, None]


def test_mean_seq_per_task_and_the_sus_score_with_its_grade(report):
    buy, find, _ = report["tasks"]
    # SEQ 6, 5, 7, 2: mean 5.0; sd √(14 / 3) = 2.16025; half-width t(0.975, 3) 3.18245 × 2.16025 / 2 = 3.43743.
    assert buy["seq"] == {"n": 4, "mean": 5.0, "ci": [1.56, 7.0]}  # 8.44 kept within the scale's 7
    assert find["seq"] == {"n": 0, "mean": None, "ci": None}
    # SUS: Ana (3+3+4+4+3 odd, 4+4+3+4+4 even) × 2.5 = 90; Ben all 3s = 50; p-3 (16 + 15) × 2.5 = 77.5.
    # Mean 72.5 → C+ (71.1-72.5); sd √((17.5² + 22.5² + 5²) / 2) = 20.46338; half-width 4.30265 × 20.46338 / √3 = 50.8335.
    assert report["sus"] == {"n": 3, "mean": 72.5, "ci": [21.7, 100.0], "grade": "C+", "incomplete": 1}
    scores = {row["participant"]: row["sus"]["score"] for row in report["participants"]}
    assert scores == {"p-1": 90.0, "p-2": 50.0, "p-3": 77.5, "p-4": None}


def test_each_participant_has_outcomes_answers_and_quotes(report):
    ben = next(row for row in report["participants"] if row["participant"] == "p-2")
    assert ben["label"] == "Ben"
    assert {task: (cell["words"], cell["time_ms"], cell["seq"]) for task, cell in ben["tasks"].items()} == {
        "buy": ("Success (indirect)", 20_000, 5), "find": ("Failed", None, None)}
    assert ben["tasks"]["buy"]["link"] == "http://rd.test/sessions/s2?t=1000"
    assert ben["quotes"] == [{"text": "+1 for the towels, but where is the cart?", "link": "http://rd.test/sessions/s2?t=250000"}]
    assert len(ben["answers"]) == 12
    attempt = report["tasks"][0]["attempts"][1]
    assert attempt["clip"] == {"session_id": "s2", "from_ms": 1_000, "to_ms": 21_000, "caption": "Buy a towel · p-2"}


def test_an_attempt_still_running_is_not_counted():
    facts = {"s1": SessionFacts(tasks=[TaskAttempt("buy", T0 + 1_000, None, "open")])}
    live = build_study_report(STUDY, [session(1, last_received_at=T0 + 500_000)], facts, "http://rd.test",
                              live_since_ms=T0 + 400_000)
    assert live["tasks"][0]["attempts"][0]["outcome"] == "in_progress"
    assert live["tasks"][0]["completion"]["n"] == 0
    ended = build_study_report(STUDY, [session(1)], facts, "http://rd.test", live_since_ms=T0 + 400_000)
    assert ended["tasks"][0]["attempts"][0]["words"] == "Abandoned"


def test_markdown_and_csv_say_the_same_numbers(report):
    markdown = study_markdown(report, generated_at=T0)
    assert markdown.startswith("# Towels \\*study\\*: study report")
    assert ("| Buy a towel | 75% (3/4) | 29%–97% | Success 3 (2 direct, 1 indirect) · Gave up 1 | 20.6 s (n = 3) "
            "| 3.3–130.2 s | 5.0 (n = 4) |") in markdown
    assert "**SUS:** 72.5 (C+), n = 3; 1 incomplete questionnaire(s) left out" in markdown
    assert "- Buy a towel: [Success (indirect)](http://rd.test/sessions/s2?t=1000), 20.0 s, SEQ 5" in markdown
    assert "“+1 for the towels, but where is the cart?”" in markdown
    rows = list(csv.reader(io.StringIO(study_csv(report))))
    assert rows[0] == ["participant", "label", "task", "outcome", "path", "time_s", "seq", "sus", "link", "quotes"]
    assert next(row for row in rows if row[:3] == ["p-2", "Ben", "Buy a towel"]) == ["p-2", "Ben", "Buy a towel", "Success", "indirect", "20.0", "5", "50.0",
                       "http://rd.test/sessions/s2?t=1000", "'+1 for the towels, but where is the cart?"]  # a formula start is defused
    summary = next(row for row in rows if row[0] == "*" and row[2] == "Buy a towel")
    assert summary[3] == "completion 75% (3/4), 95% 29%–97%; time 20.6 s, 95% 3.3–130.2 s" and summary[6] == "5.0"
    assert rows[-1][:4] == ["*", "all participants", "SUS", "72.5 (C+), n = 3"]
