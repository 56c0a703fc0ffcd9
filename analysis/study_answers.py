"""Participants' answers in a study: the ``$answer {question, value, task_id?}`` events
the task widget sends, read at the boundary, and what they score.

Questions (``sdk_js/src/widget_questions.js`` words them):

- ``seq`` — the Single Ease Question after a task (``task_id``): 1 very difficult … 7 very easy.
- ``sus_1`` … ``sus_10`` — the System Usability Scale statements, 1 strongly disagree … 5
  strongly agree. Odd statements are positive, even ones negative.
- ``comment`` — free text at the end: the participant's quote.

Any other question name is kept (a product may ask its own) and shown as answered.
Pure; see also :mod:`analysis.study_outcomes`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Optional

SEQ = "seq"
SUS_QUESTIONS = tuple(f"sus_{item}" for item in range(1, 11))
COMMENT = "comment"
SEQ_RANGE = (1, 7)
SUS_RANGE = (1, 5)
QUESTION_NAME = re.compile(r"[A-Za-z0-9_.:-]{1,40}")
MAX_TASK_ID = 200
MAX_ANSWER_TEXT = 5000
"""A quote longer than this is cut: the widget allows 2,000 characters; this bounds what
another sender can store per answer."""


@dataclass(frozen=True)
class Answer:
    """One answer as stored: the value as text (numbers written plainly)."""

    question: str
    value: str
    task_id: Optional[str] = None


def read_answer(payload: Mapping[str, object]) -> Optional[Answer]:
    """The answer an ``$answer`` payload carries, or None when it is malformed (no
    question, a value that is neither a finite number nor text).

    >>> read_answer({"question": "seq", "value": 6, "task_id": "buy"})
    Answer(question='seq', value='6', task_id='buy')
    >>> read_answer({"question": "comment", "value": "  Slow.  "})
    Answer(question='comment', value='Slow.', task_id=None)
    >>> read_answer({"question": "seq", "value": float("nan")}) is None, read_answer({"value": 3}) is None
    (True, True)
    """
    question, value, task_id = payload.get("question"), payload.get("value"), payload.get("task_id")
    if not isinstance(question, str) or not QUESTION_NAME.fullmatch(question):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    text = value.strip()[:MAX_ANSWER_TEXT] if isinstance(value, str) else _plain_number(value)
    if not text:
        return None
    task = task_id[:MAX_TASK_ID] if isinstance(task_id, str) and task_id else None
    return Answer(question, text, task)


def _plain_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def rating(value: str, scale: tuple[int, int]) -> Optional[int]:
    """A whole rating within ``scale`` read from a stored value, or None.

    >>> rating("6", SEQ_RANGE), rating("8", SEQ_RANGE), rating("4.5", SUS_RANGE), rating("five", SUS_RANGE)
    (6, None, None, None)
    """
    try:
        number = float(value)
    except ValueError:
        return None
    low, high = scale
    return int(number) if number.is_integer() and low <= number <= high else None


def sus_score(items: Mapping[str, str]) -> Optional[float]:
    """The SUS score (0-100) of one participant's ten answers (``{"sus_1": "4", …}``),
    or None unless all ten are valid ratings: odd statements count ``value - 1``, even
    ones ``5 - value``, the sum times 2.5.

    >>> sus_score({f"sus_{i}": "5" if i % 2 else "1" for i in range(1, 11)})
    100.0
    >>> sus_score({f"sus_{i}": "3" for i in range(1, 11)})
    50.0
    >>> sus_score({"sus_1": "4"}) is None
    True
    """
    ratings = [rating(items.get(question, ""), SUS_RANGE) for question in SUS_QUESTIONS]
    if any(value is None for value in ratings):
        return None
    contributions = [(value - 1) if item % 2 else (5 - value) for item, value in enumerate(ratings, start=1)]
    return sum(contributions) * 2.5


SUS_GRADES = ((84.1, "A+"), (80.8, "A"), (78.9, "A-"), (77.2, "B+"), (74.1, "B"), (72.6, "B-"), (71.1, "C+"),
              (65.0, "C"), (62.7, "C-"), (51.7, "D"), (0.0, "F"))
"""The Sauro-Lewis curved grading scale (Sauro & Lewis, *Quantifying the User
Experience*, 2nd ed., 2016): the lowest score of each grade, from percentiles of about
450 studies (C is the middle: 65.0-71.0 around the mean of 68)."""


def sus_grade(score: Optional[float]) -> Optional[str]:
    """The letter grade of a SUS score (a study's mean), graded at one decimal, as the
    scale's bounds are written.

    >>> sus_grade(84.1), sus_grade(84.04), sus_grade(68.0), sus_grade(51.6), sus_grade(None)
    ('A+', 'A', 'C', 'F', None)
    """
    if score is None:
        return None
    shown = round(score, 1)
    return next(grade for lowest, grade in SUS_GRADES if shown >= lowest)
