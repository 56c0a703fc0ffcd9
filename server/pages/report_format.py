"""Plain-language formatting of report numbers for the experiment and study pages:
rates as percentages, amounts with units, confidence intervals as ranges, and
p-values with a sentence that says what they mean. Pure functions."""
from __future__ import annotations

import re
from typing import Optional

SIGNIFICANCE = 0.05  # the usual threshold; the page states it next to every verdict
METRIC_LABELS = {
    "goal_completion": "Goal completion",
    "time_on_task_ms": "Time on task",
    "dead_end_rate": "Sessions with a dead end",
}
METRIC_HINTS = {
    "goal_completion": "Share of sessions that reached the goal.",
    "time_on_task_ms": "Completed study tasks only; lower is faster.",
    "dead_end_rate": "Share of sessions where a visit ended in frustration.",
}


def metric_label(name: str) -> str:
    """>>> metric_label("signals_per_session.dead_click")
    'Dead clicks per session'
    """
    if name.startswith("signals_per_session."):
        kind = name.split(".", 1)[1].replace("_", " ")
        return f"{kind.capitalize()}s per session"
    return METRIC_LABELS.get(name, name.replace("_", " ").capitalize())


def format_percent(rate: Optional[float]) -> str:
    """>>> format_percent(0.4167), format_percent(None)
    ('42%', '—')
    """
    return "—" if rate is None else f"{rate * 100:.0f}%"


def format_amount(value: Optional[float], metric: str) -> str:
    """>>> format_amount(38240, "time_on_task_ms"), format_amount(1.254, "signals_per_session.rage_click")
    ('38.2 s', '1.25')
    """
    if value is None:
        return "—"
    if metric.endswith("_ms"):
        return f"{value / 1000:.1f} s"
    return f"{value:.2f}"


def format_interval(ci: Optional[list], kind: str, metric: str) -> str:
    """>>> format_interval([0.18, 0.57], "rate", "goal_completion")
    '18% – 57%'
    """
    if not ci:
        return "too few sessions for an interval"
    if kind == "rate":
        return f"{format_percent(ci[0])} – {format_percent(ci[1])}"
    return f"{format_amount(ci[0], metric)} – {format_amount(ci[1], metric)}"


def format_p(p: Optional[float]) -> str:
    """>>> format_p(0.0004), format_p(0.01234), format_p(None)
    ('p < 0.001', 'p = 0.012', 'no test')
    """
    if p is None:
        return "no test"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def verdict(comparison: Optional[dict]) -> str:
    """One sentence on what the p-value means for the reader."""
    if not comparison or comparison.get("p_value") is None:
        return "Not enough data in at least two variants to compare them."
    if comparison["p_value"] < SIGNIFICANCE:
        return (f"A difference this large would rarely appear by chance alone ({format_p(comparison['p_value'])}, "
                f"below {SIGNIFICANCE}): likely a real difference.")
    return (f"A difference like this often appears by chance ({format_p(comparison['p_value'])}, "
            f"not below {SIGNIFICANCE}): no clear difference yet.")


def _cell(summary: dict, kind: str, metric: str) -> dict:
    if kind == "rate":
        value, detail = format_percent(summary.get("rate")), f"{summary.get('successes', 0)} of {summary.get('n', 0)}"
        share = summary.get("rate") or 0.0
    else:
        value, detail = format_amount(summary.get("mean"), metric), f"median {format_amount(summary.get('median'), metric)} · n = {summary.get('n', 0)}"
        share = None
    return {"value": value, "detail": detail, "interval": format_interval(summary.get("ci"), kind, metric),
            "share": share, "n": summary.get("n", 0)}


def _largest(metric: dict) -> Optional[str]:
    key = "rate" if metric["kind"] == "rate" else "mean"
    values = {v: s.get(key) for v, s in metric["per_variant"].items() if s.get(key) is not None}
    if len(values) < 2 or len(set(values.values())) == 1:
        return None
    return max(values, key=values.get)


def metric_rows(report: dict) -> list[dict]:
    """The report's metrics, one row each, with a cell per variant in report order."""
    rows = []
    for metric in report["metrics"]:
        comparison = metric.get("comparison")
        significant = bool(comparison and comparison.get("p_value") is not None and comparison["p_value"] < SIGNIFICANCE)
        rows.append({
            "name": metric["name"], "label": metric_label(metric["name"]), "hint": METRIC_HINTS.get(metric["name"], ""),
            "cells": {v: _cell(metric["per_variant"].get(v, {}), metric["kind"], metric["name"]) for v in report["variants"]},
            "test": comparison["test"] if comparison else None, "p": format_p(comparison and comparison.get("p_value")),
            "verdict": verdict(comparison), "significant": significant, "highest": _largest(metric),
        })
    return rows


def describe_goal(goal: dict) -> str:
    """>>> describe_goal({"url": "*/thanks.html"})
    'reached a page matching */thanks.html'
    """
    if "url" in goal:
        return f"reached a page matching {goal['url']}"
    if "event" in goal:
        return f"sent the event {goal['event']}"
    if "task" in goal:
        return f"completed the study task {goal['task']}"
    return "reached one of the project's goal pages, or completed a study task"


def explain_tests(text: str) -> list[str]:
    """The report's ``tests_explained`` (a wrapped bullet list) as one sentence per item.

    >>> explain_tests("- *rates*: Wilson\n  intervals.\n- *amounts*: bootstrap.")
    ['rates: Wilson intervals.', 'amounts: bootstrap.']
    """
    items = re.split(r"\n(?=- )", text.strip())
    return [" ".join(line.strip() for line in item.splitlines()).removeprefix("- ").replace("*", "") for item in items]
