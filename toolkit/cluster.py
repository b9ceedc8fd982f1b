"""A local Citus cluster for development and tests: a coordinator and N workers, each a
PostgreSQL 18 node of the embedded server's build, under <AGENTDB_HOME>/cluster.

`cluster.json` there records the nodes (names, ports); the Citus build is copied beside
them from the cache (cluster_build) so the server's system user reads it from a folder it
already reaches. The coordinator's `postgres` database is the one agentdb uses.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from . import cluster_build, cluster_nodes
from .cluster_nodes import HOST, Node
from .errors import CheckFailed, UsageError

PG_VERSION = 18


@dataclass(frozen=True)
class NodeState:
    node: Node
    role: str
    pid: int | None


def cluster_dir(home: Path) -> Path:
    return home / "cluster"


def _manifest(home: Path) -> Path:
    return cluster_dir(home) / "cluster.json"


def load(home: Path) -> list[Node]:
    """The nodes recorded for this home, coordinator first ([] when there is no cluster)."""
    path = _manifest(home)
    if not path.exists():
        return []
    data = json.loads(path.read_text())
    return [Node(n["name"], n["port"], cluster_dir(home) / n["name"]) for n in data["nodes"]]


def _save(home: Path, nodes: list[Node]) -> None:
    data = {"pg_version": PG_VERSION, "nodes": [{"name": n.name, "port": n.port} for n in nodes]}
    _manifest(home).write_text(json.dumps(data, indent=2) + "\n")


def _install_citus(home: Path, build: cluster_build.CitusBuild) -> Path:
    """The build beside the nodes (refreshed when the cache holds another one)."""
    target = cluster_dir(home) / "citus"
    stamp = target / "BUILD"
    if not (stamp.exists() and stamp.read_text() == str(build.root)):
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(build.root, target)
        stamp.write_text(str(build.root))
    cluster_nodes.give_to_server_user(target)
    return target


def coordinator(home: Path) -> Node:
    nodes = load(home)
    if not nodes:
        raise UsageError(f"no cluster under {cluster_dir(home)}: run `agentdb cluster start --workers N` first")
    return nodes[0]


def status(home: Path) -> list[NodeState]:
    return [NodeState(n, "coordinator" if i == 0 else "worker", cluster_nodes.running(n))
            for i, n in enumerate(load(home))]


def _connect(url: str) -> psycopg.Connection:
    deadline = time.monotonic() + 30
    while True:
        try:
            return psycopg.connect(url, autocommit=True, connect_timeout=5)
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _settle(node: Node) -> None:
    """The reloadable settings, also on nodes made by an older agentdb."""
    with _connect(node.url) as conn:
        for name in cluster_nodes.RELOADABLE:
            value = cluster_nodes.NODE_SETTINGS[name].strip("'")
            if conn.execute("select current_setting(%s)", (name,)).fetchone()[0] != value:
                conn.execute(f"alter system set {name} = '{value}'")
                conn.execute("select pg_reload_conf()")


def _prepare(node: Node, dbname: str = "postgres") -> None:
    with _connect(node.url_for(dbname)) as conn:
        present = {r[0] for r in conn.execute("select extname from pg_extension")}
        # a worker already in the metadata refuses DDL, even `if not exists`
        if "citus" not in present:
            conn.execute("create extension citus")
        if "vector" not in present:
            conn.execute("create extension vector with schema public")


def _register(coord: Node, worker: Node, dbname: str = "postgres") -> bool:
    """Add `worker` to the coordinator's metadata in `dbname`; True when it was new."""
    _prepare(coord, dbname)
    _prepare(worker, dbname)
    with _connect(coord.url_for(dbname)) as conn:
        known = conn.execute("select 1 from pg_dist_node where nodename = %s and nodeport = %s",
                             (HOST, worker.port)).fetchone()
        if known:
            return False
        conn.execute("select citus_add_node(%s, %s)", (HOST, worker.port))
        return True


