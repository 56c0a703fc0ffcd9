"""Shared plumbing for commands: settings from the environment, an app context,
and errors that print one line."""
from __future__ import annotations

import contextlib
import os
from typing import Iterator

import click
from flask import Flask

from server.config import Settings, SettingsError


class CommandError(click.ClickException):
    """Printed as ``Error: <message>``, exit status 1."""


def load_settings() -> Settings:
    try:
        return Settings.from_env(os.environ)
    except SettingsError as error:
        raise CommandError(str(error)) from None


@contextlib.contextmanager
def app_context(settings: Settings | None = None) -> Iterator[Flask]:
    """An app on the configured database, migrated to the latest schema."""
    from server import create_app
    from server.storage.migrate import upgrade_database

    settings = settings or load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        upgrade_database(settings.database_url)
        app = create_app(settings)
    except ValueError as error:
        raise CommandError(str(error)) from None
    from server.extensions import db

    with app.app_context():
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def echo_json(value) -> None:
    import orjson

    click.echo(orjson.dumps(value).decode())
