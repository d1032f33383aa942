"""``postmine calc dozer-fleet`` against Tables 14 and 15 of 003."""

import json

import pytest
from numpy.testing import assert_allclose
from pydantic import ValidationError
from typer.testing import CliRunner

from postmine import calc
from postmine.cli.main import app

# Tolerances: half a unit of the last digit 003 prints.
PRISM_TOL_M3 = 0.05  # Vпр = 3,9
WHOLE_SECOND_TOL_S = 0.5  # tд.г = 21, tц = 44
TENTH_SECOND_TOL_S = 0.05  # tд.п = 12,5
LOSS_FACTOR_TOL = 0.005  # Kп = 0,93
ANNUAL_VOLUME_TOL = 0.05  # Vб = 359,9
SHIFT_VOLUME_TOL_M3 = 0.5  # Vсм = 1052
FLEET_TOL = 0.05  # Nр = 0,7
HAND_TOL = 1e-3

DOZER = calc.get("dozer-fleet")


def results(inputs=None):
    _, quantities = DOZER.run(inputs or DOZER.examples["abaza"]())
    return {q.symbol: q for q in quantities}


ABAZA = results()

# Tables 14 and 15 in 003 as printed, for the quantities the code reproduces to the digit
TABLES_14_15 = [
    ("V_пр", 3.9, PRISM_TOL_M3, "003 Table 14"),
    ("t_д.г", 21, WHOLE_SECOND_TOL_S, "003 Table 14"),
    ("t_д.п", 12.5, TENTH_SECOND_TOL_S, "003 Table 14"),
    ("t_ц", 44, WHOLE_SECOND_TOL_S, "003 Table 14"),
    ("K_п", 0.93, LOSS_FACTOR_TOL, "003 Table 14"),
    ("V_б", 359.9, ANNUAL_VOLUME_TOL, "003 Table 15"),
    ("V_см", 1052, SHIFT_VOLUME_TOL_M3, "003 Table 15"),
    ("N_р", 0.7, FLEET_TOL, "003 Table 15"),
]


@pytest.mark.parametrize(("symbol", "printed", "tol", "table"), TABLES_14_15)
def test_tables_14_and_15(symbol, printed, tol, table):
    assert_allclose(ABAZA[symbol].value, printed, atol=tol)
    assert ABAZA[symbol].equation == table


def test_outputs_are_exact_and_say_what_003_prints():
    # 3600 × 3.909125 × 0.925 × 0.8 / (43.928571 × 1.03) = 230.1598 m³/h; × 6.4 = 1473.023
    assert_allclose(ABAZA["П_т"].value, 230.1598, atol=HAND_TOL)
    assert_allclose(ABAZA["П_см"].value, 1473.023, atol=HAND_TOL)
    assert "1479" in ABAZA["П_см"].note and "44 s and 0.93" in ABAZA["П_см"].note
    assert "231" in ABAZA["П_т"].note


def test_fleet():
    # 1052.456 / 1473.023 = 0.714487; × 1.4 = 1.000282
    assert_allclose(ABAZA["N_р"].value, 0.714487, atol=HAND_TOL)
    assert_allclose(ABAZA["N_р·K_р"].value, 1.000282, atol=HAND_TOL)
    assert ABAZA["N_инв"].value == 1  # "Инвентарный парк бульдозеров 1"
    assert "strict ceiling gives 2" in ABAZA["N_инв"].note


def test_catalogue_figures_are_reported():
    assert_allclose(ABAZA["B[T-170]"].value, 3.31)
    assert ABAZA["B[T-170]"].equation == "003 Table 13"
    assert ABAZA["V_д.г[T-170]"].equation == "003 Table 14"
    assert "4.75" in ABAZA["V_пр"].note


def test_a_longer_push_needs_more_dozers():
    inputs = DOZER.examples["abaza"]()
    inputs["push_distance"] = 60.0
    got = results(inputs)
    assert got["N_р"].value > ABAZA["N_р"].value
    # 1 - 0.005 × 60 = 0.7
    assert_allclose(got["K_п"].value, 0.7, atol=1e-12)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.update(bulldozer="SDLG L975F"), "SDLG L975F is a front_loader"),
        (lambda d: d.update(bulldozer="D9"), "equipment must be one of"),
        (lambda d: d.update(material_repose_angle=95), "material_repose_angle"),
        (lambda d: d.update(push_distance=-15), "push_distance"),
        (lambda d: d.update(dozed_fraction=1.5), "dozed_fraction"),
        (lambda d: d.update(reserve_factor=0.5), "reserve_factor"),
        (lambda d: d.update(streams=[]), "streams"),
    ],
)
def test_bad_inputs_are_refused(change, match):
    inputs = DOZER.examples["abaza"]()
    change(inputs)
    with pytest.raises(ValidationError, match=match):
        DOZER.run(inputs)


def test_push_longer_than_the_prism_lasts():
    inputs = DOZER.examples["abaza"]()
    inputs["push_distance"] = 250.0
    with pytest.raises(ValueError, match="push_distance must be < 1 / loss_rate"):
        DOZER.run(inputs)


runner = CliRunner()


def test_cli_json():
    result = runner.invoke(app, ["calc", "dozer-fleet", "--example", "abaza", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    by_symbol = {r["symbol"]: r for r in doc["results"]}
    assert by_symbol["N_инв"]["value"] == 1
    assert_allclose(by_symbol["V_пр"]["value"], 3.9, atol=PRISM_TOL_M3)


def test_cli_bad_input(tmp_path):
    inputs = DOZER.examples["abaza"]()
    inputs["utilisation"] = 1.3
    path = tmp_path / "dozer.json"
    path.write_text(json.dumps(inputs))
    result = runner.invoke(app, ["calc", "dozer-fleet", "--input", str(path)])
    assert result.exit_code == 2
    assert "utilisation" in result.stderr and "1.3" in result.stderr
    assert "Traceback" not in result.output