def start(home: Path, workers: int | None, source: Path | None, progress=print) -> list[NodeState]:
    """Start the cluster, creating it (or its missing workers) first; reuse what runs."""
    existing = load(home)
    if workers is not None and workers < 1:
        raise UsageError("--workers must be at least 1")
    if existing and workers is not None and workers < len(existing) - 1:
        raise UsageError(f"the cluster under {cluster_dir(home)} has {len(existing) - 1} workers; "
                         "removing workers is not supported (stop it and delete the folder to start over)")
    build = cluster_build.ensure_built(source, PG_VERSION, progress)
    cluster_dir(home).mkdir(parents=True, exist_ok=True)
    citus_dir = _install_citus(home, build)
    nodes = list(existing)
    wanted = (workers if workers is not None else max(len(existing) - 1, 2)) + 1
    taken = {n.port for n in nodes}
    while len(nodes) < wanted:
        name = "coordinator" if not nodes else f"worker{len(nodes)}"
        port = cluster_nodes.free_port(taken)
        taken.add(port)
        nodes.append(Node(name, port, cluster_dir(home) / name))
    _save(home, nodes)
    bin_dir = cluster_build.pg_bin(PG_VERSION)
    for node in nodes:
        if cluster_nodes.init(node, bin_dir, citus_dir):
            progress(f"initialised {node.name} in {node.data_dir}")
        cluster_nodes.start(node, bin_dir)
    coord = nodes[0]
    for node in nodes:
        _prepare(node)
        _settle(node)
    _prepare(coord)
    with _connect(coord.url) as conn:
        conn.execute("select citus_set_coordinator_host(%s, %s)", (HOST, coord.port))
    for worker in nodes[1:]:
        if _register(coord, worker):
            progress(f"added {worker.name} ({HOST}:{worker.port})")
    return status(home)


def add_worker(home: Path, source: Path | None, progress=print) -> Node:
    """One more worker, registered in every database of the coordinator that has Citus."""
    nodes = load(home)
    if not nodes:
        raise UsageError(f"no cluster under {cluster_dir(home)}: run `agentdb cluster start` first")
    start(home, len(nodes), source, progress)
    nodes = load(home)
    worker = nodes[-1]
    with _connect(nodes[0].url) as conn:
        databases = [r[0] for r in conn.execute(
            "select datname from pg_database where datallowconn and not datistemplate and datname <> 'postgres'")]
    for dbname in databases:
        if _has_citus(nodes[0], dbname):
            with _connect(worker.url) as conn:
                conn.execute(f'create database "{dbname}"')
            _register(nodes[0], worker, dbname)
    return worker


def distributed_databases(home: Path) -> list[str]:
    """URLs of the coordinator's databases that have distributed tables."""
    coord = coordinator(home)
    with _connect(coord.url) as conn:
        names = [r[0] for r in conn.execute(
            "select datname from pg_database where datallowconn and not datistemplate order by datname")]
    found = []
    for name in names:
        if not _has_citus(coord, name):
            continue
        with _connect(coord.url_for(name)) as conn:
            if conn.execute("select exists (select 1 from pg_dist_partition where partmethod = 'h')").fetchone()[0]:
                found.append(coord.url_for(name))
    return found


def _has_citus(node: Node, dbname: str) -> bool:
    try:
        with _connect(node.url_for(dbname)) as conn:
            return conn.execute("select 1 from pg_extension where extname = 'citus'").fetchone() is not None
    except psycopg.OperationalError:
        return False


def stop(home: Path) -> list[NodeState]:
    bin_dir = cluster_build.pg_bin(PG_VERSION)
    for node in reversed(load(home)):
        cluster_nodes.stop(node, bin_dir)
    return status(home)


def require_running(home: Path) -> Node:
    states = status(home)
    if not states:
        raise UsageError(f"no cluster under {cluster_dir(home)}: run `agentdb cluster start --workers N` first")
    down = [s.node.name for s in states if s.pid is None]
    if down:
        raise CheckFailed(f"cluster nodes not running: {', '.join(down)} (run `agentdb cluster start`)")
    return states[0].node
