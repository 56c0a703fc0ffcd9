"""`replaydesk import FILE…` and `replaydesk export SESSION_ID`."""
from __future__ import annotations

import gzip
import sys
from pathlib import Path
from typing import Optional

import click

from server.cli.context import CommandError, app_context
from server.runtime import current_runtime
from server.storage.events import read_all_events
from server.storage.projects import default_project, project_by_name
from server.storage.queries import variants_of
from server.storage.sessions import sessions_by_id
from server.storage.transfer import export_document, read_recording, recording_batches, store_recording


def _target_project(name: Optional[str]):
    project = project_by_name(name) if name else default_project()
    if project is None:
        raise CommandError(f"no project named {name!r}" if name else "no project yet: run `replaydesk init`")
    return project


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--project", "project_name", help="Project name (default: the first project).")
def import_files(files: tuple[Path, ...], project_name: Optional[str]) -> None:
    """Import rrweb recordings (JSON event arrays or {"events": [...]}; .gz accepted).

    Every file is checked before anything is stored.
    """
    batches = [(path, recording_batches(read_recording(path))) for path in files]
    with app_context():
        runtime = current_runtime()
        project = _target_project(project_name)
        for path, file_batches in batches:
            stored = store_recording(runtime.blobs, runtime.dictionaries, project.id, file_batches, clock=runtime.now_ms)
            session_id = file_batches[0].session_id
            note = f"{stored} events" if stored else "already imported"
            click.echo(f"{path}: session {session_id} ({note})")


@click.command("export")
@click.argument("session_id")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (.json or .json.gz); default stdout.")
def export_session(session_id: str, output: Optional[Path]) -> None:
    """Write a session as {"session_id", "events", "meta"} JSON, importable again."""
    with app_context():
        runtime = current_runtime()
        found = sessions_by_id([session_id]).get(session_id)
        if found is None:
            raise CommandError(f"no session {session_id!r}")
        events = read_all_events(runtime.blobs, runtime.dictionaries, session_id)
        meta = {
            "url": found.entry_url, "user_agent": found.user_agent,
            "viewport": {"w": found.viewport_w, "h": found.viewport_h},
            "variants": variants_of([session_id]).get(session_id, {}),
            "distinct_id": found.distinct_id, "study": found.study, "participant": found.participant,
        }
        document = export_document(session_id, events, {k: v for k, v in meta.items() if v is not None})
    if output is None:
        sys.stdout.buffer.write(document + b"\n")
    elif output.name.endswith(".gz"):
        output.write_bytes(gzip.compress(document))
    else:
        output.write_bytes(document)
