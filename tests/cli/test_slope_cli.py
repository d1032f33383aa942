"""``postmine slope``: analyse, examples, verify."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from postmine.cli.main import app

runner = CliRunner()


def test_analyse_example_json_matches_the_published_factors(tmp_path: Path) -> None:
    png = tmp_path / "a.png"
    result = runner.invoke(
        app, ["slope", "analyse", "--example", "acads_1a", "--json", "--plot", str(png)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["kind"] == "circular search"
    assert abs(data["factors"]["bishop"] / 0.987 - 1) <= 0.015  # Slide2 verification #1
    assert all(c["passed"] for c in data["reference_checks"])
    assert png.stat().st_size > 10_000


def test_analyse_readable_output_for_a_file(tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_text(
        "format_version = 1\ntitle = 'clay bank'\n[section]\n"
        "ground = [[0.0, 0.0], [10.0, 0.0], [20.0, 10.0], [40.0, 10.0]]\n"
        "[[layers]]\ncohesion_kpa = 30.0\nfriction_angle_deg = 0.0\nunit_weight_kn_m3 = 18.0\n"
        "[surface]\ncentre_x = 12.0\ncentre_y = 22.0\nradius = 22.5\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["slope", "analyse", str(f)])
    assert result.exit_code == 0, result.output
    assert "clay bank" in result.output and "bishop" in result.output


def test_bad_input_exits_2_with_the_field_named(tmp_path: Path) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(
        "format_version = 1\n[section]\nground = [[0.0, 0.0], [10.0, 5.0]]\n"
        "[[layers]]\ncohesion_kpa = 3.0\nfriction_angle_deg = 95.0\nunit_weight_kn_m3 = 20.0\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["slope", "analyse", str(f)])
    assert result.exit_code == 2
    assert "layers.0.friction_angle_deg" in result.output
    result = runner.invoke(app, ["slope", "analyse", "--example", "nope"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["slope", "analyse"])
    assert result.exit_code == 2


def test_examples_lists_the_packaged_problems() -> None:
    result = runner.invoke(app, ["slope", "examples"])
    assert result.exit_code == 0
    assert "acads_1a" in result.output and "griffiths_lane_1999_ex1" in result.output
