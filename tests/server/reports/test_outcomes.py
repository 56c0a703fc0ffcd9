"""What sessions achieved, computed from stored rows without a database."""
from __future__ import annotations

from server.reports.outcomes import Goal, SessionFacts, TaskAttempt, facts_of, reached, task_attempts
from server.storage.outcomes import OutcomeRows


def test_task_marks_pair_each_start_with_the_next_ending():
    marks = [("buy", "complete", 900), ("buy", "start", 100), ("find", "start", 200), ("buy", "start", 1000)]
    assert task_attempts(marks) == [
        TaskAttempt("buy", 100, 900, "complete"),
        TaskAttempt("find", 200, None, "open"),
        TaskAttempt("buy", 1000, None, "open"),
    ]
    assert task_attempts(marks)[0].duration_ms == 800


def test_facts_gather_pages_events_tasks_and_signals_per_session():
    rows = OutcomeRows(
        pages=[("s1", 10, "https://shop.test/"), ("s1", 50, "https://shop.test/thanks")],
        marks=[("s1", "event", "signup", None, 20), ("s1", "task", "buy", "start", 30),
               ("s1", "task", "buy", "fail", 60)],
        signals=[("s1", "rage_click", 40), ("s2", "dead_click", 5)],
    )
    facts = facts_of(rows)
    assert facts["s1"].urls == ["https://shop.test/", "https://shop.test/thanks"]
    assert facts["s1"].events == {"signup"}
    assert facts["s1"].tasks == [TaskAttempt("buy", 30, 60, "fail")]
    assert facts["s1"].signal_times == [("rage_click", 40)] and facts["s2"].signals == {"dead_click": 1}
    assert facts["never-seen"] == SessionFacts()


def test_a_goal_is_a_url_an_event_or_a_task_and_defaults_to_goal_pages_or_any_task():
    facts = SessionFacts(pages=[(1, "https://shop.test/thanks")], events={"signup"},
                         tasks=[TaskAttempt("buy", 1, 2, "complete")])
    assert reached(Goal(url_patterns=("*/thanks",)), facts, ())
    assert reached(Goal(event="signup"), facts, ()) and not reached(Goal(event="other"), facts, ())
    assert reached(Goal(task="buy"), facts, ()) and not reached(Goal(task="find"), facts, ())
    assert reached(Goal(), SessionFacts(pages=[(1, "https://shop.test/thanks")]), ("*/thanks",))
    assert not reached(Goal(), SessionFacts(pages=[(1, "https://shop.test/")]), ("*/thanks",))
