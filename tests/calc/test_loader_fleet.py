"""``postmine calc loader-fleet`` against Tables 8 and 9 of 003."""

import json

import pytest
from numpy.testing import assert_allclose
from pydantic import ValidationError
from typer.testing import CliRunner

from postmine import calc
from postmine.cli.main import app

BUCKET_COUNT_TOL = 0.05  # Table 8 prints nк with one decimal
VOLUME_PER_TRUCK_TOL_M3 = 0.05  # Table 8 prints Vаф with one decimal
SHIFT_OUTPUT_TOL_M3 = 0.5  # Table 8 prints Qэ in whole m³/shift
FLEET_TOL = 0.05  # Table 9 prints Nсп with one decimal
# Table 8 truncates Qэсв to whole m³/shift: the exact value is in [printed, printed + 1).
WEIGHTED_TRUNCATION_STEP = 1.0
HAND_TOL = 1e-3

LOADER = calc.get("loader-fleet")


def results(inputs=None):
    _, quantities = LOADER.run(inputs or LOADER.examples["abaza"]())
    return {q.symbol: q for q in quantities}


ABAZA = results()

ROCK_B, ROCK_K = "[waste rock, BelAZ-75404]", "[waste rock, KamAZ-6520]"
TAIL_B, TAIL_K = "[tailings, BelAZ-75404]", "[tailings, KamAZ-6520]"

# Table 8 in 003, rows as printed, columns rock BelAZ | rock KamAZ | tailings "БелАЗ-75405"
# | tailings KamAZ
TABLE_8 = [
    ("n_к(q)", [3.3, 2.2, 3.0, 2.0], BUCKET_COUNT_TOL),
    ("n_к(V)", [3.9, 3.1, 3.6, 2.9], BUCKET_COUNT_TOL),
    ("V_аф", [9.7, 6.5, 13.9, 9.2], VOLUME_PER_TRUCK_TOL_M3),
    ("Q_э", [1340, 1198, 1917, 1714], SHIFT_OUTPUT_TOL_M3),
]


@pytest.mark.parametrize(("symbol", "printed", "tol"), TABLE_8)
def test_table_8(symbol, printed, tol):
    values = [ABAZA[f"{symbol}{key}"].value for key in (ROCK_B, ROCK_K, TAIL_B, TAIL_K)]
    assert_allclose(values, printed, atol=tol)
    assert ABAZA[f"{symbol}{ROCK_B}"].equation == "003 Table 8"


def test_table_8_accepted_cycles_are_whole():
    cycles = [ABAZA[f"n_ц{key}"].value for key in (ROCK_B, ROCK_K, TAIL_B, TAIL_K)]
    assert cycles == [3, 2, 3, 2]
    assert all(isinstance(c, int) for c in cycles)


def test_table_8_weighted_and_annual_output():
    weighted = [ABAZA["Q_эсв[waste rock]"].value, ABAZA["Q_эсв[tailings]"].value]
    # printed 1283 and 1835, truncated from 1283.63 and 1835.59
    assert_allclose(weighted, [1283.5, 1835.5], atol=WEIGHTED_TRUNCATION_STEP / 2)
    assert "truncated" in ABAZA["Q_эсв[waste rock]"].note
    # exact annual outputs: 1283.626 × 295 = 378.670; 1835.585 × 295 = 541.498 thousand m³
    # (003 prints 378.4 and 541.3 from the truncated figures: see tests/methods/test_haulage.py)
    annual = [ABAZA["Q_гсв[waste rock]"].value, ABAZA["Q_гсв[tailings]"].value]
    assert_allclose(annual, [378.670, 541.498], atol=HAND_TOL)
    assert ABAZA["Q_гсв[tailings]"].unit == "thousand m³/year"


def test_table_9():
    assert_allclose(ABAZA["N_сп[waste rock]"].value, 0.1, atol=FLEET_TOL)
    assert_allclose(ABAZA["N_сп[tailings]"].value, 0.9, atol=FLEET_TOL)
    assert_allclose(ABAZA["ΣN_сп"].value, 0.98858, atol=HAND_TOL)
    assert ABAZA["N_сп"].value == 1  # "Итого парк погрузчиков 1"
    assert ABAZA["N_сп"].equation == "003 Table 9"


def test_catalogue_figures_are_reported_with_their_source():
    assert_allclose(ABAZA["V_п[SDLG L975F]"].value, 4.2)
    assert ABAZA["V_п[SDLG L975F]"].equation == "003 Table 7"
    assert ABAZA["T_ц[SDLG L975F]"].equation == "003 Table 8"
    assert ABAZA["q_а[BelAZ-75404]"].equation == "003 Table 10"


def test_aliases_resolve_to_catalogue_names():
    inputs = LOADER.examples["abaza"]()
    inputs["streams"][0]["trucks"][0]["truck"] = "БелАЗ-75404"
    assert f"Q_э{ROCK_B}" in results(inputs)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.update(loader="CAT 980"), "equipment must be one of: SDLG L975F"),
        (lambda d: d.update(loader="T-170"), "T-170 is a bulldozer, not a FrontLoader"),
        (lambda d: d.update(utilisation=1.2), "utilisation"),
        (lambda d: d["streams"][0]["trucks"][0].update(share=0.5), "must sum to 1, got 0.9"),
        (lambda d: d["streams"][0]["trucks"][0].update(truck="БелАЗ-75405"), "75405"),
        (lambda d: d["streams"][1].update(name="waste rock"), "stream names must be unique"),
        (lambda d: d["streams"][0].update(bulk_density=0), "bulk_density"),
    ],
)
def test_bad_inputs_are_refused(change, match):
    inputs = LOADER.examples["abaza"]()
    change(inputs)
    with pytest.raises(ValidationError, match=match):
        LOADER.run(inputs)


def test_a_bucket_too_large_is_a_value_error():
    inputs = LOADER.examples["abaza"]()
    inputs["streams"][0]["bulk_density"] = 20.0  # one bucket weighs 65 t
    with pytest.raises(ValueError, match="bucket is too large for the truck"):
        LOADER.run(inputs)


runner = CliRunner()


def test_cli_json():
    result = runner.invoke(app, ["calc", "loader-fleet", "--example", "abaza", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["method"] == "loader-fleet"
    by_symbol = {r["symbol"]: r for r in doc["results"]}
    assert by_symbol["N_сп"]["value"] == 1
    assert_allclose(by_symbol[f"Q_э{TAIL_B}"]["value"], 1917, atol=SHIFT_OUTPUT_TOL_M3)


def test_cli_bad_input(tmp_path):
    inputs = LOADER.examples["abaza"]()
    inputs["streams"][0]["trucks"][1]["share"] = 0.3
    path = tmp_path / "loader.json"
    path.write_text(json.dumps(inputs))
    result = runner.invoke(app, ["calc", "loader-fleet", "--input", str(path)])
    assert result.exit_code == 2
    assert "must sum to 1" in result.stderr
    assert "Traceback" not in result.output
