"""The study report in words and figures: one formatting of every measure, used by the
study page, the Markdown report and the CSV sheet alike (rates as whole percents, times
in seconds with one decimal, SEQ and SUS with one decimal). Pure: report dict in, text out.

Participants' text (labels, quotes) and task titles are untrusted: Markdown escapes
them (``md_escape``) and CSV cells that start like a formula get a leading ``'``.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from typing import Optional

from analysis.study_outcomes import OUTCOME_WORDS, OUTCOMES
from server.review.export import md_escape

NONE = "—"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def format_percent(rate: Optional[float]) -> str:
    """A rate as a whole percent.

    >>> format_percent(0.6667), format_percent(1.0), format_percent(None)
    ('67%', '100%', '—')
    """
    return NONE if rate is None else f"{rate * 100:.0f}%"


def format_rate_interval(ci: Optional[list]) -> str:
    """A rate interval as whole percents.

    >>> format_rate_interval([0.2024, 0.9437]), format_rate_interval(None)
    ('20%–94%', '—')
    """
    return NONE if not ci else f"{format_percent(ci[0])}–{format_percent(ci[1])}"


def format_seconds(ms: Optional[float]) -> str:
    """A time in seconds with one decimal.

    >>> format_seconds(20_000), format_seconds(3574.6), format_seconds(None)
    ('20.0 s', '3.6 s', '—')
    """
    return NONE if ms is None else f"{ms / 1000:.1f} s"


def format_time_interval(ci: Optional[list]) -> str:
    """A time interval in seconds with one decimal.

    >>> format_time_interval([3575, 111900])
    '3.6–111.9 s'
    """
    return NONE if not ci else f"{ci[0] / 1000:.1f}–{ci[1] / 1000:.1f} s"


def format_score(value: Optional[float]) -> str:
    """SEQ means and SUS scores: one decimal.

    >>> format_score(5.5), format_score(72.5), format_score(None)
    ('5.5', '72.5', '—')
    """
    return NONE if value is None else f"{value:.1f}"


def format_sus(sus: dict) -> str:
    """The study's SUS: score, grade, questionnaires.

    >>> format_sus({"mean": 72.5, "grade": "C+", "n": 2})
    '72.5 (C+), n = 2'
    """
    if sus.get("mean") is None:
        return "no complete questionnaire yet"
    return f"{format_score(sus['mean'])} ({sus['grade']}), n = {sus['n']}"


def outcome_counts(task: dict) -> str:
    """How many participants had each outcome (those with none left out).

    >>> outcome_counts({"outcomes": {"success": 2, "fail": 1, "give_up": 0, "abandon": 0},
    ...                  "paths": {"direct": 1, "indirect": 1}})
    'Success 2 (1 direct, 1 indirect) · Failed 1'
    """
    parts = []
    for outcome in OUTCOMES:
        count = task["outcomes"][outcome]
        if not count:
            continue
        text = f"{OUTCOME_WORDS[outcome]} {count}"
        if outcome == "success":
            text += f" ({task['paths']['direct']} direct, {task['paths']['indirect']} indirect)"
        parts.append(text)
    return " · ".join(parts) or "no attempt yet"


def participant_name(row: dict) -> str:
    return f"{row['label']} ({row['participant']})" if row["label"] else row["participant"]


def _date(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def study_markdown(report: dict, *, generated_at: int) -> str:
    """The report as Markdown: the tasks table, SUS, then each participant's outcomes,
    answers and quotes, every attempt linked to its moment."""
    lines = [f"# {md_escape(report['name'])}: study report", "",
             f"{len(report['participants'])} participant(s), {report['sessions']} session(s); "
             f"exported {_date(generated_at)}.", "",
             "| Task | Completion | 95% interval | Outcomes | Time on task (geometric mean) | 95% interval | Mean SEQ |",
             "|---|---|---|---|---|---|---|"]
    for task in report["tasks"]:
        completion, time = task["completion"], task["time_on_task"]
        lines.append(
            f"| {md_escape(task['title'])} | {format_percent(completion['rate'])} ({completion['successes']}/{completion['n']}) "
            f"| {format_rate_interval(completion['ci'])} | {outcome_counts(task)} | {format_seconds(time['geometric_mean_ms'])} "
            f"(n = {time['n']}) | {format_time_interval(time['ci_ms'])} | {format_score(task['seq']['mean'])} "
            f"(n = {task['seq']['n']}) |")
    lines += ["", f"**SUS:** {format_sus(report['sus'])}"
              + (f"; {report['sus']['incomplete']} incomplete questionnaire(s) left out" if report["sus"]["incomplete"] else ""),
              "", f"_{md_escape(report['notes'])}_", "", "## Participants", ""]
    titles = {task["task_id"]: task["title"] for task in report["tasks"]}
    for row in report["participants"]:
        lines += [f"### {md_escape(participant_name(row))}", ""]
        for task_id, cell in row["tasks"].items():
            seq = f", SEQ {cell['seq']}" if cell["seq"] is not None else ""
            time = f", {format_seconds(cell['time_ms'])}" if cell["time_ms"] is not None else ""
            lines.append(f"- {md_escape(titles[task_id])}: [{cell['words']}]({cell['link']}){time}{seq}")
        score, answered = row["sus"]["score"], row["sus"]["answered"]
        if score is not None or answered:
            lines.append(f"- SUS: {format_score(score)}" if score is not None
                         else f"- SUS: {answered} of 10 statements answered (not scored)")
        for quote in row["quotes"]:
            lines.append(f"- “{md_escape(quote['text'])}” ([moment]({quote['link']}))")
        lines.append("")
    return "\n".join(lines)


CSV_COLUMNS = ["participant", "label", "task", "outcome", "path", "time_s", "seq", "sus", "link", "quotes"]


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def study_csv(report: dict) -> str:
    """One row per participant and task (outcome, time, SEQ, the participant's SUS and
    quotes), then one summary row per task (participant ``*``): completion and its
    interval, geometric mean time, mean SEQ; and one for the study's SUS."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in report["participants"]:
        sus = format_score(row["sus"]["score"])
        quotes = "\n".join(quote["text"] for quote in row["quotes"])
        for task in report["tasks"]:
            cell = row["tasks"].get(task["task_id"])
            if cell is None:
                continue
            writer.writerow([_cell(v) for v in (
                row["participant"], row["label"], task["title"], OUTCOME_WORDS[cell["outcome"]], cell["path"] or "",
                format_seconds(cell["time_ms"]).removesuffix(" s"), "" if cell["seq"] is None else str(cell["seq"]),
                sus, cell["link"], quotes)])
    for task in report["tasks"]:
        completion, time = task["completion"], task["time_on_task"]
        summary = (f"completion {format_percent(completion['rate'])} ({completion['successes']}/{completion['n']}), "
                   f"95% {format_rate_interval(completion['ci'])}; time {format_seconds(time['geometric_mean_ms'])}, "
                   f"95% {format_time_interval(time['ci_ms'])}")
        writer.writerow([_cell(v) for v in ("*", "all participants", task["title"], summary, "",
                                            format_seconds(time["geometric_mean_ms"]).removesuffix(" s"),
                                            format_score(task["seq"]["mean"]), "", "", "")])
    writer.writerow(["*", "all participants", "SUS", format_sus(report["sus"]), "", "", "",
                     format_score(report["sus"]["mean"]), "", ""])
    return out.getvalue()
