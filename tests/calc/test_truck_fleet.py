"""``postmine calc truck-fleet`` against Tables 11 and 12 of 003."""

import json

import pytest
from numpy.testing import assert_allclose
from pydantic import ValidationError
from typer.testing import CliRunner

from postmine import calc
from postmine.cli.main import app

VOLUME_PER_TRUCK_TOL_M3 = 0.05  # Table 11 prints Vаф with one decimal
TIME_TOL_MIN = 0.05  # Table 11 prints times with one decimal
SHIFT_OUTPUT_TOL_M3 = 0.5  # Table 11 prints Нв in whole m³/shift
ANNUAL_VOLUME_TOL = 0.05  # Table 12 prints Vг in thousand m³ with one decimal
SHIFT_VOLUME_TOL_M3 = 0.5  # Table 12 prints Vсм in whole m³/shift
FLEET_TOL = 0.05  # Table 12 prints Nа and Nсп with one decimal
HAND_TOL = 1e-3

TRUCKS = calc.get("truck-fleet")


def results(inputs=None):
    _, quantities = TRUCKS.run(inputs or TRUCKS.examples["abaza"]())
    return {q.symbol: q for q in quantities}


ABAZA = results()
KEYS = (
    "[waste rock, BelAZ-75404]",
    "[waste rock, KamAZ-6520]",
    "[tailings, BelAZ-75404]",  # printed "БелАЗ-75405" in 003
    "[tailings, KamAZ-6520]",
)

# Tables 11 and 12 in 003, rows as printed, columns rock BelAZ | rock KamAZ |
# tailings "БелАЗ-75405" | tailings KamAZ
TABLES_11_12 = [
    ("V_аф", [9.7, 6.5, 13.9, 9.2], VOLUME_PER_TRUCK_TOL_M3, "003 Table 11"),
    ("t_п", [2.3, 1.5, 2.3, 1.5], TIME_TOL_MIN, "003 Table 11"),
    ("t_об", [15.7, 14.9, 15.7, 14.9], TIME_TOL_MIN, "003 Table 11"),
    ("Н_в", [260, 182, 372, 260], SHIFT_OUTPUT_TOL_M3, "003 Table 11"),
    ("V_г", [28.9, 20.2, 273.6, 191.5], ANNUAL_VOLUME_TOL, "003 Table 12"),
    ("V_см", [84, 59, 800, 560], SHIFT_VOLUME_TOL_M3, "003 Table 12"),
    ("N_а", [0.3, 0.3, 2.2, 2.2], FLEET_TOL, "003 Table 12"),
    ("N_сп", [0.4, 0.4, 2.5, 2.5], FLEET_TOL, "003 Table 12"),
]


@pytest.mark.parametrize(("symbol", "printed", "tol", "table"), TABLES_11_12)
def test_tables_11_and_12(symbol, printed, tol, table):
    values = [ABAZA[f"{symbol}{key}"].value for key in KEYS]
    assert_allclose(values, printed, atol=tol)
    assert ABAZA[f"{symbol}{KEYS[0]}"].equation == table


def test_table_11_travel_time_and_cycles():
    assert_allclose(ABAZA["t_о"].value, 10.9, atol=TIME_TOL_MIN)
    assert [ABAZA[f"n_ц{key}"].value for key in KEYS] == [3, 2, 3, 2]


def test_table_12_fleet_per_model_and_total():
    # 0.3821 + 2.5314 = 2.9135 listed trucks of each model -> 3 + 3 = 6
    for model in ("BelAZ-75404", "KamAZ-6520"):
        assert_allclose(ABAZA[f"ΣN_сп[{model}]"].value, 2.9135, atol=HAND_TOL)
        assert ABAZA[f"N_сп[{model}]"].value == 3
    assert ABAZA["N_сп"].value == 6  # "Итого парк автосамосвалов 6"; Table 6: 3 + 3
    assert "Nа / kтг" in ABAZA[f"N_сп{KEYS[0]}"].note


def test_given_volume_shares_replace_the_split():
    inputs = TRUCKS.examples["abaza"]()
    for truck, share in zip(inputs["streams"][0]["trucks"], [0.6, 0.4], strict=True):
        truck["volume_share"] = share
    got = results(inputs)
    # 0.6 × 49.1 = 29.46 and 0.4 × 49.1 = 19.64 thousand m³
    assert_allclose(got[f"V_г{KEYS[0]}"].value, 29.46, atol=HAND_TOL)
    assert_allclose(got[f"V_г{KEYS[1]}"].value, 19.64, atol=HAND_TOL)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.update(loader="BelAZ-75404"), "BelAZ-75404 is a truck, not a FrontLoader"),
        (lambda d: d["streams"][0]["trucks"][0].update(truck="CAT 777"), "equipment must be"),
        (lambda d: d.update(haul_distance=-2.0), "haul_distance"),
        (lambda d: d.update(technical_availability=0), "technical_availability"),
        (
            lambda d: d["streams"][0]["trucks"][0].update(volume_share=1.0),
            "give volume_share for every truck model or for none",
        ),
        (
            lambda d: [t.update(volume_share=0.3) for t in d["streams"][0]["trucks"]],
            "must sum to 1, got 0.6",
        ),
        (
            lambda d: d["streams"][0]["trucks"].append({"truck": "КамАЗ-6520"}),
            "lists a truck model twice",
        ),
    ],
)
def test_bad_inputs_are_refused(change, match):
    inputs = TRUCKS.examples["abaza"]()
    change(inputs)
    with pytest.raises(ValidationError, match=match):
        TRUCKS.run(inputs)


def test_lost_time_longer_than_the_shift():
    inputs = TRUCKS.examples["abaza"]()
    inputs["shift_duration"] = 1.0
    with pytest.raises(ValueError, match="must be < shift_duration"):
        TRUCKS.run(inputs)


runner = CliRunner()


def test_cli_json():
    result = runner.invoke(app, ["calc", "truck-fleet", "--example", "abaza", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["method"] == "truck-fleet"
    assert doc["source"].startswith("003")
    by_symbol = {r["symbol"]: r for r in doc["results"]}
    assert by_symbol["N_сп"]["value"] == 6
    assert by_symbol["N_сп"]["equation"] == "003 Table 12"
    assert_allclose(by_symbol[f"Н_в{KEYS[2]}"]["value"], 372, atol=SHIFT_OUTPUT_TOL_M3)


def test_cli_bad_input(tmp_path):
    path = tmp_path / "trucks.toml"
    inputs = TRUCKS.examples["abaza"]()
    inputs["average_speed"] = 0
    lines = [f"{k} = {json.dumps(v)}" for k, v in inputs.items() if k != "streams"]
    path.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["calc", "truck-fleet", "--input", str(path)])
    assert result.exit_code == 2
    assert "average_speed" in result.stderr
    assert "Traceback" not in result.output
