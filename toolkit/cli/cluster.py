"""`agentdb cluster start|stop|status|url|add-worker|rebalance`: a local Citus cluster."""

from __future__ import annotations

import time
from pathlib import Path

import click

from .. import citus_distribute, citus_rebalance, cluster, cluster_build, config
from ..errors import UsageError
from .output import emit


def _progress(line: str) -> None:
    click.echo(line, err=True)


def _source(given: str | None) -> Path | None:
    if given:
        return Path(given)
    try:
        root = config.find_project().root
    except UsageError:
        root = None
    return cluster_build.default_source(root)


source_option = click.option(
    "--citus-source", default=None, metavar="TARBALL", type=click.Path(dir_okay=False),
    help="Citus source tarball to build when no build is cached (default: AGENTDB_CITUS_SOURCE, "
         "else ../shared/vendor/citus-*.tar.gz beside the checkout).")


def _rows(states: list[cluster.NodeState]) -> list[dict]:
    return [{"node": s.node.name, "role": s.role, "running": s.pid is not None, "pid": s.pid,
             "port": s.node.port, "url": s.node.url, "data_dir": str(s.node.data_dir)} for s in states]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cluster_group() -> None:
    """A local Citus cluster: a coordinator and workers on loopback ports (data under
    AGENTDB_HOME/cluster). Point agentdb at it with --database-url "$(agentdb cluster url)"."""


@cluster_group.command()
@click.option("--workers", type=int, default=None, help="Number of workers (default: 2, or as many as it has).")
@source_option
def start(workers: int | None, citus_source: str | None) -> None:
    """Build Citus when not cached, create and start the nodes, register the workers; print the URL."""
    began = time.monotonic()
    states = cluster.start(config.agentdb_home(), workers, _source(citus_source), _progress)
    _progress(f"Citus cluster running: coordinator + {len(states) - 1} worker(s), "
              f"ready in {time.monotonic() - began:.1f} s")
    click.echo(states[0].node.url)


@cluster_group.command()
def stop() -> None:
    """Stop every node; data stays."""
    states = cluster.stop(config.agentdb_home())
    if not states:
        raise UsageError(f"no cluster under {cluster.cluster_dir(config.agentdb_home())}")
    _progress(f"stopped {len(states)} node(s), data kept in {cluster.cluster_dir(config.agentdb_home())}")


@cluster_group.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv"]), default="table",
              show_default=True, help="Output format.")
def status(fmt: str) -> None:
    """Each node: role, running, port, URL. Exit 1 when a node is down or there is no cluster."""
    states = cluster.status(config.agentdb_home())
    emit(_rows(states), fmt)
    if not states or any(s.pid is None for s in states):
        raise click.exceptions.Exit(1)


@cluster_group.command()
def url() -> None:
    """Print the coordinator's URL (for --database-url "$(agentdb cluster url)")."""
    click.echo(cluster.require_running(config.agentdb_home()).url)


transfer_option = click.option(
    "--transfer-mode", type=click.Choice(citus_rebalance.TRANSFER_MODES), default=citus_rebalance.DEFAULT_MODE,
    show_default=True,
    help="How shards move: block_writes (a moving group's writes wait, the others go on); force_logical and auto "
         "(logical replication) are refused for tables under forced row-level security, as agentdb's are.")


def _rebalance_all(home: Path, transfer_mode: str) -> None:
    """Rebalance every database of the local cluster that has distributed tables."""
    for url in cluster.distributed_databases(home):
        moved = citus_rebalance.rebalance(url, _progress, transfer_mode=transfer_mode)
        _progress(f"{url.rsplit('/', 1)[-1]}: rebalanced, {moved} shard move(s)")


@cluster_group.command(name="add-worker")
@click.option("--rebalance/--no-rebalance", default=True, show_default=True,
              help="Move shards onto the new worker with Citus' rebalancer (a moving group's writes wait, others go on).")
@transfer_option
@source_option
def add_worker(rebalance: bool, transfer_mode: str, citus_source: str | None) -> None:
    """Start one more worker, register it in every Citus database, and rebalance the shards onto it."""
    home = config.agentdb_home()
    cluster.require_running(home)
    worker = cluster.add_worker(home, _source(citus_source), _progress)
    _progress(f"added {worker.name} on port {worker.port}")
    for url in cluster.distributed_databases(home):
        citus_distribute.complete_nodes(url, _progress)
    if rebalance:
        _rebalance_all(home, transfer_mode)


@cluster_group.command()
@click.option("--database-url", default=None, metavar="URL",
              help="The coordinator database to rebalance (default: every distributed database of the local cluster).")
@transfer_option
def rebalance(database_url: str | None, transfer_mode: str) -> None:
    """Move shard groups with Citus' rebalancer until every worker holds its share (block_writes:
    writes to a moving shard group wait, the others go on), then drop the moved shards' old copies."""
    if database_url:
        moved = citus_rebalance.rebalance(database_url, _progress, transfer_mode=transfer_mode)
        _progress(f"rebalanced: {moved} shard move(s)")
        return
    home = config.agentdb_home()
    cluster.require_running(home)
    _rebalance_all(home, transfer_mode)


COMMANDS = [cluster_group]
cluster_group.name = "cluster"
