"""`agentdb verify`: schema and data invariants; exit 1 when an error-level one fails."""

from __future__ import annotations

import click

from .. import db, verify as verifier
from .options import Settings, connection_options, output_options
from .output import emit, emit_document, render


@click.command()
@click.option("--only", multiple=True, metavar="NAME", help="Check only this invariant; repeat for more.")
@click.option("--skip", multiple=True, metavar="NAME", help="Leave this invariant out; repeat for more.")
@click.option("--deep", is_flag=True, help="Also probe each model's ANN recall (exact vs index top 10).")
@click.option("--list", "list_only", is_flag=True, help="List the invariants and exit.")
@connection_options
@output_options
def verify(only, skip, deep, list_only, settings: Settings, fmt):
    """Check schema and data invariants; print the rows that break them.

    Exit 0 when every error-level invariant holds, 1 when one fails (warnings are shown
    but do not fail).
    """
    project = settings.project()
    if list_only:
        emit([{"name": i.name, "severity": i.severity, "description": i.description}
              for i in verifier.invariants(project, deep=True)], fmt, ["name", "severity", "description"])
        return
    with db.connect(settings.url(), autocommit=True) as conn:
        findings = verifier.run(conn, project, only, skip, deep)
    failed = [f for f in findings if not f.passed and f.severity == "error"]
    if fmt == "json":
        emit_document({"passed": not failed, "invariants": [f.__dict__ for f in findings]}, fmt)
    elif fmt == "table":
        emit([{"invariant": f.name, "severity": f.severity,
               "result": "ok" if f.passed else f"FAIL ({len(f.rows)})", "fix": "" if f.passed else f.fix}
              for f in findings], fmt, ["invariant", "severity", "result", "fix"])
        for f in findings:
            if not f.passed:
                click.echo(f"\n{f.name}: {f.description}")
                click.echo(render(f.rows[:20], "table"))
                if len(f.rows) > 20:
                    click.echo(f"... and {len(f.rows) - 20} more")
        click.echo()
        click.echo(f"{len(findings) - len([f for f in findings if not f.passed])} of {len(findings)} invariants hold"
                   + (f"; {len(failed)} error(s)" if failed else ""))
    else:
        emit([{"invariant": f.name, "severity": f.severity, "passed": f.passed, "failing_rows": len(f.rows)}
              for f in findings], fmt)
    if failed:
        raise click.exceptions.Exit(1)


COMMANDS = [verify]
