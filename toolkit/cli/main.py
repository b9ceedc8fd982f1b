"""`agentdb`: the entry point, error handling and the command groups."""

from __future__ import annotations

import importlib
import os
import sys
import traceback

import click
import psycopg

from ..errors import AgentdbError, describe_pg_error
from .options import global_options

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "AGENTDB"}


class AgentdbGroup(click.Group):
    """Every failure a user can cause ends in one line on stderr and a documented exit
    code: 2 for bad usage or input, 1 for a failed check or operation. --debug (or
    AGENTDB_DEBUG=1) shows the traceback instead."""

    def main(self, args=None, prog_name=None, **extra):
        args = list(sys.argv[1:] if args is None else args)
        debug = "--debug" in args or os.environ.get("AGENTDB_DEBUG", "") not in ("", "0")
        try:
            code = super().main(args=args, prog_name=prog_name or "agentdb", standalone_mode=False, **extra)
            # without standalone mode click returns the code of a raised Exit instead of exiting
            sys.exit(code if isinstance(code, int) else 0)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(130)
        except click.UsageError as exc:
            click.echo(f"Error: {exc.format_message()}", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            click.echo(f"Error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except AgentdbError as exc:
            if debug:
                traceback.print_exc()
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except psycopg.Error as exc:
            if debug:
                traceback.print_exc()
            click.echo(f"Error: {describe_pg_error(exc)}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            sys.exit(130)


@click.group(name="agentdb", cls=AgentdbGroup, context_settings=CONTEXT_SETTINGS)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors (or AGENTDB_DEBUG=1).")
@global_options
@click.version_option(package_name="agentdb", prog_name="agentdb")
def cli(debug: bool) -> None:
    """agentdb: the shared PostgreSQL database for multi-agent AI systems.

    Applies its migrations, runs named RAG queries and checks its invariants.
    Exit codes: 0 success, 1 a check or operation failed, 2 bad usage or input.
    """


# One module per command under toolkit/cli/, each ending in COMMANDS = [...]; add a line here.
COMMAND_MODULES = [
    "baseline",
    "bench",
    "citus",
    "cluster",
    "compat",
    "demo",
    "distribute",
    "docs",
    "drift",
    "ingest",
    "init",
    "lint",
    "listen",
    "maintain",
    "migrate",
    "model",
    "new",
    "queries",
    "query",
    "rollback",
    "search",
    "server",
    "status",
    "verify",
]

for _name in COMMAND_MODULES:
    for _command in importlib.import_module(f"{__package__}.{_name}").COMMANDS:
        cli.add_command(_command)
