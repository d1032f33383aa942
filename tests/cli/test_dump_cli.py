"""``postmine dump design``: one design, the trade-off table, the plot and the refusals.

The chain behind it (:mod:`postmine.chains.dump`) is tested in tests/chains/test_dump.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from postmine.chains.dump import design_dump
from postmine.chains.dump_stability import Material
from postmine.cli.dump import dump_app

FAST = 5  # grid points of the circle search: these tests do not measure the search
ROCK = Material(20.0, 30.0, 19.0, "overburden")

# -- CLI: postmine dump design -----------------------------------------------------------------
runner = CliRunner()
BASE_ARGS = ["design", "--volume", "2e6", "--cohesion", "20", "--friction-angle", "30",
             "--unit-weight", "19", "--grid-points", str(FAST)]  # fmt: skip


def test_cli_design_one_height() -> None:
    result = runner.invoke(dump_app, [*BASE_ARGS, "--height", "20"])
    assert result.exit_code == 0, result.output
    assert "bottom-up" in result.output
    assert re.search(r"footprint", result.output)


def test_cli_design_json_matches_the_api() -> None:
    result = runner.invoke(dump_app, [*BASE_ARGS, "--height", "20", "--scheme", "top-down",
                                      "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    d = design_dump(2.0e6, "circle", ROCK, height=20.0, scheme="top-down", grid_points=FAST)
    assert data["design"]["scheme"] == "top-down"
    assert_allclose(data["design"]["footprint_area_m2"], d.footprint_area_m2, rtol=1e-12)
    assert_allclose(
        data["design"]["stability"]["flattened"]["factor_bishop"], d.final.factor_bishop, rtol=1e-9
    )
    assert data["table"] is None


def test_cli_height_range_gives_the_table(tmp_path: Path) -> None:
    png = tmp_path / "dump.png"
    result = runner.invoke(
        dump_app,
        [
            *BASE_ARGS,
            "--height-range",
            "15:45:3",
            "--required-factor",
            "1.6",
            "--json",
            "--plot",
            str(png),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [r["height_m"] for r in data["table"] if r["scheme"] == "top-down"] == [15, 30, 45]
    assert data["design"]["factor"] >= 1.6
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_cli_rich_table_and_refusal() -> None:
    ok = runner.invoke(dump_app, [*BASE_ARGS, "--height-range", "15:45:3"])
    assert ok.exit_code == 0, ok.output
    assert "trade-off" in ok.output
    refused = runner.invoke(
        dump_app, [*BASE_ARGS, "--height-range", "20:30:2", "--required-factor", "10"]
    )
    assert refused.exit_code == 2
    assert re.search(r"error: no candidate dump reaches .* best is \d\.\d{3}", refused.stderr)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "give exactly one of --height or --height-range"),
        (["--height", "20", "--height-range", "10:20:2"], "give exactly one of --height"),
        (["--height-range", "10:20"], "--height-range must be FROM:TO:COUNT"),
        (["--height-range", "20:10:1"], "--height-range must be FROM:TO:COUNT"),
        (["--height", "-5"], "height must be > 0 m, got -5"),
        (["--height", "20", "--shape", "oval"], "shape must be one of"),
        (["--height", "20", "--foundation-cohesion", "5"], "give --foundation-cohesion,"),
    ],
)
def test_cli_errors_exit_2(extra: list[str], message: str) -> None:
    result = runner.invoke(dump_app, [*BASE_ARGS, *extra])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
