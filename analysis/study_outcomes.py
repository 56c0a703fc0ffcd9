"""Task outcomes of a usability study: what each attempt at a task came to, judged by
the task's criteria, not by what the participant pressed.

An **attempt** runs from a ``$task`` start to the next ending of the same task
(``complete``: the participant's Done; ``give_up``: their Give up; ``fail``: the
product or moderator said so; ``abandon``: the task was withdrawn or replaced), or to
the session's end when none came. Its **outcome** is one of :data:`OUTCOMES`:

- ``success`` — the task's criteria were met within the attempt: a page whose URL
  matches the task's glob was entered, or the product's event tag was seen. Whatever
  the participant pressed: reaching the goal and then pressing Give up is a success.
  ``direct`` when no detour (a quick back or a dead end) happened between the start and
  the moment the criteria were met, else ``indirect``. A task without criteria has only
  the participant's word: Done counts as a success that is ``claimed``, not confirmed.
- ``fail`` — the participant pressed Done but the criteria were not met (a claim they
  did not confirm), or the attempt ended ``fail``.
- ``give_up`` — the participant pressed Give up without meeting the criteria.
- ``abandon`` — the attempt was withdrawn, replaced, or never ended before the session
  did, without meeting the criteria.

An unended attempt in a session that is still live is ``in_progress``: no outcome yet.
Time on task (successes only) runs from the start to the participant's Done when they
pressed it after meeting the criteria, else to the moment the criteria were met.

Pure: pages, event marks and signal times in, outcomes out. The server reads those
from its tables (pages, marks, signals); tests build them from the dev corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Optional

from analysis.detectors.dead_end import is_goal_url

OUTCOMES = ("success", "fail", "give_up", "abandon")
"""Every outcome an ended attempt can have, in report order."""
IN_PROGRESS = "in_progress"
OUTCOME_WORDS = {"success": "Success", "fail": "Failed", "give_up": "Gave up", "abandon": "Abandoned",
                 IN_PROGRESS: "In progress"}
"""The one wording of each outcome: report, pages, exports and the live room use these."""
PATH_WORDS = {"direct": "direct", "indirect": "indirect"}
TASK_ENDINGS = ("complete", "give_up", "fail", "abandon")
"""``$task`` statuses that end an attempt (``give_up`` is the widget's Give up)."""
DETOUR_KINDS = frozenset({"quick_back", "dead_end"})
"""Signals that make a success indirect: the participant went somewhere and came back."""


@dataclass(frozen=True)
class TaskCriteria:
    """What counts as done: a page URL glob reached and/or an event tag seen (either)."""

    success_url: Optional[str] = None
    success_event: Optional[str] = None

    @property
    def is_set(self) -> bool:
        return bool(self.success_url or self.success_event)


@dataclass(frozen=True)
class TaskAttempt:
    """One go at a task: ``status`` is its ending (:data:`TASK_ENDINGS`) or ``open``."""

    task_id: str
    started: int
    ended: Optional[int]
    status: str

    @property
    def duration_ms(self) -> Optional[int]:
        return None if self.ended is None else self.ended - self.started


@dataclass(frozen=True)
class AttemptOutcome:
    """What an attempt came to (see the module's rules).

    ``path``: ``direct`` or ``indirect`` for a success, else None. ``claimed``: the
    participant pressed Done. ``confirmed``: the task's criteria were met (None when the
    task has none). ``met_at``: when they were first met. ``time_ms``: time on task of a
    success, else None. ``detours``: the detour signals counted, as ``(kind, ts)``.
    """

    outcome: str
    path: Optional[str] = None
    claimed: bool = False
    confirmed: Optional[bool] = None
    met_at: Optional[int] = None
    time_ms: Optional[int] = None
    detours: tuple[tuple[str, int], ...] = ()

    @property
    def words(self) -> str:
        """The outcome in the report's words.

        >>> AttemptOutcome("success", "indirect").words, AttemptOutcome("give_up").words
        ('Success (indirect)', 'Gave up')
        """
        word = OUTCOME_WORDS[self.outcome]
        return f"{word} ({self.path})" if self.path else word


def task_attempts(marks: Iterable[tuple[str, str, int]]) -> list[TaskAttempt]:
    """Pair ``(task_id, status, ts)`` marks: each start with the next ending of that task.
    A second start while one is open is the same attempt; an ending without a start is
    an attempt of no length; a start never ended stays ``open``.

    >>> task_attempts([("buy", "start", 100), ("find", "start", 200), ("buy", "complete", 900),
    ...                ("buy", "start", 1000)])
    [TaskAttempt(task_id='buy', started=100, ended=900, status='complete'), \
TaskAttempt(task_id='find', started=200, ended=None, status='open'), \
TaskAttempt(task_id='buy', started=1000, ended=None, status='open')]

    See also: :func:`judge_attempt`.
    """
    attempts: list[TaskAttempt] = []
    open_starts: dict[str, int] = {}
    for task_id, status, ts in sorted(marks, key=lambda mark: mark[2]):
        if status == "start":
            open_starts.setdefault(task_id, ts)
        elif status in TASK_ENDINGS:
            attempts.append(TaskAttempt(task_id, open_starts.pop(task_id, ts), ts, status))
    attempts += [TaskAttempt(task_id, ts, None, "open") for task_id, ts in open_starts.items()]
    return sorted(attempts, key=lambda attempt: attempt.started)


def criteria_met_at(criteria: TaskCriteria, pages: Iterable[tuple[int, str]], events: Iterable[tuple[int, str]],
                    start: int, until: int) -> Optional[int]:
    """The first moment in ``[start, until]`` a page matching the URL glob was entered
    (``pages``: ``(ts, url)``) or the event tag was seen (``events``: ``(ts, tag)``).

    >>> pages = [(100, "http://x/"), (900, "http://x/thanks.html?order=7")]
    >>> criteria_met_at(TaskCriteria(success_url="*/thanks.html*"), pages, [], 0, 1000)
    900
    >>> criteria_met_at(TaskCriteria(success_url="*/thanks.html*"), pages, [], 0, 800) is None
    True
    >>> criteria_met_at(TaskCriteria(success_event="order_placed"), pages, [(950, "order_placed")], 0, 1000)
    950
    """
    moments = []
    if criteria.success_url:
        moments += [ts for ts, url in pages if start <= ts <= until and is_goal_url(url, (criteria.success_url,))]
    if criteria.success_event:
        moments += [ts for ts, tag in events if start <= ts <= until and tag == criteria.success_event]
    return min(moments, default=None)


UNMET_OUTCOMES = {"complete": "fail", "fail": "fail", "give_up": "give_up", "abandon": "abandon", "open": "abandon"}
"""The outcome of an attempt whose criteria were not met, by how it ended."""


def judge_attempt(attempt: TaskAttempt, criteria: TaskCriteria, *, pages: Sequence[tuple[int, str]] = (),
                  events: Sequence[tuple[int, str]] = (), signals: Sequence[tuple[str, int]] = (),
                  session_end: int, session_live: bool = False) -> AttemptOutcome:
    """The outcome of one attempt from the task's criteria, the session's page entries,
    event marks and signals (``(kind, ts)``), and when the session ended.

    >>> criteria = TaskCriteria(success_url="*/thanks*")
    >>> reached = [(0, "http://x/cart"), (4000, "http://x/thanks")]
    >>> judge_attempt(TaskAttempt("buy", 1000, 5000, "give_up"), criteria, pages=reached, session_end=9000)
    AttemptOutcome(outcome='success', path='direct', claimed=False, confirmed=True, met_at=4000, time_ms=3000, detours=())
    >>> judge_attempt(TaskAttempt("buy", 1000, 5000, "complete"), criteria, pages=reached[:1], session_end=9000).outcome
    'fail'
    >>> judge_attempt(TaskAttempt("buy", 1000, None, "open"), criteria, session_end=9000).outcome
    'abandon'
    >>> judge_attempt(TaskAttempt("buy", 1000, 5000, "complete"), criteria, pages=reached,
    ...               signals=[("quick_back", 2000)], session_end=9000).words
    'Success (indirect)'

    A task without criteria: Done is a claim nothing confirms.

    >>> judge_attempt(TaskAttempt("chat", 0, 700, "complete"), TaskCriteria(), session_end=900)
    AttemptOutcome(outcome='success', path='direct', claimed=True, confirmed=None, met_at=700, time_ms=700, detours=())

    See also: :func:`task_attempts`, :func:`participant_outcomes`.
    """
    claimed = attempt.status == "complete"
    until = attempt.ended if attempt.ended is not None else session_end
    if criteria.is_set:
        met_at = criteria_met_at(criteria, pages, events, attempt.started, until)
    else:
        met_at = attempt.ended if claimed else None
    if met_at is None:
        if attempt.status == "open" and session_live:
            return AttemptOutcome(IN_PROGRESS, claimed=False, confirmed=False if criteria.is_set else None)
        return AttemptOutcome(UNMET_OUTCOMES.get(attempt.status, "abandon"), claimed=claimed,
                              confirmed=False if criteria.is_set else None)
    detours = tuple((kind, ts) for kind, ts in signals if kind in DETOUR_KINDS and attempt.started <= ts <= met_at)
    finished = attempt.ended if claimed and attempt.ended is not None else met_at
    return AttemptOutcome("success", "indirect" if detours else "direct", claimed=claimed,
                          confirmed=True if criteria.is_set else None, met_at=met_at,
                          time_ms=finished - attempt.started, detours=detours)


def is_counted(outcome: AttemptOutcome) -> bool:
    """Whether the outcome counts in rates: every ended attempt, none in progress."""
    return outcome.outcome != IN_PROGRESS


def participant_outcomes(outcomes: Sequence[AttemptOutcome]) -> Optional[AttemptOutcome]:
    """One participant's outcome for one task, from their attempts in time order: the
    first success, else the last counted attempt (a retry replaces an earlier try), else
    None (only attempts in progress, or none).

    >>> participant_outcomes([AttemptOutcome("give_up"), AttemptOutcome("success", "direct", time_ms=5)]).outcome
    'success'
    >>> participant_outcomes([AttemptOutcome("fail"), AttemptOutcome("abandon")]).outcome
    'abandon'
    >>> participant_outcomes([AttemptOutcome(IN_PROGRESS)]) is None
    True
    """
    counted = [outcome for outcome in outcomes if is_counted(outcome)]
    return next((o for o in counted if o.outcome == "success"), counted[-1] if counted else None)
