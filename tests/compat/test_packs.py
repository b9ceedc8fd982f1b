"""The packs as migration sets: install and uninstall (the catalog afterwards is the
catalog before), what uninstall refuses to take with it, the CLI, and the house rules
(security_invoker views, comments) on every pack object."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit import compat
from toolkit.cli.main import cli

from .conftest import catalog

PACKS = sorted(compat.packs())


def test_the_five_seed_systems_have_packs():
    assert PACKS == ["aj-copilot", "cirkelline", "heartwood", "ikigai", "tokyo-ia"]


def test_uninstall_leaves_the_catalog_as_before(db_conn, db_url):
    db_conn.commit()
    before = catalog(db_conn)
    db_conn.commit()
    for name in PACKS:  # one at a time, then all together
        assert compat.install(db_url, name)
        assert compat.install(db_url, name) == []  # current: nothing to do
        assert compat.uninstall(db_url, name) == [f"rollback {compat.find(name).migrations()[0].id}"]
        assert catalog(db_conn) == before, name
        db_conn.commit()
    for name in PACKS:
        compat.install(db_url, name)
    assert set(compat.installed(db_conn)) == set(PACKS)
    db_conn.commit()
    for name in reversed(PACKS):
        compat.uninstall(db_url, name)
    assert catalog(db_conn) == before
    assert compat.installed(db_conn) == {}


def test_rows_written_through_a_pack_stay_after_uninstall(db_conn, db_url, pack_client):
    db_conn.execute("insert into core.tenants (slug, name) values ('tokyo', 'Tokyo-IA')")
    db_conn.commit()
    statements, session = pack_client("tokyo-ia")
    with session("tokyo") as c:
        c.run("insert_agents")
    compat.uninstall(db_url, "tokyo-ia")
    assert db_conn.execute("select slug from agents.agents order by slug").fetchall() == [("akira-001",), ("yuki-002",)]
    assert db_conn.execute("select to_regnamespace('tokyo_ia')").fetchone() == (None,)


def test_uninstall_takes_nothing_else_with_it(db_conn, db_url):
    compat.install(db_url, "heartwood")
    db_conn.execute("create view public.my_agents as select id from heartwood.agents")
    db_conn.commit()
    with pytest.raises(compat.CheckFailed, match="view my_agents depend"):
        compat.uninstall(db_url, "heartwood")
    db_conn.execute("drop view public.my_agents")
    db_conn.execute("create table heartwood.notes (note text)")
    db_conn.commit()
    with pytest.raises(compat.CheckFailed, match="heartwood.notes hold"):
        compat.uninstall(db_url, "heartwood")
    db_conn.execute("drop table heartwood.notes")
    db_conn.commit()
    compat.uninstall(db_url, "heartwood")
    with pytest.raises(compat.CheckFailed, match="not installed"):
        compat.uninstall(db_url, "heartwood")


def test_a_pack_needs_agentdb_first(make_database):
    with pytest.raises(compat.CheckFailed, match="agentdb migrate"):
        compat.install(make_database(), "ikigai")


def test_every_pack_object_follows_the_house_rules(db_conn, db_url):
    for name in PACKS:
        compat.install(db_url, name)
    schemas = [compat.find(n).schema for n in PACKS]
    views = db_conn.execute(
        "select c.oid::regclass::text, coalesce(c.reloptions, '{}') from pg_class c "
        "where c.relkind = 'v' and c.relnamespace::regnamespace::text = any(%s)", (schemas,)).fetchall()
    assert len(views) >= 30
    assert [v for v, options in views if "security_invoker=true" not in options] == []
    uncommented = db_conn.execute(
        """
        select c.oid::regclass::text || coalesce('.' || a.attname, '') from pg_class c
        left join pg_attribute a on a.attrelid = c.oid and c.relkind = 'v' and a.attnum > 0 and not a.attisdropped
        where c.relkind in ('v', 'S') and c.relnamespace::regnamespace::text = any(%s)
          and col_description(c.oid, coalesce(a.attnum, 0)) is null
          and (a.attname is not null or obj_description(c.oid, 'pg_class') is null)
        union all
        select p.oid::regprocedure::text from pg_proc p
        where p.pronamespace::regnamespace::text = any(%s) and obj_description(p.oid, 'pg_proc') is null
        union all
        select n.nspname from pg_namespace n where n.nspname = any(%s) and obj_description(n.oid, 'pg_namespace') is null
        """, (schemas, schemas, schemas)).fetchall()
    assert uncommented == []
    definer = db_conn.execute("select p.oid::regprocedure::text from pg_proc p where p.prosecdef "
                              "and p.pronamespace::regnamespace::text = any(%s)", (schemas,)).fetchall()
    assert definer == []
    owners = db_conn.execute("select distinct c.relowner::regrole::text from pg_class c "
                             "where c.relnamespace::regnamespace::text = any(%s)", (schemas,)).fetchall()
    assert owners == db_conn.execute("select name from ops.roles where kind = 'owner'").fetchall()


def test_cli_install_list_uninstall(db_conn, db_url):
    runner = CliRunner()
    result = runner.invoke(cli, ["compat", "install", "ikigai", "--database-url", db_url])
    assert result.exit_code == 0, result.output
    assert "ikigai: installed in schema ikigai; clients set search_path = ikigai, public" in result.output
    result = runner.invoke(cli, ["compat", "list", "--database-url", db_url, "--format", "json"])
    assert result.exit_code == 0
    import json
    rows = {r["name"]: r for r in json.loads(result.output)}
    assert set(rows) == set(PACKS) and rows["ikigai"]["installed"] and not rows["tokyo-ia"]["installed"]
    assert rows["tokyo-ia"]["search_path"] == "tokyo_ia, public"
    result = runner.invoke(cli, ["compat", "uninstall", "ikigai", "--database-url", db_url])
    assert result.exit_code == 0 and "ikigai: uninstalled" in result.output
    result = runner.invoke(cli, ["compat", "uninstall", "ikigai", "--database-url", db_url])
    assert result.exit_code == 1 and "Error: compatibility pack ikigai is not installed here" in result.output
    result = runner.invoke(cli, ["compat", "install", "nope", "--database-url", db_url])
    assert result.exit_code == 2
    assert "Error: no compatibility pack 'nope': choose one of aj-copilot, cirkelline, heartwood, ikigai, tokyo-ia" \
        in result.output


def test_agentdb_lint_covers_the_packs_sql_and_not_the_documents_statements():
    from toolkit import lint
    from toolkit.project import Project

    from ..conftest import ROOT

    files = {p.resolve() for p in lint.sql_files(Project(ROOT))}
    pack_sql = {p.resolve() for p in (ROOT / "compat").rglob("*.sql")}
    assert len(pack_sql) > 60 and pack_sql <= files
    assert not any("tests/compat/statements" in str(p) for p in files)


def test_the_kept_copies_of_the_seed_documents_are_the_originals():
    from .conftest import SHARED_SEEDS

    kept = Path(__file__).parent / "seeds"
    assert sorted(p.name for p in kept.glob("*.txt")) == sorted(compat.find(n).document for n in PACKS)
    if not SHARED_SEEDS.is_dir():
        pytest.skip(f"{SHARED_SEEDS} is not beside this checkout: only the kept copies are here")
    for copy in kept.glob("*.txt"):
        assert copy.read_bytes() == (SHARED_SEEDS / copy.name).read_bytes(), copy.name


def test_the_read_only_role_reads_pack_views_and_writes_nothing(db_conn, db_url):
    import psycopg
    from psycopg import sql

    db_conn.execute("insert into core.tenants (slug, name) values ('tokyo', 'Tokyo-IA')")
    db_conn.commit()
    compat.install(db_url, "tokyo-ia")
    roles = dict(db_conn.execute("select kind, name from ops.roles").fetchall())
    db_conn.commit()
    db_conn.autocommit = True
    with db_conn.transaction():
        db_conn.execute(sql.SQL("set local role {}").format(sql.Identifier(roles["app"])))
        db_conn.execute("select ops.set_tenant('tokyo')")
        db_conn.execute("insert into tokyo_ia.agents (id, name, role, model) values ('akira-001', 'Akira', 'r', 'm')")
    with db_conn.transaction():
        db_conn.execute(sql.SQL("set local role {}").format(sql.Identifier(roles["readonly"])))
        db_conn.execute("select ops.set_tenant('tokyo')")
        assert db_conn.execute("select id from tokyo_ia.agents").fetchall() == [("akira-001",)]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            with db_conn.transaction():
                db_conn.execute("update tokyo_ia.agents set name = 'x'")
    with db_conn.transaction():  # PUBLIC has nothing on a pack
        db_conn.execute("create role compat_outsider")
        db_conn.execute("set local role compat_outsider")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            with db_conn.transaction():
                db_conn.execute("select * from tokyo_ia.agents")
        db_conn.execute("reset role")
        db_conn.execute("drop role compat_outsider")
