"""The study report, built from a study, its sessions and their facts (no database)."""
from __future__ import annotations

from types import SimpleNamespace

from server.reports.outcomes import SessionFacts, TaskAttempt
from server.reports.studies import build_study_report

BUY = SimpleNamespace(task_key="buy", title="Buy a towel", success_url=None, success_event="order_placed")
FIND = SimpleNamespace(task_key="find", title="Find returns", success_url="*/returns", success_event=None)
STUDY = SimpleNamespace(slug="towels", name="Towels", tasks=[BUY, FIND])


def session(sid: str, participant: str, *, last_received_at: int = 9000) -> SimpleNamespace:
    return SimpleNamespace(id=sid, participant=participant, started_at=1000, ended_at=9000,
                           last_received_at=last_received_at)


def test_attempts_are_judged_by_the_task_criteria_and_counted_once_per_participant():
    sessions = [session("s1", "p-1"), session("s2", "p-2"), session("s3", "p-2"), session("s4", "p-3", last_received_at=50_000)]
    facts = {
        # p-1: the event fired, Done; then the returns page reached without Done (the session ended).
        "s1": SessionFacts(pages=[(3000, "https://shop.test/returns")], signal_times=[("rage_click", 1500)],
                           event_marks=[(1900, "order_placed")],
                           tasks=[TaskAttempt("buy", 1000, 2000, "complete"), TaskAttempt("find", 2500, None, "open")]),
        # p-2 gave up, then in a second session pressed Done without the event: their last attempt stands.
        "s2": SessionFacts(tasks=[TaskAttempt("buy", 1200, 1800, "give_up")]),
        "s3": SessionFacts(tasks=[TaskAttempt("buy", 1200, 4000, "complete")]),
        # p-3 is still at it (the session is live): no outcome yet, not counted.
        "s4": SessionFacts(tasks=[TaskAttempt("find", 1100, None, "open")]),
    }
    report = build_study_report(STUDY, sessions, facts, "http://rd.test", live_since_ms=40_000)
    buy, find = report["tasks"]
    assert buy["outcomes"] == {"success": 1, "fail": 1, "give_up": 0, "abandon": 0}
    assert (buy["completion"]["successes"], buy["completion"]["n"]) == (1, 2)
    assert buy["time_on_task_ms"]["n"] == 1 and buy["time_on_task_ms"]["mean"] == 1000
    assert [a["words"] for a in buy["attempts"]] == ["Success (direct)", "Gave up", "Failed"]
    assert buy["attempts"][0]["link"] == "http://rd.test/sessions/s1?t=0"
    assert buy["attempts"][0]["signals"] == [{"kind": "rage_click", "link": "http://rd.test/sessions/s1?t=500"}]
    assert [a["outcome"] for a in find["attempts"]] == ["success", "in_progress"]
    assert find["attempts"][0]["time_ms"] == 500  # an open attempt, timed to the page that met the criteria
    assert (find["completion"]["successes"], find["completion"]["n"]) == (1, 1)
    cells = {row["participant"]: {task: cell["words"] for task, cell in row["tasks"].items()} for row in report["participants"]}
    assert cells == {"p-1": {"buy": "Success (direct)", "find": "Success (direct)"}, "p-2": {"buy": "Failed"}}
    assert report["sessions"] == 4 and report["study"] == "towels"
