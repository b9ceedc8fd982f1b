"""Options shared by many commands, one decorator each, so every command spells them
the same way, before or after the subcommand (`agentdb --tenant acme query …` and
`agentdb query … --tenant acme`; the later one wins); and the Settings they fill."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import click
from click.core import ParameterSource

from .. import config, db
from .output import FORMATS


@dataclass
class Settings:
    database_url: str | None = None
    project_dir: str | None = None
    pg_version: int | None = None
    tenant: str | None = None

    def project(self) -> config.Project:
        return config.find_project(self.project_dir)

    def target(self) -> config.DatabaseTarget:
        return config.resolve_database(self.database_url, self.project())

    def url(self) -> str:
        """The database URL; for the embedded server, started under the project's data
        folder (with no project and no URL: a UsageError saying what to do, nothing started)."""
        return db.target_url(self.target(), self.pg_version, self.project())

    def tenant_or(self, default: str) -> str:
        return self.tenant or default

    def embedder(self, spec: str | None):
        """The embedder --embedder names, else AGENTDB_EMBEDDER, else [tool.agentdb] embedder."""
        from .. import embedders

        return embedders.configured(spec, self.project().settings())


def _store(name: str, convert=lambda v: v):
    """An option callback that records a given value on the shared Settings (ctx.obj)."""

    def callback(ctx: click.Context, param: click.Parameter, value):
        settings = ctx.ensure_object(Settings)
        source = ctx.get_parameter_source(param.name)
        # AGENTDB_DATABASE_URL is read by config.resolve_database, which names it as the source
        if value is not None and not (name == "database_url" and source is ParameterSource.ENVIRONMENT):
            setattr(settings, name, convert(value))
        return value

    return callback


def _connection_params() -> list:
    return [
        click.option("--database-url", default=None, metavar="URL", expose_value=False,
                     callback=_store("database_url"),
                     help="PostgreSQL URL; else AGENTDB_DATABASE_URL, DATABASE_URL, [tool.agentdb] "
                          "database_url in pyproject.toml, else the project's embedded server."),
        click.option("--project-dir", default=None, metavar="DIR", type=click.Path(file_okay=False),
                     expose_value=False, callback=_store("project_dir"),
                     help="The project root (default: the nearest pyproject.toml with [tool.agentdb] "
                          "upwards from the working directory; or AGENTDB_PROJECT_DIR)."),
        click.option("--pg-version", type=click.Choice(["16", "18"]), default=None, expose_value=False,
                     callback=_store("pg_version", int),
                     help="Embedded server's PostgreSQL major version (default 18, or AGENTDB_PG_VERSION)."),
        click.option("--tenant", default=None, metavar="SLUG|ID", expose_value=False, callback=_store("tenant"),
                     help="Tenant for row-level security (ops.set_tenant), or AGENTDB_TENANT."),
    ]


def _with(options: list, func, pass_settings: bool = True):
    """`func` with these options; it gets the shared Settings as `settings`."""
    if pass_settings:
        inner = func

        @functools.wraps(inner)
        def func(*args, **kwargs):
            return inner(*args, settings=click.get_current_context().ensure_object(Settings), **kwargs)

    for option in reversed(options):
        func = option(func)
    return func


def global_options(func):
    """The same options on the `agentdb` group, so they may come before the subcommand."""
    return _with(_connection_params(), func, pass_settings=False)


def connection_options(func):
    """--database-url, --project-dir, --pg-version and --tenant; the command gets `settings`."""
    return _with(_connection_params(), func)


def project_options(func):
    """--project-dir alone, for commands that read the project's files but no database."""
    return _with(_connection_params()[1:2], func)


def embedder_option(func):
    return click.option("--embedder", default=None, metavar="SPEC",
                        help="sentence-transformers:NAME, onnx:NAME or openai:MODEL@URL (else AGENTDB_EMBEDDER, "
                             "else [tool.agentdb] embedder; none: keyword only).")(func)


def output_options(func):
    """--format table|json|jsonl|csv."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="Output format: a table for people; json, jsonl or csv for scripts.")(func)
