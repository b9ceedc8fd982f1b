"""`agentdb lint`: sqlfluff house style and migration safety rules."""

from __future__ import annotations

import click

from .. import lint as linter
from .options import Settings, output_options, project_options
from .output import emit


@click.command()
@click.option("--fix", "apply_fix", is_flag=True, help="Let sqlfluff fix what it can first.")
@project_options
@output_options
def lint(apply_fix, fmt, settings: Settings):
    """Lint every SQL file: sqlfluff (postgres, .sqlfluff) and migration safety rules
    S001-S005 (index without concurrently, not null without default, constraint without
    not valid, column type change, concurrently in a transaction). Exit 1 on findings."""
    project = settings.project()
    if apply_fix:
        linter.fix(project)
    findings = linter.lint(project)
    root = str(project.root) + "/"
    rows = [{"file": f.file.replace(root, ""), "line": f.line, "rule": f.rule, "message": f.message, "fix": f.fix}
            for f in findings]
    if rows or fmt != "table":
        emit(rows, fmt, ["file", "line", "rule", "message", "fix"])
    if fmt == "table":
        click.echo(f"{len(rows)} finding(s) in {len(linter.sql_files(project))} files", err=True)
    if rows:
        raise click.exceptions.Exit(1)


COMMANDS = [lint]
