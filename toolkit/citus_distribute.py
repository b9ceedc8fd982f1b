"""`agentdb distribute`: apply ops.citus_distribution_plan() on a Citus coordinator.

Everything is checked before anything runs (Citus present, this node the coordinator, at
least one worker, the schema migrated); then every step runs in ONE transaction, so a
failure leaves every table as it was. Steps whose table or function Citus already knows are
left out, so a second run does nothing and a run after a migration that added a table
distributes just that table. When Citus names a dependency the catalog plan did not order
(a view that reads two tables), the table waits in a savepoint until that one is in.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import psycopg
import psycopg.sql

from . import migrator
from .config import Project
from .errors import CheckFailed, UsageError, describe_pg_error

NEEDS_DEPENDENCY = re.compile(r'has dependency to "table ([^"]+)" that is not in Citus')
TABLE_KINDS = ("reference", "distributed")
# steps that run on the workers once the distribution committed
AFTER_COMMIT = ("event outbox",)
# what distribute puts on every node besides Citus' own metadata: repeated for a worker
# added later (complete_nodes)
NODE_KINDS = ("worker login", "view grants", "event outbox")
# the steps that change the coordinator's own catalog and need no Citus metadata to run:
# replayed after the migrations, they give what `distribute` left (agentdb drift)
CATALOG_KINDS = ("drop trigger", "fold policies", "drop foreign key", "foreign key", "null trigger", "custom plans",
                 "view grants")


@dataclass(frozen=True)
class Step:
    number: int
    kind: str
    table: str
    referenced: str | None
    statement: str


def plan(conn: psycopg.Connection) -> list[Step]:
    if conn.execute("select to_regprocedure('ops.citus_distribution_plan()') is null").fetchone()[0]:
        raise UsageError("this database is not migrated (no ops.citus_distribution_plan): run `agentdb migrate` first")
    return [Step(*row) for row in conn.execute(
        "select step, kind, table_name, referenced, statement from ops.citus_distribution_plan()")]


def has_citus(conn: psycopg.Connection) -> bool:
    return conn.execute("select exists (select 1 from pg_extension where extname = 'citus')").fetchone()[0]


def is_distributed(conn: psycopg.Connection) -> bool:
    """Whether `distribute` has run here: Citus installed and a table in its metadata."""
    return has_citus(conn) and conn.execute("select exists (select 1 from pg_catalog.pg_dist_partition)").fetchone()[0]


def apply_catalog_steps(url: str) -> None:
    """What `distribute` changes in the catalog of the database at `url`, without
    distributing anything: the Citus extension, then the plan's CATALOG_KINDS steps, in one
    transaction (a replay's scratch database, so that it compares with a distributed one)."""
    with psycopg.connect(url) as conn:
        conn.execute("set local client_min_messages = warning")
        try:
            conn.execute("create extension if not exists citus")
        except psycopg.Error as exc:
            raise CheckFailed(f"cannot install Citus in the scratch database to compare with a distributed one "
                              f"({describe_pg_error(exc)})") from exc
        for step in plan(conn):
            if step.kind in CATALOG_KINDS:
                conn.execute(step.statement)


def _known(conn: psycopg.Connection) -> tuple[set[str], set[str]]:
    """Tables in Citus' metadata, and functions it propagates (routed: delegated by an argument)."""
    # names spelled as the plan spells them (search_path '' for the rest of this transaction:
    # every statement of the plan is schema-qualified)
    conn.execute("select pg_catalog.set_config('search_path', '', true)")
    tables = {r[0] for r in conn.execute("select logicalrelid::regclass::text from pg_catalog.pg_dist_partition")}
    functions = {r[0] for r in conn.execute(
        "select objid::regprocedure::text from pg_catalog.pg_dist_object where classid = 'pg_proc'::regclass")}
    return tables, functions


def _routed(conn: psycopg.Connection) -> dict[str, bool]:
    """Functions Citus delegates by a distribution argument, and whether forced."""
    return {r[0]: bool(r[1]) for r in conn.execute(
        "select objid::regprocedure::text, coalesce(force_delegation, false) from pg_catalog.pg_dist_object "
        "where classid = 'pg_proc'::regclass and distribution_argument_index is not null")}


FORCED = re.compile(r"force_delegation => (true|false)")


def pending(conn: psycopg.Connection, steps: list[Step]) -> list[Step]:
    """The steps still to run, given what Citus already holds."""
    tables, functions = _known(conn)
    routed = _routed(conn)
    logins = {r[0] for r in conn.execute(
        "select r.name from ops.roles as r where exists (select 1 from pg_catalog.run_command_on_all_nodes("
        "pg_catalog.format('select rolcanlogin from pg_catalog.pg_roles where rolname = %L', r.name)) as w "
        "where w.result is distinct from 't')")}
    outbox_missing = conn.execute(
        "select exists (select 1 from pg_catalog.run_command_on_workers("
        "'select pg_catalog.to_regclass(''ops.event_outbox'') is not null') as w where w.result is distinct from 't')"
    ).fetchone()[0]
    cached = {r[0] for r in conn.execute(
        "select p.oid::regprocedure::text from pg_catalog.pg_proc as p "
        "where not coalesce('plan_cache_mode=force_custom_plan' = any(p.proconfig), false)")}
    new = {s.table for s in steps if s.kind in TABLE_KINDS and s.table not in tables}
    kept = []
    for step in steps:
        if step.kind == "fold policies":
            keep = True  # planned only while a table still has a restrictive policy
        elif step.kind in TABLE_KINDS or step.kind == "drop trigger":
            keep = step.table in new
        elif step.kind == "function":
            keep = step.table not in functions
        elif step.kind == "routed function":
            # also a function propagated earlier without its tenant argument (an older plan)
            forced = FORCED.search(step.statement)
            keep = routed.get(step.table) != (forced is not None and forced.group(1) == "true")
        elif step.kind == "custom plans":
            keep = step.table in cached  # also after a migration replaced the function
        elif step.kind == "worker login":
            keep = step.table in logins
        elif step.kind == "event outbox":
            keep = outbox_missing
        elif step.kind == "view grants":
            keep = bool(new)
        else:  # foreign keys are dropped and re-added only around tables that change kind
            keep = step.table in new or step.referenced in new
        if keep:
            kept.append(step)
    return kept


def check(conn: psycopg.Connection, project: Project) -> None:
    """Refuse, before anything runs, what cannot work."""
    if not has_citus(conn):
        raise UsageError("this database has no Citus extension: point --database-url at a Citus coordinator "
                         "(e.g. `agentdb cluster start`, then --database-url \"$(agentdb cluster url)\")")
    if not conn.execute("select citus_is_coordinator()").fetchone()[0]:
        raise UsageError("this node is not the Citus coordinator: point --database-url at the coordinator")
    workers = conn.execute("select count(*) from pg_dist_node where groupid <> 0 and noderole = 'primary' "
                           "and isactive").fetchone()[0]
    if workers == 0:
        raise UsageError("the coordinator has no active workers (add them with citus_add_node or "
                         "`agentdb cluster start --workers N`)")
    states = migrator.read_states(conn, project)
    if not states or not states[0].applied:
        raise UsageError("this database is not migrated: run `agentdb migrate` first")
    waiting = [m.id for st in states for m in st.pending()] + sorted(
        n for st in states for n in st.repeatables_to_apply())
    if waiting:
        raise UsageError(f"this database is not fully migrated ({len(waiting)} pending, first {waiting[0]}): "
                         "run `agentdb migrate` first")


def _run_step(conn: psycopg.Connection, step: Step) -> str | None:
    """Run one step in a savepoint; the table Citus wants first when it names one."""
    try:
        with conn.transaction():
            conn.execute(step.statement)
    except psycopg.Error as exc:
        found = NEEDS_DEPENDENCY.search(exc.diag.message_primary or "")
        if found and step.kind in TABLE_KINDS:
            return found.group(1)
        raise
    return None


def apply(url: str, project: Project, progress=print) -> list[Step]:
    """Distribute what is not yet distributed, in one transaction; returns the steps run."""
    with psycopg.connect(url, prepare_threshold=None) as conn:
        check(conn, project)
        todo = pending(conn, plan(conn))
        if not todo:
            return []
        conn.execute("select set_config('lock_timeout', '30s', true)")
        # functions are propagated over one connection per node: the whole transaction must be
        conn.execute("select set_config('citus.multi_shard_modify_mode', 'sequential', true)")
        # the tenant (ops.set_tenant's SET LOCAL) reaches the workers, where RLS is evaluated
        dbname = conn.execute("select current_database()").fetchone()[0]
        conn.execute(psycopg.sql.SQL("alter database {} set citus.propagate_set_commands = 'local'").format(
            psycopg.sql.Identifier(dbname)))
        done_tables: set[str] = set(_known(conn)[0])
        queue = list(todo)
        ran: list[Step] = []
        total = len(queue)
        after_commit = [s for s in queue if s.kind in AFTER_COMMIT]
        queue = [s for s in queue if s.kind not in AFTER_COMMIT]
        while queue:
            step = queue.pop(0)
            began = time.monotonic()
            try:
                wanted = _run_step(conn, step)
            except psycopg.Error as exc:
                conn.rollback()
                raise CheckFailed(f"step {step.number} ({step.statement.rstrip(';')}) failed: "
                                  f"{describe_pg_error(exc)}; nothing was changed") from exc
            if wanted is not None:
                later = [i for i, s in enumerate(queue) if s.table == wanted and s.kind in TABLE_KINDS]
                if wanted in done_tables or not later:
                    conn.rollback()
                    raise CheckFailed(f"{step.table}: Citus needs {wanted} distributed first and the plan "
                                      "cannot order it; nothing was changed")
                queue.insert(later[0] + 1, step)
                progress(f"  {step.table} waits for {wanted} (Citus: a dependency through a view)")
                continue
            if step.kind in TABLE_KINDS:
                done_tables.add(step.table)
            ran.append(step)
            if step.kind in TABLE_KINDS or len(ran) == total:
                progress(f"[{len(ran)}/{total}] {step.kind} {step.table} ({time.monotonic() - began:.1f} s)")
        conn.commit()
        for step in after_commit:
            _run_on_workers(conn, step)
            ran.append(step)
            progress(f"[{len(ran)}/{total}] {step.kind} {step.table}")
        return ran


def complete_nodes(url: str, progress=print) -> int:
    """Give every node what `distribute` gave the workers and Citus does not copy to a node
    added later: the roles' logins, the views' grants, the event outbox. Idempotent; run
    before shards move onto a new worker (citus_rebalance.rebalance) and by `agentdb cluster
    add-worker`. Returns the steps run (0 when nothing is distributed here)."""
    with psycopg.connect(url, prepare_threshold=None) as conn:
        if not (has_citus(conn) and conn.execute(
                "select exists (select 1 from pg_dist_partition where partmethod = 'h')").fetchone()[0]):
            return 0
        steps = [s for s in plan(conn) if s.kind in NODE_KINDS]
        for step in steps:
            if step.kind in AFTER_COMMIT:
                _run_on_workers(conn, step)
            else:
                conn.execute(step.statement)
                conn.commit()
        progress(f"every node has the logins, view grants and event outbox ({len(steps)} step(s))")
        return len(steps)


def _run_on_workers(conn: psycopg.Connection, step: Step) -> None:
    """A step run on every worker over connections of its own (after the commit, so they
    see the propagated objects); any node's failure is an error naming it."""
    failed = [f"{host}:{port}: {result}" for host, port, success, result in conn.execute(step.statement)
              if not success]
    conn.commit()
    if failed:
        raise CheckFailed(f"step {step.number} ({step.kind}) failed on {'; '.join(failed)}; the tables are "
                          "distributed: run `agentdb distribute` again to finish it")
