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
    in_review = [y for y in cost["liability_years"] if y["in_review"]]
    assert cost["bond_rub"] == pytest.approx(max(y["liability_rub"] for y in in_review), rel=1e-9)
    assert cost["liability_by_year_rub"] == {
        str(y["year"]): y["liability_rub"] for y in cost["liability_years"]
    }
    releases = abaza_json["assurance"]["releases"]
    assert len(releases) == 3, "the example has three milestones"
    # the plan leaves most of the crater open: no milestone is reached, nothing is released
    assert not any(r["reached"] for r in releases)
    for r in releases:
        assert r["year"] is None and r["released_rub"] == 0.0 and r["requires"]
        assert r["held_after_rub"] == pytest.approx(cost["assurance_rub"], rel=1e-12)


def test_abaza_liability_years_serialise_the_state(abaza_json):
    cost = abaza_json["cost"]
    tasks = {t["key"]: t for t in cost["tasks"]}
    assert {"void-fill", "surface-planning", "reclamation-layer"} <= set(tasks)
    years = cost["liability_years"]
    assert [y["year"] for y in years] == sorted(int(y) for y in cost["by_year_rub"])
    for y in years:
        assert set(y["outstanding"]) == set(tasks)
        direct = sum(y["direct_by_task_rub"].values()) + y["mobilisation_rub"]
        assert y["direct_rub"] == pytest.approx(direct, rel=1e-9)
        assert y["liability_rub"] == pytest.approx(
            y["escalation_factor"] * y["direct_rub"] * (1 + y["indirect_percent"] / 100), rel=1e-9
        )
    # 003: 27 000 thousand m³ of crater at the start; the plan leaves 19.3 million m³ open
    assert years[0]["outstanding"]["void-fill"] == pytest.approx(27_000_000, rel=1e-9)
    assert years[-1]["outstanding"]["void-fill"] == pytest.approx(19.3e6, rel=0.005)
    assert cost["assurance_basis"] in {"deterministic", "P80", "P90"}
    assert 0 <= cost["deterministic_percentile"] <= 100


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
    out = result.stdout
    assert "time-limit-exceeded" in out
    assert "bond" in out
    cost = abaza_json["cost"]
    assert "Liability of each year's state" in out
    assert f"{cost['bond_year']}*" in out  # the bond year is marked
    assert "assurance: deterministic bond" in out
    assert f"percentile {cost['deterministic_percentile']:.6g}" in out
    assert out.count("not reached") == 3


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_summary_prints_texts_not_dicts(lang):
    # issue 16: the tables printed {'en': 'Total', 'ru': 'Всего'}
    result = runner.invoke(app, ["plan", str(ABAZA), "--lang", lang])
    assert result.exit_code == 0, result.output
    assert "{'en'" not in result.stdout and "'ru':" not in result.stdout
    total = "Всего" if lang == "ru" else "Total"
    assert total in result.stdout


@pytest.mark.skipif(not PR1.exists(), reason="second example not written yet")
def test_second_example_plans():
    result = runner.invoke(app, ["plan", str(PR1), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["cost"]["bond_rub"] > 0
    releases = doc["assurance"]["releases"]
    assert [r["reached"] for r in releases] == [True, True, True]
    liability = {y["year"]: y["liability_rub"] for y in doc["cost"]["liability_years"]}
    for r in releases:  # what stays held covers the largest liability of every later state
        assert r["state_year"] is not None and r["year"] >= r["state_year"]
        later = max((v for y, v in liability.items() if y > r["year"]), default=0.0)
        assert r["remaining_liability_rub"] == pytest.approx(later, rel=1e-9, abs=1e-6)
        assert r["held_after_rub"] >= r["remaining_liability_rub"] - 1e-6
    assert [r["year"] for r in releases] == [2046, 2047, 2052]
