"""Start-up of the ``postmine`` command: what it imports before a command runs, and --version.

Not a timed test: the start-up time follows from the import graph, so the graph is checked.
Each check runs in a fresh interpreter, since the test session has imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from postmine import __version__

HEAVY = ("numpy", "scipy", "pandas", "sqlalchemy", "fastapi", "matplotlib")
"""Libraries that cost tenths of a second to import; only the commands that use them may."""

_PROBE = """
import json, sys
from postmine.cli.main import app
args = json.loads(sys.argv[1])
if args:
    try:
        app(args, prog_name="postmine")
    except SystemExit:
        pass
sys.stderr.write(json.dumps(sorted({m.split(".")[0] for m in sys.modules})))
"""


def _top_level_modules(args: list[str]) -> set[str]:
    """Top-level packages imported by ``postmine ARGS`` (none: the import of the CLI alone)."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(out.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "args",
    [[], ["--help"], ["--version"], ["calc", "--help"], ["slope", "--help"], ["dump", "--help"]],
    ids=["import", "help", "version", "calc-help", "slope-help", "dump-help"],
)
def test_startup_imports_no_heavy_library(args: list[str]) -> None:
    imported = _top_level_modules(args)
    assert "postmine" in imported and "typer" in imported  # the probe ran
    assert sorted(imported & set(HEAVY)) == []


def test_a_command_imports_its_libraries_when_it_runs() -> None:
    """The probe can see a heavy import: running ``slope examples`` brings numpy in."""
    assert "numpy" in _top_level_modules(["slope", "examples"])


def test_version_prints_the_version_and_exits_0() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "postmine.cli.main", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"postmine {__version__}"


def test_version_wins_over_a_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "postmine.cli.main", "--version", "slope", "verify"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"postmine {__version__}"
