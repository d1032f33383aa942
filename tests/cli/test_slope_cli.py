"""``postmine slope``: analyse, examples, verify."""

from __future__ import annotations

import json
from pathlib import Path

from scipy.constants import g
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


# -- slope now: F from the latest stored piezometer readings ----------------------------------
WATCHED = """format_version = 1
title = "Watched slope"
[section]
ground = [[20.0, 25.0], [30.0, 25.0], [50.0, 35.0], [70.0, 35.0]]
[[layers]]
cohesion_kpa = 8.0
friction_angle_deg = 30.0
unit_weight_kn_m3 = 20.0
[surface]
centre_x = 30.6
centre_y = 53.0
radius = 28.0
[[piezometers]]
channel = "PZ-01/pore_pressure"
x_m = 40.0
tip_elevation_m = 24.0
[[piezometers]]
channel = "PZ-02"
x_m = 55.0
tip_elevation_m = 28.0
"""
SAME = 1e-12  # the same Bishop F by two routes: rounding only


def _store(tmp_path: Path) -> tuple[str, int, Path]:
    """A SQLite registry: PZ-01 (pore pressure, temperature), PZ-02; two readings each."""
    from datetime import UTC, datetime

    from postmine.db import init_db, session_scope
    from postmine.monitoring.channels import add_channel, add_sensor
    from postmine.monitoring.store import to_us, write_readings
    from postmine.registry.records.sites import insert_site

    url = f"sqlite:///{tmp_path}/registry.sqlite"
    init_db(url)
    with session_scope(url) as session:
        site = insert_site(session, name="Abaza", region="Khakassia")
        pz1 = add_sensor(
            session, site_id=site.id, code="PZ-01", type="piezometer", expected_interval_s=3600
        )
        pz2 = add_sensor(
            session, site_id=site.id, code="PZ-02", type="piezometer", expected_interval_s=3600
        )
        c1 = add_channel(session, pz1, name="pore_pressure", quantity="pore_pressure").id
        add_channel(session, pz1, name="temperature", quantity="temperature")
        c2 = add_channel(session, pz2, name="pore_pressure", quantity="pore_pressure").id
        site_id = site.id
    t0 = to_us(datetime(2025, 5, 1, tzinfo=UTC))
    hour = 3_600_000_000
    write_readings(
        url,
        [
            (c1, t0, 20.0),
            (c1, t0 + hour, 60.0),
            (c2, t0 + 600_000_000, 10.0),
            (c2, t0 + hour, 50.0),
        ],
    )
    section = tmp_path / "watched.toml"
    section.write_text(WATCHED, encoding="utf-8")
    return url, site_id, section


def _direct(p1: float, p2: float) -> float:
    """Bishop F of the two pressures the slow way: a new section with the line, cut again."""
    from postmine.geotech.limit_equilibrium import factor_of_safety
    from postmine.geotech.pore_pressure import head_from_pressure, section_with_piezometers
    from postmine.geotech.section import Section, SoilLayer

    sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(8.0, 30.0, 20.0)])
    heads = [float(head_from_pressure(p1, 24.0)), float(head_from_pressure(p2, 28.0))]
    wet = section_with_piezometers(sec, [40.0, 55.0], heads)
    return factor_of_safety(wet, 30.6, 53.0, 28.0, "bishop", split_at_water=False)  # as the watch


