"""Compatibility packs: each seed document's client SQL, verbatim, through its pack, as
the app role with the tenant set (row-level security on), on data the test creates.

The statements live in tests/compat/statements/<pack>.sql, one per `-- statement: name`
marker, copied from the document byte for byte; `-- not runnable: SQLSTATE` marks one
that cannot run (the pack's README says why and what to call instead, given after it
as `-- instead:` lines), and the test asserts it fails with exactly that SQLSTATE and
runs the replacement. `-- in ddl:` lists a line of the document
that looks like client SQL but is part of a DDL example (a function body).
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import dict_row

from toolkit import compat

from ..conftest import ROOT

# the seed documents: ../shared/seeds beside the checkout where it exists, else the copy
# kept here for a clean clone (test_packs checks the copy is byte for byte the original)
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
SEEDS = SHARED_SEEDS if SHARED_SEEDS.is_dir() else Path(__file__).parent / "seeds"
STATEMENTS = Path(__file__).parent / "statements"
MARKER = re.compile(r"^-- statement: (\S+)\n", re.M)
DML_LINE = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WHERE)\b", re.I)


@dataclass(frozen=True)
class Statement:
    name: str
    text: str
    not_runnable: str | None  # the SQLSTATE it fails with, when it cannot run
    instead: str | None = None  # what the pack's README offers in its place


def load(pack: str) -> tuple[dict[str, Statement], list[str]]:
    text = (STATEMENTS / f"{pack}.sql").read_text(encoding="utf-8")
    in_ddl = re.findall(r"^-- in ddl: (.*)$", text, re.M)
    parts = MARKER.split(text)
    found = {}
    for name, body in zip(parts[1::2], parts[2::2]):
        state = re.match(r"-- not runnable: (\w+)\n", body)
        if state:
            body = body[state.end():]
        instead = re.match(r"(?:-- instead: .*\n)+", body)
        if instead:
            body = body[instead.end():]
            instead = "\n".join(line[len("-- instead: "):] for line in instead.group(0).splitlines())
        found[name] = Statement(name, body.strip("\n"), state.group(1) if state else None, instead or None)
    return found, in_ddl


def document(pack: str) -> str:
    return (SEEDS / compat.find(pack).document).read_text(encoding="utf-8")


def code_lines(doc: str) -> list[str]:
    """Lines inside the document's code fences that read like client SQL."""
    lines = []
    for block in re.findall(r"```[a-z]*\n(.*?)```", doc, re.S):
        lines += [line for line in block.splitlines() if DML_LINE.match(line)]
    return lines


def check_verbatim_and_complete(pack: str) -> dict[str, Statement]:
    """Every listed statement appears in the document as it is; every line of the
    document's code that reads like client SQL is in a listed statement or a DDL body."""
    doc = document(pack)
    statements, in_ddl = load(pack)
    for st in statements.values():
        assert st.text in doc, f"{pack}: statement {st.name} is not verbatim in the document"
    readme = (compat.find(pack).root / "README.md").read_text(encoding="utf-8")
    for st in statements.values():
        if st.not_runnable:
            assert st.instead and f"`{st.name}`" in readme and st.instead in readme, \
                f"{pack}: README.md must name {st.name} and say what to run instead"
    for line in in_ddl:
        assert line in doc, f"{pack}: '-- in ddl:' line not in the document: {line}"
    covered = "\n".join(st.text for st in statements.values())
    ddl = {line.strip() for line in in_ddl}
    missing = [line for line in code_lines(doc) if line.strip() not in covered and line.strip() not in ddl]
    assert not missing, f"{pack}: client SQL of the document not listed in statements/{pack}.sql: {missing}"
    return statements


@pytest.fixture
def pack_client(db_conn, db_url):
    """pack_client(pack) -> (statements, session) with the pack installed in this test's
    database; session(tenant) is a transaction as the app role with the tenant set and
    the pack's search_path, as the system's client would run it."""
    db_conn.commit()
    db_conn.autocommit = True
    roles = dict(db_conn.execute("select kind, name from ops.roles").fetchall())

    def open_pack(pack: str):
        compat.install(db_url, pack)
        statements = check_verbatim_and_complete(pack)
        search_path = compat.find(pack).search_path

        @contextmanager
        def session(tenant: str, *, begin: bool = True):
            with db_conn.transaction():
                db_conn.execute(sql.SQL("set local role {}").format(sql.Identifier(roles["app"])))
                db_conn.execute("select set_config('search_path', %s, true)", (search_path,))
                db_conn.execute("select ops.set_tenant(%s)", (tenant,))
                yield Runner(db_conn, statements)

        return statements, session

    return open_pack


