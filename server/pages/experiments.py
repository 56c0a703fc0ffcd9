"""Experiment pages: the list (defined and seen-in-sessions experiments) and the
variant report, rendered from the same report the review API returns.

Writes (define, stop, resume) go through the review API from the browser.
"""
from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from server.extensions import db
from server.pages import report_format
from server.reports.experiments import experiment_names, experiment_report
from server.storage.experiments import experiment_dict
from server.storage.models import Experiment, Project, SessionPage, SessionVariant

# Pages offered for per-variant heatmaps: the ones most sessions of the experiment visited.
HEATMAP_PAGES = 5


def sessions_per_variant(db: OrmSession) -> dict[str, dict[str, int]]:
    """``{experiment: {variant: sessions}}`` over every recorded session."""
    rows = db.execute(select(SessionVariant.experiment, SessionVariant.variant, func.count())
                      .group_by(SessionVariant.experiment, SessionVariant.variant)).all()
    counts: dict[str, dict[str, int]] = {}
    for experiment, variant, n in rows:
        counts.setdefault(experiment, {})[variant] = n
    return counts


def traffic_shares(variants: list[dict]) -> dict[str, int]:
    """Each variant's share of traffic in whole percent, from its weight."""
    total = sum(v["weight"] for v in variants) or 1
    return {v["name"]: round(v["weight"] * 100 / total) for v in variants}


def experiment_rows(db: OrmSession) -> list[dict]:
    """One row per experiment name: its definition (if any) and sessions per variant."""
    defined = {row.name: row for row in db.execute(select(Experiment).order_by(Experiment.id)).scalars()}
    seen = sessions_per_variant(db)
    rows = []
    for name in experiment_names(db):
        definition = experiment_dict(defined[name]) if name in defined else None
        variants = [v["name"] for v in definition["variants"]] if definition else []
        variants += sorted(set(seen.get(name, {})) - set(variants))
        rows.append({"name": name, "definition": definition, "variants": variants,
                     "shares": traffic_shares(definition["variants"]) if definition else {},
                     "sessions": {v: seen.get(name, {}).get(v, 0) for v in variants}})
    return rows


def most_visited_pages(db: OrmSession, experiment: str, limit: int = HEATMAP_PAGES) -> list[tuple[str, int]]:
    """``[(url, sessions)]``: the pages the experiment's sessions visited most."""
    sessions = func.count(func.distinct(SessionPage.session_id))
    rows = db.execute(select(SessionPage.url, sessions)
                      .join(SessionVariant, SessionVariant.session_id == SessionPage.session_id)
                      .where(SessionVariant.experiment == experiment)
                      .group_by(SessionPage.url).order_by(sessions.desc(), SessionPage.url).limit(limit)).all()
    return [(url, n) for url, n in rows]


def list_experiments():
    projects = db.session.execute(select(Project.id, Project.name).order_by(Project.id)).all()
    return render_template("experiments/list.html", experiments=experiment_rows(db.session), projects=projects,
                           entry="experiments.js")


def show_experiment(name: str):
    report = experiment_report(db.session, name)
    if report is None:
        abort(404, f"No experiment {name!r}: none is defined and no session carries it.")
    definition = db.session.execute(select(Experiment).where(Experiment.name == name).limit(1)).scalar()
    return render_template(
        "experiments/report.html", name=name, report=report, metrics=report_format.metric_rows(report),
        definition=experiment_dict(definition) if definition else None, goal=report_format.describe_goal(report["goal"]),
        heatmap_pages=most_visited_pages(db.session, name), tests_explained=report_format.explain_tests(report["tests_explained"]),
        entry="experiment.js",
        data={"name": name, "status": definition.status if definition else None},
    )


ROUTES = (
    ("/experiments", list_experiments),
    ("/experiments/<name>", show_experiment),
)
