"""The README's five-minute tour, run as written in a scratch copy of the repository
(after what `make run` does: migrate and load the demo), then the checks that depend on
the file set: `agentdb lint`, every migration with its rollback, and agentdb's own files
left as they were (the tour writes an application's migrations, not agentdb's)."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.sqlfiles import load_migrations

from .conftest import ROOT, SERVER_URL
from .helpers import run_cli

# bench/.cache: the benchmarks' downloads and embeddings (Debian packages hold dangling symlinks)
IGNORED = shutil.ignore_patterns(".git", ".venv", ".agentdb", "__pycache__", ".pytest_cache", "*.egg-info", ".cache")


def tour_lines(readme: str) -> list[str]:
    """The shell lines of every sh block under '## Five-minute tour', comments dropped."""
    section = readme.split("## Five-minute tour", 1)[1].split("\n## ", 1)[0]
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words:
                lines.append(shlex.join(words))
    return lines


def _file_set(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for part in ("migrations", "sql", "demo") for p in sorted((root / part).rglob("*")) if p.is_file()}


def test_the_readme_tour_runs_as_written_and_leaves_the_suite_green(tmp_path, make_database, monkeypatch):
    checkout = tmp_path / "agentdb"
    shutil.copytree(ROOT, checkout, ignore=IGNORED)
    url = make_database()
    for var in ("DATABASE_URL", "AGENTDB_HOME", "AGENTDB_PROJECT_DIR", "AGENTDB_EMBEDDER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AGENTDB_DATABASE_URL", url)
    monkeypatch.chdir(checkout)
    for setup in (["migrate"], ["demo", "--no-tour"]):  # what `make run` does before the tour
        assert run_cli(*setup).exit_code == 0

    embeddings = importlib.util.find_spec("sentence_transformers") is not None
    ran = []
    for line in tour_lines((checkout / "README.md").read_text()):
        words = shlex.split(line)
        if words[0] == "cd":
            monkeypatch.chdir(Path.cwd() / words[1])
            continue
        if words[0] == "psql" or ("--embedder" in line and not embeddings):
            continue  # a psql of the reader's own; the local model when the extra is missing
        if words[0] == "pytest":
            env = {**os.environ, "AGENTDB_TEST_DATABASE_URL": SERVER_URL}
            result = subprocess.run([sys.executable, "-m", *words, "-p", "no:cacheprovider"], env=env,
                                    capture_output=True, text=True, timeout=600)
            assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
            continue
        assert words[0] == "agentdb", line
        result = run_cli(*words[1:])
        assert result.exit_code == 0, f"$ {line}\n{result.stdout}\n{result.stderr}"
        ran.append(line)
    assert any(line.startswith("agentdb init") for line in ran) and any("rollback" in line for line in ran)

    monkeypatch.chdir(checkout)
    assert _file_set(checkout) == _file_set(ROOT), "the tour changed agentdb's own files"
    lint = run_cli("lint", "--project-dir", str(checkout))
    assert lint.exit_code == 0, lint.stdout
    app = checkout / "my-app"
    lint = run_cli("lint", "--project-dir", str(app))
    assert lint.exit_code == 0, lint.stdout
    assert [m.path.name for m in load_migrations(app / "migrations") if m.rollback_path is None] == []
    assert run_cli("migrate", "--project-dir", str(app)).exit_code == 0  # re-apply what the tour rolled back
    verify = run_cli("verify", "--project-dir", str(app), "--only", "migrations_applied",
                     "--only", "no_migration_drift", "--only", "repeatable_objects_current",
                     "--only", "named_queries_prepare", "--only", "objects_have_comments",
                     "--only", "tables_have_primary_keys")
    assert verify.exit_code == 0, verify.stdout


@pytest.mark.parametrize("line", ["agentdb init my-app", "agentdb new add_note_tags",
                                  "agentdb search \"the forge\" --scope memories --agent elara_blacksmith "
                                  "--tenant heartwood"])
def test_the_tour_shows(line):
    readme = (ROOT / "README.md").read_text()
    assert line in readme
