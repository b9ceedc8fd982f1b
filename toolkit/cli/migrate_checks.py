"""`agentdb migrate --rehearse` and `--round-trip`: measured checks of the pending plan
that change nothing on the target."""

from __future__ import annotations

import functools
import re

import click

from .. import catalog, rehearse as rehearsal, roundtrip
from .output import emit, emit_document

SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(bytes|b|kb|mb|gb|tb)?\s*$", re.I)
UNITS = {"bytes": 1, "b": 1, "kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3, "tb": 1024 ** 4}
TIME = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|min)?\s*$")


def _size(ctx, param, value: str) -> int:
    match = SIZE.match(value)
    if not match:
        raise click.BadParameter(f"{value!r} is not a size like 10MB, 500kB or 1GB")
    return int(float(match.group(1)) * UNITS[(match.group(2) or "bytes").lower()])


def _ms(ctx, param, value: str) -> float:
    match = TIME.match(value)
    if not match:
        raise click.BadParameter(f"{value!r} is not a duration like 500ms, 2s or 1min")
    return float(match.group(1)) * {"ms": 1, "s": 1000, "min": 60000}[match.group(2) or "ms"]


def check_options(func):
    """The options of the two checks, added to `migrate`."""

    @click.option("--rehearse", is_flag=True,
                  help="Run the pending plan in a transaction on the target, report each statement's locks, "
                       "duration and rows, then roll back; exit 1 when a lock is flagged.")
    @click.option("--flag-size", default="10MB", show_default=True, callback=_size, metavar="SIZE",
                  help="With --rehearse: flag a write-blocking lock on a table at least this big.")
    @click.option("--flag-held", default="1s", show_default=True, callback=_ms, metavar="DURATION",
                  help="With --rehearse: flag a write-blocking lock held at least this long.")
    @click.option("--round-trip", "round_trip", is_flag=True,
                  help="Up, down, up for each pending (or --migration) migration on a scratch database; exit 1 "
                       "when the second up differs from the first or a `-- lossless: true` one loses rows.")
    @click.option("--migration", "given", multiple=True, metavar="ID",
                  help="With --round-trip: check this migration (id or number) instead of the pending ones; repeat.")
    @click.option("--copy", is_flag=True,
                  help="Work on a `create database ... template` copy of the target (needs the target idle): "
                       "--rehearse then runs and measures `-- transactional: false` statements too; --round-trip "
                       "checks the target's own rows instead of a replay of its migrations.")
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


def run_round_trip(url, project, fmt: str, given: tuple[str, ...], copy: bool) -> None:
    results = roundtrip.round_trip(url, project, given=given, copy=copy,
                                   on_migration=lambda mid: click.echo(f"round-trip {mid}", err=True))
    failed = [r for r in results if not r.passed]
    rows = []
    for r in results:
        if r.passed:
            rows.append({"migration": r.migration, "result": "ok", "what": "", "object": "", "expected": "",
                         "actual": ""})
        for p in r.problems:
            expected, actual = (p["expected"], p["actual"]) if fmt != "table" else catalog.excerpt(
                p["expected"], p["actual"])
            rows.append({"migration": r.migration, "result": "FAIL", "what": p["what"], "object": p["object"],
                         "expected": expected, "actual": actual})
    emit(rows, fmt, ["migration", "result", "what", "object", "expected", "actual"])
    if fmt == "table":
        click.echo(f"{len(results)} migration(s) round-tripped; " + (
            f"failed: {', '.join(r.migration for r in failed)}" if failed else "all passed"), err=True)
    if failed:
        raise click.exceptions.Exit(1)


def run_rehearsal(url, project, run, fmt: str, flag_size: int, flag_held: float, copy: bool) -> None:
    reports = rehearsal.rehearse(url, project, run, max_size=flag_size, max_held_ms=flag_held, copy=copy)
    flagged = [r for r in reports if r.flags]
    if fmt == "json":
        emit_document({"flagged": len(flagged), "statements": [
            {"step": r.step, "statement": r.number, "sql": r.sql, "ms": round(r.ms, 1), "rows": r.rows,
             "rehearsed": r.rehearsed, "flags": r.flags, "advice": r.advice,
             "locks": [{"relation": lk.relation, "mode": rehearsal.readable_mode(lk.mode), "size_bytes": lk.size,
                        "held_ms": round(lk.held_ms, 1)} for lk in r.locks]}
            for r in reports]}, fmt)
    else:
        rows = [{"step": r.step, "n": r.number, "statement": " ".join(r.sql.split())[:48],
                 "ms": f"{r.ms:.0f}" if r.rehearsed else "not run (non-transactional; --copy runs it)",
                 "rows": r.rows, "locks (size, held)": rehearsal.describe_locks(r),
                 "flag": "FLAG" if r.flags else ""} for r in reports]
        emit(rows, fmt, ["step", "n", "statement", "ms", "rows", "locks (size, held)", "flag"])
        if fmt == "table":
            for r in flagged:
                click.echo(f"\nflagged: {r.step} statement {r.number}: {'; '.join(r.flags)}")
                click.echo(f"  safer: {r.advice}")
            click.echo(("\n" if flagged else "") + f"rehearsed {sum(r.rehearsed for r in reports)} statement(s), "
                       "rolled back; " + (f"{len(flagged)} flagged" if flagged else "nothing flagged"), err=True)
    if flagged:
        raise click.exceptions.Exit(1)
