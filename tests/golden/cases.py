"""The commands whose outputs are kept as golden files (see generate.py)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def cli_json(*args: str) -> Any:
    """Run ``postmine ARGS --json`` in process and parse its standard output."""
    from postmine.cli.main import app

    result = CliRunner().invoke(app, [*args, "--json"])
    if result.exit_code != 0:
        raise RuntimeError(f"postmine {' '.join(args)} exited {result.exit_code}: {result.output}")
    return json.loads(result.stdout)


def cli_outcome(*args: str) -> Any:
    """Exit code and parsed JSON of ``postmine ARGS --json``, or its error text on refusal."""
    from postmine.cli.main import app

    result = CliRunner().invoke(app, [*args, "--json"])
    if result.exit_code == 0:
        return {"exit_code": 0, "json": json.loads(result.stdout)}
    return {"exit_code": result.exit_code, "stderr": result.stderr}


# (method name, examples, variant table) as `postmine calc --list` printed them before issue 17
CALC_METHODS = [
    ("backfill-schedule", ["abaza", "abaza-streams"], None),
    ("complex-deposit", [], "6.1"),
    ("dozer-fleet", ["abaza"], None),
    ("land-use-indicators", ["pr3"], "3.1"),
    ("loader-fleet", ["abaza"], None),
    ("losses-dilution", [], "5.1"),
    ("ore-cutoff", [], "4.1"),
    ("pit-land-allotment", [], "1.2"),
    ("slide-prism", ["abaza"], None),
    ("soil-damage", [], "2.1"),
    ("truck-fleet", ["abaza"], None),
    ("waste-volumes", ["abaza"], None),
]


def _calc_cases() -> Iterator[tuple[str, Callable[[], Any]]]:
    from postmine.data import read_variant_table

    for name, examples, table in CALC_METHODS:
        for example in examples:
            yield (
                f"calc-{name}-example-{example}",
                lambda n=name, e=example: cli_outcome("calc", n, "--example", e),
            )
        if table is None:
            continue
        for row in read_variant_table(table):
            number = row.get("variant")
            if isinstance(number, int):
                yield (
                    f"calc-{name}-variant-{number:02d}",
                    lambda n=name, r=number: cli_outcome("calc", n, "--variant", str(r)),
                )


def _registry_stats() -> dict[str, Any]:
    """002 statistics through the import path, and their aggregates."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/golden.sqlite"
        from postmine.cli.main import app

        runner = CliRunner()
        for args in (
            ["registry", "init", "--db", url],
            ["registry", "import", "sample-statistics", "--db", url, "--keys", f"{tmp}/keys"],
        ):
            result = runner.invoke(app, args)
            assert result.exit_code == 0, result.output
        out = {}
        for by in ("region", "year", "region,year"):
            out[by] = cli_json("registry", "stats", "--of", "statistics", "--by", by, "--db", url)
        return out


def plan_json(example: str) -> Any:
    """``postmine plan --json`` of an example, its file path relative to the checkout."""
    path = EXAMPLES / example / "project.toml"
    result = cli_json("plan", str(path))
    result["meta"]["project_file"] = path.relative_to(ROOT).as_posix()
    return result


def all_cases() -> Iterator[tuple[str, Callable[[], Any]]]:
    yield "plan-abaza", lambda: plan_json("abaza")
    yield "plan-pr1-coal-pit", lambda: plan_json("pr1-coal-pit")
    yield from _calc_cases()
    yield "registry-stats-statistics", _registry_stats
