"""`agentdb distribute`: distribute the schema by tenant on a Citus coordinator."""

from __future__ import annotations

import time

import click

from .. import citus_distribute, db
from .options import Settings, connection_options


@click.command()
@click.option("--dry-run", is_flag=True, help="Print the statements that would run; change nothing.")
@click.option("--isolate-tenant", metavar="ID_OR_SLUG", default=None,
              help="Instead: move this (large) tenant to shards of its own in every tenant table "
                   "(isolate_tenant_to_new_shard, online); prints its row counts before and after.")
@connection_options
def distribute(dry_run: bool, isolate_tenant: str | None, settings: Settings) -> None:
    """Distribute agentdb on the Citus coordinator --database-url points at: global tables as
    reference tables, tenant tables by tenant_id in one colocation group, functions on every
    node. One transaction (a failure changes nothing); a second run does nothing."""
    project = settings.project()
    url = settings.url()
    if isolate_tenant is not None:
        if dry_run:
            raise click.UsageError("--isolate-tenant and --dry-run do not go together")
        from .. import citus_rebalance

        done = citus_rebalance.isolate_tenant(url, isolate_tenant, lambda line: click.echo(line, err=True))
        rows = sum(done["after"].values())
        if not done["already"]:
            click.echo(f"tenant {done['tenant']} isolated: shard {done['shard']} of each tenant table; "
                       f"{rows} row(s) before and after", err=True)
        click.echo(done["shard"])
        return
    if dry_run:
        with db.connect(url) as conn:
            steps = citus_distribute.plan(conn)
            if citus_distribute.has_citus(conn):
                citus_distribute.check(conn, project)
                steps = citus_distribute.pending(conn, steps)
        for step in steps:
            click.echo(step.statement)
        click.echo(f"{len(steps)} step(s) would run in one transaction", err=True)
        return
    began = time.monotonic()
    ran = citus_distribute.apply(url, project, lambda line: click.echo(line, err=True))
    if not ran:
        click.echo("already distributed: every table and function is in Citus' metadata; nothing to do", err=True)
        return
    tables = sum(1 for s in ran if s.kind in citus_distribute.TABLE_KINDS)
    click.echo(f"distributed {tables} table(s) in {len(ran)} step(s), {time.monotonic() - began:.1f} s, "
               "one transaction", err=True)


COMMANDS = [distribute]
