"""Experiment pages: the list (defined and seen-in-sessions experiments) and the
variant report, rendered from the same report the review API returns.

Writes (define, stop, resume) go through the review API from the browser.
"""
from __future__ import annotations

from flask import abort, render_template

from server.pages import report_format
from server.reports.experiments import experiment_report
from server.storage import experiments
from server.storage.projects import list_projects

# Pages offered for per-variant heatmaps: the ones most sessions of the experiment visited.
HEATMAP_PAGES = 5


def traffic_shares(variants: list[dict]) -> dict[str, int]:
    """Each variant's share of traffic in whole percent, from its weight."""
    total = sum(v["weight"] for v in variants) or 1
    return {v["name"]: round(v["weight"] * 100 / total) for v in variants}


def experiment_rows() -> list[dict]:
    """One row per experiment name: its definition (if any) and sessions per variant."""
    defined: dict = {}
    for row in experiments.list_experiments():
        defined.setdefault(row.name, row)
    seen = experiments.sessions_per_variant()
    rows = []
    for name in experiments.experiment_names():
        definition = experiments.experiment_dict(defined[name]) if name in defined else None
        variants = [v["name"] for v in definition["variants"]] if definition else []
        variants += sorted(set(seen.get(name, {})) - set(variants))
        rows.append({"name": name, "definition": definition, "variants": variants,
                     "shares": traffic_shares(definition["variants"]) if definition else {},
                     "sessions": {v: seen.get(name, {}).get(v, 0) for v in variants}})
    return rows


def list_experiments():
    projects = [(project.id, project.name) for project in list_projects()]
    return render_template("experiments/list.html", experiments=experiment_rows(), projects=projects,
                           entry="experiments.js")


def show_experiment(name: str):
    report = experiment_report(name)
    if report is None:
        abort(404, f"No experiment {name!r}: none is defined and no session carries it.")
    definition = experiments.find_experiment(name)
    return render_template(
        "experiments/report.html", name=name, report=report, metrics=report_format.metric_rows(report),
        definition=experiments.experiment_dict(definition) if definition else None,
        goal=report_format.describe_goal(report["goal"]),
        heatmap_pages=experiments.most_visited_pages(name, HEATMAP_PAGES),
        tests_explained=report_format.explain_tests(report["tests_explained"]),
        entry="experiment.js",
        data={"name": name, "status": definition.status if definition else None},
    )


ROUTES = (
    ("/experiments", list_experiments),
    ("/experiments/<name>", show_experiment),
)
