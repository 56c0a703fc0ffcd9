"""`replaydesk import FILE…` and `replaydesk export SESSION_ID`."""
from __future__ import annotations

import gzip
import sys
from pathlib import Path
from typing import Optional

import click

from server.cli.context import CommandError, app_context
from server.extensions import db
from server.runtime import current_runtime
from server.storage.events import read_all_events
from server.storage.models import Session
from server.storage.projects import default_project
from server.storage.queries import project_by_name, variants_of
from server.storage.transfer import TransferError, export_document, read_recording, recording_batches, store_recording


def _target_project(name: Optional[str]):
    project = project_by_name(db.session, name) if name else default_project(db.session)
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
    try:
        recordings = [read_recording(path) for path in files]
        batches = [(path, recording_batches(rec)) for path, rec in zip(files, recordings)]
    except TransferError as error:
        raise CommandError(str(error)) from None
    with app_context():
        runtime = current_runtime()
        project = _target_project(project_name)
        for path, file_batches in batches:
            stored = store_recording(db.session, runtime, project.id, file_batches)
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
        found = db.session.get(Session, session_id)
        if found is None:
            raise CommandError(f"no session {session_id!r}")
        events = read_all_events(runtime.blobs, runtime.dictionaries, session_id)
        meta = {
            "url": found.entry_url, "user_agent": found.user_agent,
            "viewport": {"w": found.viewport_w, "h": found.viewport_h},
            "variants": variants_of(db.session, [session_id]).get(session_id, {}),
            "distinct_id": found.distinct_id, "study": found.study, "participant": found.participant,
        }
        document = export_document(session_id, events, {k: v for k, v in meta.items() if v is not None})
    if output is None:
        sys.stdout.buffer.write(document + b"\n")
    elif output.name.endswith(".gz"):
        output.write_bytes(gzip.compress(document))
    else:
        output.write_bytes(document)
