"""Shared plumbing for commands: settings from the environment, an app context,
and errors that print one line."""
from __future__ import annotations

import contextlib
import os
from typing import Iterator

import click
from flask import Flask

from server.config import Settings, SettingsError
from server.storage import dispose_storage
from server.storage.errors import DomainError


class CommandError(click.ClickException):
    """Printed as ``Error: <message>``, exit status 1."""


class CommandGroup(click.Group):
    """The top group: every command below it reports a domain error (bad input, a
    missing record …) the way it reports its own, on one line with exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except DomainError as error:
            raise CommandError(error.message) from None


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
    with app.app_context():
        try:
            yield app
        finally:
            dispose_storage()


def echo_json(value) -> None:
    import orjson

    click.echo(orjson.dumps(value).decode())
