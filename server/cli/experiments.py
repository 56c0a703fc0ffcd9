"""`replaydesk experiment create|list`."""
from __future__ import annotations

from typing import Optional

import click

from server.cli.context import CommandError, app_context, echo_json
from server.runtime import current_runtime
from server.storage.experiments import create_experiment, experiment_dict, list_experiments
from server.storage.projects import default_project, project_by_name


def _variant(text: str) -> dict:
    name, _, weight = text.partition("=")
    try:
        return {"name": name, "weight": float(weight) if weight else 1}
    except ValueError:
        raise CommandError(f"--variant {text!r}: use NAME or NAME=WEIGHT") from None


@click.group()
def experiment() -> None:
    """A/B experiments: variants with weights, assigned by GET /api/v1/decide."""


@experiment.command("create")
@click.argument("name")
@click.option("--variant", "variants", multiple=True, required=True, metavar="NAME[=WEIGHT]",
              help="Repeat for each variant (at least two).")
@click.option("--goal-url", metavar="GLOB", help="Success: a page matching GLOB was visited.")
@click.option("--goal-event", metavar="TAG", help="Success: the product sent this custom event.")
@click.option("--goal-task", metavar="TASK_ID", help="Success: this study task was completed.")
@click.option("--project", "project_name", help="Project name (default: the first project).")
@click.option("--json", "as_json", is_flag=True)
def create(name: str, variants: tuple[str, ...], goal_url: Optional[str], goal_event: Optional[str],
           goal_task: Optional[str], project_name: Optional[str], as_json: bool) -> None:
    """Define experiment NAME."""
    goals = {k: v for k, v in {"url": goal_url, "event": goal_event, "task": goal_task}.items() if v}
    if len(goals) > 1:
        raise CommandError("give at most one of --goal-url, --goal-event, --goal-task")
    with app_context():
        project = project_by_name(project_name) if project_name else default_project()
        if project is None:
            raise CommandError(f"no project {project_name!r}" if project_name else "no project yet: run `replaydesk init`")
        fields = {"name": name, "variants": [_variant(v) for v in variants], "goal": goals}
        created = create_experiment(project.id, fields, now_ms=current_runtime().now_ms())
        if as_json:
            echo_json(experiment_dict(created))
        else:
            click.echo(f"Experiment {created.name!r}: " + ", ".join(f"{v['name']} ({v['weight']:g})" for v in created.variants))


@experiment.command("list")
@click.option("--json", "as_json", is_flag=True)
def list_command(as_json: bool) -> None:
    """List defined experiments."""
    with app_context():
        rows = [experiment_dict(row) for row in list_experiments()]
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        click.echo(f"{row['name']}\t{row['status']}\t" + ",".join(v["name"] for v in row["variants"]))
