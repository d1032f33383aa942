"""``postmine calc backfill-schedule`` against 003 sections 3.1-3.3 and Table 5."""

import json

import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from postmine import calc
from postmine.calc.backfill_schedule import abaza_example, abaza_streams_example
from postmine.cli.main import app

runner = CliRunner()

PLAN_TOL_K = 0.05  # Table 5 prints volumes to 0.1 thousand m³
# Table 5 prints 274.1 / 280.2 for 2029 (and totals 4154.2 / 4160.3) where the proportion
# 253.4 x 554.3 / 512.3 gives 274.17 / 280.13: the source rounds 274.17 down.
SPLIT_TOL_K = 0.08
TIME_TOL_YEARS = 0.05  # 52.7 years, one decimal
PLANNING_TOL_K = 0.5  # section 3.2 prints "17 тыс. м3"
LAYER_TOL_M = 0.0005  # hand arithmetic to 3 decimals
# With the annual volume summed from the unrounded streams (512.27955 instead of the printed
# 512.3), the 15-year total is 15 x 512.27955 = 7684.19: 0.31 below the printed 7684.5.
STREAMS_TOL_K = 0.35

# Table 5 in 003 (thousand m³); None is a blank cell.
# year, +650 placed, +650 in dump, +680 placed, +680 in dump, total placed, total in dump
TABLE_5 = [
    (2022, 554.3, 512.3, None, None, 554.3, 512.3),
    (2023, 554.3, 512.3, None, None, 554.3, 512.3),
    (2024, 554.3, 512.3, None, None, 554.3, 512.3),
    (2025, 554.3, 512.3, None, None, 554.3, 512.3),
    (2026, 554.3, 512.3, None, None, 554.3, 512.3),
    (2027, 554.3, 512.3, None, None, 554.3, 512.3),
    (2028, 554.3, 512.3, None, None, 554.3, 512.3),
    (2029, 274.1, 253.4, 280.2, 258.9, 554.3, 512.3),
    (2030, None, None, 554.3, 512.3, 554.3, 512.3),
    (2031, None, None, 554.3, 512.3, 554.3, 512.3),
    (2032, None, None, 554.3, 512.3, 554.3, 512.3),
    (2033, None, None, 554.3, 512.3, 554.3, 512.3),
    (2034, None, None, 554.3, 512.3, 554.3, 512.3),
    (2035, None, None, 554.3, 512.3, 554.3, 512.3),
    (2036, None, None, 554.3, 512.3, 554.3, 512.3),
]


def results(inputs=None):
    _, out = calc.get("backfill-schedule").run(inputs or abaza_example())
    return {q.symbol: q for q in out}


def _v(x):
    return 0.0 if x is None else x


@pytest.mark.parametrize(("year", "p650", "d650", "p680", "d680", "p_all", "d_all"), TABLE_5)
def test_every_cell_of_table_5(year, p650, d650, p680, d680, p_all, d_all):
    r = results()
    placed_tol = SPLIT_TOL_K if year == 2029 else PLAN_TOL_K
    assert_allclose(r[f"V_отв[+650, {year}]"].value, _v(d650), atol=PLAN_TOL_K)
    assert_allclose(r[f"V_отв[+680, {year}]"].value, _v(d680), atol=PLAN_TOL_K)
    assert_allclose(r[f"V_р[+650, {year}]"].value, _v(p650), atol=placed_tol)
    assert_allclose(r[f"V_р[+680, {year}]"].value, _v(p680), atol=placed_tol)
    assert_allclose(r[f"ΣV_отв[{year}]"].value, d_all, atol=PLAN_TOL_K)
    assert_allclose(r[f"ΣV_р[{year}]"].value, p_all, atol=PLAN_TOL_K)
    assert r[f"V_отв[+650, {year}]"].unit == "thousand m³"
    if year == 2029:
        assert "274.1" in r["V_р[+650, 2029]"].note


def test_table_5_totals_and_findings():
    r = results()
    assert_allclose(r["ΣV_отв[+650]"].value, 3839.5, atol=PLAN_TOL_K)
    assert_allclose(r["ΣV_отв[+680]"].value, 3845.0, atol=PLAN_TOL_K)
    assert_allclose(r["ΣV_р[+650]"].value, 4154.2, atol=SPLIT_TOL_K)
    assert_allclose(r["ΣV_р[+680]"].value, 4160.3, atol=SPLIT_TOL_K)
    assert_allclose(r["ΣV_отв"].value, 7684.5, atol=PLAN_TOL_K)
    assert_allclose(r["ΣV_р"].value, 8314.5, atol=PLAN_TOL_K)
    # 27 000 - 7684.5 = 19 315.5 thousand m³ stay unfilled after 15 years
    assert_allclose(r["V_ост.н"].value, 19_315.5, atol=PLAN_TOL_K)
    assert r["T_з > T_пр"].value is True
    assert r["T_яр[+650]"].value == 2029
    assert r["full[+650]"].value is True and r["full[+680]"].value is False
    assert "T_яр[+680]" not in r
    # capacities: +650 as Table 5 gives it, +680 the rest (27 000 - 3839.5 = 23 160.5)
    assert_allclose(r["V_яр[+650]"].value, 3839.5, atol=PLAN_TOL_K)
    assert_allclose(r["V_яр[+680]"].value, 23_160.5, atol=PLAN_TOL_K)