def test_now_prints_the_factor_from_the_latest_readings(tmp_path: Path) -> None:
    url, site_id, section = _store(tmp_path)
    args = ["slope", "now", str(section), "--site", str(site_id), "--db", url]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert abs(data["factor_of_safety"] / _direct(60.0, 50.0) - 1) <= SAME
    pz = data["piezometers"]
    assert pz["PZ-01/pore_pressure"]["reading_time"] == "2025-05-01T01:00:00+00:00"
    assert pz["PZ-02"]["reading"] == 50.0 and pz["PZ-02"]["unit"] == "kPa"
    gamma_w = 1000.0 * g / 1000.0  # ρ_w g, kN/m³ (ρ_w = 1000 kg/m³)
    assert abs(pz["PZ-02"]["head_m"] - (28.0 + 50.0 / gamma_w)) <= 1e-12  # h = z + p/γ_w
    # an earlier time takes the readings at or before it
    result = runner.invoke(app, [*args, "--at", "2025-05-01T00:30:00Z", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert abs(data["factor_of_safety"] / _direct(20.0, 10.0) - 1) <= SAME
    assert data["oldest_reading"] == "2025-05-01T00:00:00+00:00"
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    shown = f"F = {_direct(60.0, 50.0):.3f} (bishop)"
    assert "Watched slope" in result.stdout and shown in result.stdout
    assert "PZ-02" in result.stdout and "01:00:00+00:00" in result.stdout


def test_now_refuses_missing_readings_and_channels(tmp_path: Path) -> None:
    url, site_id, section = _store(tmp_path)
    args = ["slope", "now", str(section), "--site", str(site_id), "--db", url]
    result = runner.invoke(app, [*args, "--at", "2025-05-01T00:05:00Z"])
    assert result.exit_code == 2
    assert "piezometer 'PZ-02'" in result.stderr and "has no reading at or before" in result.stderr
    other = tmp_path / "other.toml"
    other.write_text(WATCHED.replace('"PZ-02"', '"PZ-03"'), encoding="utf-8")
    result = runner.invoke(app, ["slope", "now", str(other), "--site", str(site_id), "--db", url])
    assert result.exit_code == 2
    assert "piezometer 'PZ-03' matches no channel of site" in result.stderr
    result = runner.invoke(app, [*args, "--at", "2025-05-01T00:30"])
    assert result.exit_code == 2 and "--at must be an ISO 8601 time" in result.stderr
    result = runner.invoke(app, [*args, "--method", "sarma"])
    assert result.exit_code == 2 and "--method must be one of" in result.stderr
    bare = tmp_path / "bare.toml"
    bare.write_text(WATCHED.split("[[piezometers]]")[0], encoding="utf-8")
    result = runner.invoke(app, ["slope", "now", str(bare), "--site", str(site_id), "--db", url])
    assert result.exit_code == 2 and "no [[piezometers]]" in result.stderr


# -- slope analyse: search kind, direction, progress ------------------------------------------
BANK = """format_version = 1
title = "clay bank"
[section]
ground = [[0.0, 0.0], [10.0, 0.0], [20.0, 10.0], [40.0, 10.0]]
[[layers]]
cohesion_kpa = 30.0
friction_angle_deg = 0.0
unit_weight_kn_m3 = 18.0
"""
GIVEN_CIRCLE = "[surface]\ncentre_x = 12.0\ncentre_y = 22.0\nradius = 22.5\n"
NONCIRCULAR_SEARCH = (
    '[search]\nkind = "noncircular"\n'
    "centre_x = [8.0, 20.0, 5]\ncentre_y = [12.0, 30.0, 5]\nradius = [10.0, 30.0, 5]\n"
)


def _bank(tmp_path: Path, tail: str) -> Path:
    f = tmp_path / "bank.toml"
    f.write_text(BANK + tail, encoding="utf-8")
    return f


def test_a_search_kind_with_a_fixed_surface_is_refused(tmp_path: Path) -> None:
    f = _bank(tmp_path, GIVEN_CIRCLE)
    for option in ("--noncircular", "--circular"):
        result = runner.invoke(app, ["slope", "analyse", str(f), option])
        assert result.exit_code == 2, result.output
        assert f"{option} chooses the kind of critical-surface search" in result.stderr
        assert "fixed [surface], which is analysed as given" in result.stderr


def test_circular_overrides_a_noncircular_search_of_the_file(tmp_path: Path) -> None:
    f = _bank(tmp_path, NONCIRCULAR_SEARCH)
    result = runner.invoke(app, ["slope", "analyse", str(f), "--circular", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kind"] == "circular search"
    assert data["direction"] == "auto"


def test_direction_is_checked(tmp_path: Path) -> None:
    f = _bank(tmp_path, GIVEN_CIRCLE)
    result = runner.invoke(app, ["slope", "analyse", str(f), "--direction", "up"])
    assert result.exit_code == 2
    assert "--direction must be one of auto, right-to-left, left-to-right, both" in result.stderr
    result = runner.invoke(app, ["slope", "analyse", str(f), "--direction", "right-to-left"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["slope", "analyse", str(f), "--direction", "left-to-right"])
    assert result.exit_code == 2  # the bank rises to the right: its mass moves right to left
    assert "no face whose sliding mass moves left to right" in result.stderr


def test_progress_goes_to_stderr_and_leaves_the_json_clean(tmp_path: Path) -> None:
    f = _bank(tmp_path, NONCIRCULAR_SEARCH)
    args = ["slope", "analyse", str(f), "--circular", "--json"]
    result = runner.invoke(app, [*args, "--progress"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["kind"] == "circular search"
    assert "critical circle search …" in result.stderr
    assert "critical circle search: finished in" in result.stderr
    quiet = runner.invoke(app, args)  # stderr is not a terminal here: no progress by default
    assert quiet.exit_code == 0 and quiet.stderr == ""
