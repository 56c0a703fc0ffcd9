"""The study report, built from a study, its sessions and their facts (no database)."""
from __future__ import annotations

from types import SimpleNamespace

from server.reports.outcomes import SessionFacts, TaskAttempt
from server.reports.studies import build_study_report

BUY = SimpleNamespace(task_key="buy", title="Buy a towel", success_url=None, success_event=None)
FIND = SimpleNamespace(task_key="find", title="Find returns", success_url="*/returns", success_event=None)
STUDY = SimpleNamespace(slug="towels", name="Towels", tasks=[BUY, FIND])


def session(sid: str, participant: str) -> SimpleNamespace:
    return SimpleNamespace(id=sid, participant=participant, started_at=1000, ended_at=9000)


def test_attempts_succeed_by_their_ending_or_the_task_success_url():
    sessions = [session("s1", "p-1"), session("s2", "p-2")]
    facts = {
        "s1": SessionFacts(pages=[(3000, "https://shop.test/returns")], signal_times=[("rage_click", 1500)],
                           tasks=[TaskAttempt("buy", 1000, 2000, "complete"), TaskAttempt("find", 2500, None, "open")]),
        "s2": SessionFacts(tasks=[TaskAttempt("buy", 1200, 1800, "abandon")]),
    }
    report = build_study_report(STUDY, sessions, facts, "http://rd.test")
    buy, find = report["tasks"]
    assert (buy["completion"]["successes"], buy["completion"]["n"]) == (1, 2)
    assert buy["time_on_task_ms"]["n"] == 1
    assert buy["attempts"][0]["link"] == "http://rd.test/sessions/s1?t=0"
    assert buy["attempts"][0]["signals"] == [{"kind": "rage_click", "link": "http://rd.test/sessions/s1?t=500"}]
    assert find["attempts"][0]["succeeded"] is True  # an open attempt that reached the success URL
    assert report["participants"] == [
        {"participant": "p-1", "tasks": {"buy": {"succeeded": True, "status": "complete", "duration_ms": 1000, "signals": 1},
                                         "find": {"succeeded": True, "status": "open", "duration_ms": None, "signals": 0}}},
        {"participant": "p-2", "tasks": {"buy": {"succeeded": False, "status": "abandon", "duration_ms": 600, "signals": 0}}},
    ]
    assert report["sessions"] == 2 and report["study"] == "towels"
