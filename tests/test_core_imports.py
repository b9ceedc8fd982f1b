"""A core install (no numpy, no torch) runs every command's --help: benchmark and embedding
code is imported only when a command that needs it runs."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT

# numpy and the embedding stack made unimportable, as in an install without the extras
BLOCKED = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('numpy', 'torch', 'sentence_transformers'):
            raise ImportError(f'{name} is not installed (blocked by the test)')
sys.meta_path.insert(0, Block())
import click
from toolkit.cli.main import cli

def walk(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from walk(command, (*prefix, name))

for path in [()] + list(walk(cli)):
    try:
        cli([*path, '--help'])
    except SystemExit as exc:
        assert not exc.code, path
assert 'numpy' not in sys.modules
print('ok')
"""


def test_every_help_runs_without_numpy_or_torch():
    result = subprocess.run([sys.executable, "-c", BLOCKED], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")


def test_every_toolkit_package_is_in_the_wheel():
    """pyproject.toml lists toolkit's packages (toolkit.schema is mapped onto the
    top-level migrations/ and sql/), so a new subpackage must be added there."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "toolkit").rglob("*.py")
             if "__pycache__" not in p.parts}
    found |= {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "toolkit").rglob("*.j2")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
