"""`agentdb migrate`: apply every migration set's pending migrations and changed repeatable objects."""

from __future__ import annotations

import click

from .. import migrator
from .migrate_checks import check_options, run_rehearsal, run_round_trip
from .options import Settings, connection_options, output_options
from .steps import emit_steps, progress, run_options, run_settings


@click.command()
@connection_options
@run_options
@output_options
@check_options
def migrate(settings: Settings, dry_run: bool, lock_wait: float, lock_timeout: str, statement_timeout: str,
            fmt: str, rehearse: bool, flag_size: int, flag_held: float, round_trip: bool, given: tuple[str, ...],
            copy: bool) -> None:
    """Apply pending migrations and changed repeatable objects, in one transaction per set.

    agentdb's own set first, then the project's sets ([tool.agentdb] in its
    pyproject.toml). Refuses (exit 1, naming the file) while an applied migration's file
    has changed. Concurrent runs queue on an advisory lock; each statement runs under
    lock_timeout and statement_timeout. A failure leaves the database exactly as it was.
    """
    url = settings.url()
    project = settings.project()
    configured = project.settings()
    roles = {kind: configured[f"{kind}_role"] for kind in ("owner", "app", "readonly", "provisioning")
             if configured.get(f"{kind}_role")}
    run = run_settings(lock_wait, lock_timeout, statement_timeout, roles)
    if rehearse:
        return run_rehearsal(url, project, run, fmt, flag_size, flag_held, copy)
    if round_trip:
        return run_round_trip(url, project, fmt, given, copy)
    steps = migrator.migrate(url, project, run, dry_run=dry_run, on_step=None if dry_run else progress("applying"))
    emit_steps(steps, fmt, dry_run, "applied", "would apply", "step(s)", "nothing to apply: the database is current")


COMMANDS = [migrate]
