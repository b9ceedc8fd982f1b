"""Options shared by many commands, one decorator each, so every command spells them
the same way; and the context object that carries them."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import click

from .. import config, db
from ..errors import UsageError
from .output import FORMATS


@dataclass
class Settings:
    database_url: str | None = None
    project_dir: str | None = None
    pg_version: int | None = None

    def project(self) -> config.Project:
        return config.find_project(self.project_dir)

    def target(self) -> config.DatabaseTarget:
        project = None
        try:
            project = self.project()
        except UsageError:  # outside a project the URL may still come from the environment
            project = None
        return config.resolve_database(self.database_url, project)

    def url(self) -> str:
        return db.target_url(self.target(), self.pg_version)


def connection_options(func):
    """--database-url, --project-dir and --pg-version (for the embedded server)."""

    @click.option("--database-url", envvar=None, default=None, metavar="URL",
                  help="PostgreSQL URL; else AGENTDB_DATABASE_URL, DATABASE_URL, [tool.agentdb] "
                       "database_url in pyproject.toml, else the embedded server.")
    @click.option("--project-dir", default=None, metavar="DIR", type=click.Path(file_okay=False),
                  help="Directory holding migrations/ and sql/ (default: found from the working directory).")
    @click.option("--pg-version", type=click.Choice(["16", "18"]), default=None,
                  help="Embedded server's PostgreSQL major version (default 18, or AGENTDB_PG_VERSION).")
    @functools.wraps(func)
    def wrapper(*args, database_url, project_dir, pg_version, **kwargs):
        settings = Settings(database_url, project_dir, int(pg_version) if pg_version else None)
        return func(*args, settings=settings, **kwargs)

    return wrapper


def output_options(func):
    """--format table|json|jsonl|csv."""

    @click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                  help="Output format: a table for people; json, jsonl or csv for scripts.")
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper
