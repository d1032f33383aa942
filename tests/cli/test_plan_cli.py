"""``postmine plan`` on the examples: the main job, end to end."""

import json
import tomllib
from pathlib import Path

import pytest
import tomli_w
from typer.testing import CliRunner

from postmine.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
ABAZA = ROOT / "examples" / "abaza" / "project.toml"
PR1 = ROOT / "examples" / "pr1-coal-pit" / "project.toml"

runner = CliRunner()


@pytest.fixture(scope="module")
def abaza_json() -> dict:
    result = runner.invoke(app, ["plan", str(ABAZA), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_abaza_finding_filling_time_against_the_limit(abaza_json):
    (finding,) = [f for f in abaza_json["findings"] if f["code"] == "time-limit-exceeded"]
    assert finding["severity"] == "violation"
    assert finding["value"] == pytest.approx(52.7, abs=0.05)  # 003 sec. 3.1: 27 000 / 512.3
    assert finding["limit"] == 15  # Decree No. 800, п. 28


def test_abaza_calendar_plan_total(abaza_json):
    (plan,) = [t for t in abaza_json["tables"] if t["key"] == "calendar_plan"]
    assert plan["source"].startswith("003 Table 5")
    years = {row["year"] for row in plan["rows"] if isinstance(row["year"], int)}
    assert min(years) == 2022 and max(years) == 2036


def test_abaza_bond_percentiles_and_release(abaza_json):
    cost = abaza_json["cost"]
    p = cost["percentiles_rub"]
    assert set(p) == {"P50", "P80", "P90"}
    assert p["P50"] <= p["P80"] <= p["P90"]
    assert cost["bond_rub"] >= max(cost["liability_by_year_rub"].values()) - 1e-6
    releases = abaza_json["assurance"]["releases"]
    assert releases, "the example has three milestones"
    for r in releases:
        assert r["held_after_rub"] >= r["remaining_liability_rub"] - 1e-6


def test_json_keys_carry_units(abaza_json):
    for line in abaza_json["cost"]["lines"]:
        assert "amount_rub" in line and "unit_rate_rub" in line
    for table in abaza_json["tables"]:
        for col in table["columns"]:
            assert col["key"]


def test_bad_project_file_is_refused_and_no_report_is_written(tmp_path):
    data = tomllib.loads(ABAZA.read_text(encoding="utf-8"))
    data["haulage"]["haul_distanse_km"] = 2.0
    data["waste_streams"][1]["annual_mass_t"] = -1.0
    data["milestones"][0]["release_percent"] = 90
    bad = tmp_path / "bad.toml"
    bad.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    out = tmp_path / "report"
    result = runner.invoke(app, ["plan", str(bad), "--out", str(out)])
    assert result.exit_code == 2
    assert "haulage.haul_distanse_km: unknown field" in result.stderr
    assert "waste_streams.1.annual_mass_t" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_unknown_rule_set_and_language(tmp_path):
    data = tomllib.loads(ABAZA.read_text(encoding="utf-8"))
    data["rules"]["set"] = "ru-999"
    bad = tmp_path / "rules.toml"
    bad.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    result = runner.invoke(app, ["plan", str(bad)])
    assert result.exit_code == 2 and "rules.set" in result.stderr
    result = runner.invoke(app, ["plan", str(ABAZA), "--lang", "de"])
    assert result.exit_code == 2 and "--lang must be one of: en, ru" in result.stderr


def test_readable_summary(abaza_json):
    result = runner.invoke(app, ["plan", str(ABAZA)])
    assert result.exit_code == 0, result.output
    assert "time-limit-exceeded" in result.stdout
    assert "bond" in result.stdout


@pytest.mark.skipif(not PR1.exists(), reason="second example not written yet")
def test_second_example_plans():
    result = runner.invoke(app, ["plan", str(PR1), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["cost"]["bond_rub"] > 0