class Runner:
    """Runs a listed statement verbatim: plain, with psycopg's %s parameters, with the
    server's $n parameters (PREPARE ... AS the statement), or with the document's named
    placeholders (a SQL function whose parameters carry those names, the statement its
    body)."""

    def __init__(self, conn: psycopg.Connection, statements: dict[str, Statement]):
        self.conn = conn
        self.statements = statements

    def sql(self, text: str, *params):
        cur = self.conn.cursor(row_factory=dict_row)
        cur.execute(text, params or None)
        return cur.fetchall() if cur.description else cur.rowcount

    def run(self, name: str, *params, named: dict | None = None, dollar: tuple | None = None, prefix: str = ""):
        """prefix: for a document that gives only a clause (ikigai's WHERE examples), the
        FROM it belongs to, put before the verbatim text."""
        st = self.statements[name]
        assert st.not_runnable is None, f"{name} is listed as not runnable"
        if prefix:
            return self.sql(f"{prefix}\n{st.text}", *params)
        if named:
            return self._named(st, named)
        if dollar is not None:
            return self._prepared(st, dollar)
        return self.sql(st.text, *params)

    def instead(self, name: str, *params, dollar: tuple | None = None, prefix: str = ""):
        """Run what the README offers in place of a not-runnable statement."""
        st = self.statements[name]
        assert st.not_runnable and st.instead, f"{name} has no documented replacement"
        if dollar is not None:
            return self._prepared(Statement(name, st.instead, None), dollar)
        return self.sql(f"{prefix}\n{st.instead}" if prefix else st.instead, *params)

    def fails(self, name: str, **kwargs) -> psycopg.Error:
        """Run a not-runnable statement in a savepoint; assert its documented SQLSTATE."""
        st = self.statements[name]
        assert st.not_runnable, f"{name} is not listed as not runnable"
        with pytest.raises(psycopg.Error) as caught:
            with self.conn.transaction():
                if kwargs.get("dollar") is not None:
                    self._prepared(st, kwargs["dollar"])
                elif kwargs.get("named"):
                    self._named(st, kwargs["named"])
                else:
                    self.conn.execute(f"{kwargs.get('prefix', '')}\n{st.text}")
        assert caught.value.sqlstate == st.not_runnable, caught.value
        return caught.value

    def _prepared(self, st: Statement, args: tuple):
        self.conn.execute(f"prepare compat_statement as {st.text.rstrip(';')}")
        try:  # (a statement that fails to prepare leaves nothing to deallocate)
            placeholders = sql.SQL(", ").join(sql.Placeholder() * len(args))
            query = sql.SQL("execute compat_statement ({})").format(placeholders) if args else \
                sql.SQL("execute compat_statement")
            # EXECUTE's arguments take the prepared statement's types only as literals
            cur = psycopg.ClientCursor(self.conn, row_factory=dict_row)
            cur.execute(query, args)
            return cur.fetchall() if cur.description else cur.rowcount
        finally:
            self.conn.execute("deallocate compat_statement")

    def _named(self, st: Statement, named: dict):
        """named = {placeholder: (type, value)}: the statement becomes the body of a SQL
        function whose parameters are those names, so it runs with them bound."""
        params = sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(k), sql.SQL(t)) for k, (t, _) in named.items())
        body = f"select pg_catalog.to_json(r) from ({st.text.rstrip(';')}) as r"
        self.conn.execute(sql.SQL("create function pg_temp.compat_statement({}) returns setof json language sql "
                                  "as {}").format(params, sql.Literal(body)))
        try:
            args = sql.SQL(", ").join(sql.Placeholder() * len(named))
            rows = self.conn.execute(sql.SQL("select * from pg_temp.compat_statement({})").format(args),
                                     [v for _, v in named.values()]).fetchall()
            return [r[0] for r in rows]
        finally:
            self.conn.execute("drop function pg_temp.compat_statement")


def catalog(conn: psycopg.Connection) -> dict[str, list]:
    """What a pack could leave behind: schemas, relations, columns, functions, types,
    triggers, policies, privileges and default privileges (agentdb_meta's bookkeeping
    included), outside the system catalogs."""
    queries = {
        "schemas": "select nspname, nspowner::regrole::text, nspacl::text from pg_namespace order by 1",
        "relations": "select c.oid::regclass::text, c.relkind, c.relowner::regrole::text, c.relacl::text, "
                     "c.relrowsecurity, c.reloptions::text from pg_class c "
                     "where c.relnamespace::regnamespace::text not in ('pg_catalog', 'information_schema', 'pg_toast') "
                     "order by 1",
        "columns": "select attrelid::regclass::text, attname, atttypid::regtype::text from pg_attribute "
                   "where attrelid >= 16384 and attnum > 0 and not attisdropped order by 1, 2",
        "functions": "select oid::regprocedure::text, proowner::regrole::text, proacl::text, md5(prosrc) "
                     "from pg_proc where pronamespace::regnamespace::text not in ('pg_catalog', 'information_schema') "
                     "order by 1",
        "types": "select oid::regtype::text from pg_type where typnamespace::regnamespace::text "
                 "not in ('pg_catalog', 'information_schema', 'pg_toast') order by 1",
        "triggers": "select tgrelid::regclass::text, tgname, tgfoid::regproc::text from pg_trigger order by 1, 2",
        "policies": "select polrelid::regclass::text, polname, pg_get_expr(polqual, polrelid) from pg_policy order by 1, 2",
        "default_acl": "select defaclrole::regrole::text, defaclnamespace, defaclobjtype, defaclacl::text "
                       "from pg_default_acl order by 1, 2, 3",
        "depends": "select count(*) from pg_depend",
        "rewrites": "select ev_class::regclass::text, rulename from pg_rewrite "
                    "where ev_class >= 16384 order by 1, 2",
        "comments": "select objoid, classoid::regclass::text, objsubid, description from pg_description "
                    "where objoid >= 16384 order by 1, 2, 3",
    }
    return {name: conn.execute(q).fetchall() for name, q in queries.items()}
