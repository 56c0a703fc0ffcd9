"""The ``replaydesk`` command. Each group lives in its own module; errors print one
line and exit non-zero."""
from __future__ import annotations

import click

from server.cli import analyze, clips, experiments, maintenance, projects, serve, setup, transfer, users, worker
from server.cli.context import CommandGroup


@click.group(cls=CommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Replaydesk: record, replay and review usability sessions."""


for command in (
    serve.serve, setup.db_group, setup.init, projects.project, users.user, users.token, experiments.experiment,
    transfer.import_files, transfer.export_session, clips.clip, analyze.analyze, maintenance.compact,
    maintenance.purge, worker.worker,
):
    main.add_command(command)