def test_filling_time():
    r = results()
    assert_allclose(r["T_з"].value, 52.7, atol=TIME_TOL_YEARS)
    assert r["⌈T_з⌉"].value == 53  # "53 года" in section 3.1


def test_planning_and_layer():
    r = results()
    # 0.1 m³/m² x 166 thousand m² = 16.6, printed as 17 thousand m³
    assert_allclose(r["V_пл"].value, 17.0, atol=PLANNING_TOL_K)
    assert_allclose(r["V_пл"].value, 16.6, rtol=1e-12)
    # 0.3 m x 463 thousand m² = 138.9 thousand m³; 156 / 463 = 0.337 m >= 0.3 m
    assert_allclose(r["V_рс"].value, 138.9, rtol=1e-12)
    assert_allclose(r["V_ППП"].value, 156.0, rtol=0)
    assert_allclose(r["h_ППП"].value, 0.337, atol=LAYER_TOL_M)
    assert r["h_ППП ≥ h_рс"].value is True


def test_surface_volumes_are_optional():
    inputs = abaza_example()
    for key in ("planning_area", "layer_area", "imported_layer_volume"):
        del inputs[key]
    r = results(inputs)
    assert not {"V_пл", "V_рс", "h_ППП"} & set(r)
    assert_allclose(r["ΣV_отв"].value, 7684.5, atol=PLAN_TOL_K)


def test_streams_example():
    r = results(abaza_streams_example())
    # A = 512.27955 by hand (see tests/methods/test_backfill.py): 2029 splits into
    # 3839.5 - 7 A = 253.54 and 8 A - 3839.5 = 258.74
    a = 53.05263 + 422.83298 + 2.15152 + 34.24242
    assert_allclose(r["V_отв.г"].value, a, atol=2e-5)
    assert_allclose(r["V_отв[+650, 2029]"].value, 3839.5 - 7 * a, atol=2e-4)
    assert_allclose(r["V_отв[+680, 2029]"].value, 8 * a - 3839.5, atol=2e-4)
    assert_allclose(r["V_отв[+650, 2029]"].value, 253.4, atol=STREAMS_TOL_K)
    assert_allclose(r["ΣV_отв"].value, 7684.5, atol=STREAMS_TOL_K)
    assert_allclose(r["T_з"].value, 52.7, atol=TIME_TOL_YEARS)
    assert r["T_з > T_пр"].value is True
    assert "512.3" in r["V_отв.г"].note


def test_a_void_filled_within_the_limit():
    inputs = {
        "remaining_capacity": 5000.0,
        "tiers": [{"elevation": 100, "capacity": 3000.0}, {"elevation": 130}],
        "start_year": 2030,
        "max_years": 15,
        "annual_dump_volume": 1000.0,
        "annual_placed_volume": 1100.0,
    }
    r = results(inputs)
    assert r["T_з > T_пр"].value is False
    assert r["T_яр[+100]"].value == 2032 and r["T_яр[+130]"].value == 2034
    assert "V_отв[+100, 2035]" not in r  # the plan ends when the void is full
    assert_allclose(r["V_ост.н"].value, 0.0, atol=1e-12)
    assert_allclose(r["ΣV_р"].value, 5.5, rtol=1e-12)  # 5000 x 1.1 m³ = 5.5 thousand m³


def test_cli_json():
    result = runner.invoke(app, ["calc", "backfill-schedule", "--example", "abaza", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["method"] == "backfill-schedule"
    assert doc["inputs"]["max_years"] == 15
    values = {q["symbol"]: q["value"] for q in doc["results"]}
    assert values["ΣV_отв"] == pytest.approx(7684.5, abs=PLAN_TOL_K)
    assert values["T_з > T_пр"] is True


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.update(max_years=0), "max_years"),
        (lambda d: d["tiers"][1].update(capacity=1.0e6), "omit the capacity of the highest"),
        (lambda d: d["tiers"][0].update(capacity=None), "needs a capacity; missing for ['+650']"),
        (
            lambda d: d["tiers"][0].update(capacity=30.0e6),
            "tiers: lower_tier_capacity must sum to less than",
        ),
        (lambda d: d["tiers"][1].update(elevation=600), "bottom-up with rising elevations"),
        (lambda d: d.update(waste_streams=abaza_streams_example()["waste_streams"]), "not both"),
        (lambda d: d.pop("annual_placed_volume"), "together, or waste_streams"),
        (lambda d: d.update(layer_thickness=0.2), "thickness must be >= 0.3 m, got 0.2"),
        (lambda d: d.pop("layer_area"), "imported_layer_volume needs layer_area"),
        (lambda d: d.update(annual_dump_volume=-1.0), "annual_dump_volume"),
    ],
)
def test_cli_bad_input_exits_2(tmp_path, change, match):
    inputs = abaza_example()
    change(inputs)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(inputs))
    result = runner.invoke(app, ["calc", "backfill-schedule", "--input", str(path)])
    assert result.exit_code == 2
    assert match in result.stderr
    assert "Traceback" not in result.output
