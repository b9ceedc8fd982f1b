"""Applying repeatable objects (one function or view per file): create or replace, or
drop and re-create when that cannot work; and re-creating the ones a migration dropped."""

from __future__ import annotations

from typing import Callable

import psycopg
from psycopg import sql

from ..sqlfiles import RepeatableFile, dependency_order
from . import bookkeeping
from .plan import Step
from .state import State, present_objects

# Errors `create or replace` raises when a definition cannot be replaced in place:
# a function's return type or parameter names changed; a view lost or retyped a column.
_REPLACE_FAILS = {"42P13", "42P16", "42804"}


def _load_vector_library(conn: psycopg.Connection) -> None:
    """Functions that set pgvector parameters (hnsw.iterative_scan) may only be created by
    a non-superuser once the library has defined them: using the type loads it."""
    if conn.execute("select to_regtype('public.vector') is not null").fetchone()[0]:
        conn.execute("select '[0]'::public.vector")


def apply_repeatable(conn: psycopg.Connection, set_name: str, obj: RepeatableFile) -> None:
    """Create or replace one object; when that cannot work (a changed signature, a view
    that loses a column), drop the old definition and create it anew, all inside the
    run's transaction. A function whose argument list changed would otherwise leave the
    old overload behind, so that one is dropped too."""
    before = _signatures(conn, obj)
    if "hnsw." in obj.sql:
        _load_vector_library(conn)
    try:
        with conn.transaction():
            conn.execute(obj.sql)
    except psycopg.Error as exc:
        if exc.sqlstate not in _REPLACE_FAILS:
            raise
        _drop(conn, obj, before)
        conn.execute(obj.sql)
        before = []
    if obj.kind == "function":
        after = _signatures(conn, obj)
        created = [s for s in after if s not in before]
        if created and before:
            _drop(conn, obj, [s for s in before if s not in created])
    bookkeeping.record_repeatable(conn, set_name, obj)


def restore_dropped(conn: psycopg.Connection, state: State, on_step: Callable[[Step], None] | None) -> None:
    """A migration may drop repeatable objects with what they depend on (drop ... cascade);
    re-create, in this run's transaction, every one that is gone."""
    present = present_objects(conn, state.repeatables)
    gone = {name for name in state.repeatables if name not in present}
    for name in dependency_order(state.repeatables, gone):
        if name in present:
            continue
        obj = state.repeatables[name]
        if on_step:
            on_step(Step("repeatable", name, "reapply", True, obj.path, state.migration_set.name))
        apply_repeatable(conn, state.migration_set.name, obj)


def _signatures(conn: psycopg.Connection, obj: RepeatableFile) -> list[str]:
    if obj.kind != "function":
        return [obj.name]
    rows = conn.execute(
        """
        select pg_catalog.pg_get_function_identity_arguments(p.oid)
        from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace
        where n.nspname = %s and p.proname = %s order by 1
        """,
        (obj.schema, obj.object_name),
    ).fetchall()
    return [r[0] for r in rows]


def _drop(conn: psycopg.Connection, obj: RepeatableFile, signatures: list[str]) -> None:
    target = sql.Identifier(obj.schema, obj.object_name)
    if obj.kind == "view":
        if signatures:
            conn.execute(sql.SQL("drop view if exists {}").format(target))
        return
    for args in signatures:
        conn.execute(sql.SQL("drop routine {}({})").format(target, sql.SQL(args)))
