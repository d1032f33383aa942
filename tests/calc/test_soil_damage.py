"""``postmine calc soil-damage`` (004, practical work 2): quantities and CLI."""

import json

import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from postmine.calc import get
from postmine.cli.main import app

runner = CliRunner()
CALC = get("soil-damage")
HAND_RTOL = 5e-6  # hand arithmetic carried to 6 significant digits

# Variant 1 of Table 2.1 (m_п = 0.5 m from Table 1.2), by hand (see also
# tests/methods/test_soil_damage.py):
# N_пот = 5 + 1 + 2.5 + 2.5 + 5 = 16 %; S = 50 x 640 / 10⁴ = 3.2 ha/year;
# V_прс = 50 x 640 x 0.5 x 1.1 = 17 600 m³; V_п = 0.16 x 17 600 = 2816 m³;
# B_i = 0.08 x 17 600 = 1408 m³; K_р = 1408 / 14 784 = 0.0952381;
# У_пп = 10⁴ x 0.16 x 3.2 x 0.5 x 350 = 896 000 rub/year;
# K_а = (0.357143 + 0.87 + 0.666667 + 0.742857) / 4 = 0.659167; K_б = 1 - 68/360 = 0.811111;
# У_нцп = 125 000 x 0.811111 x 0.659167 x 0.0952381 x 3.2 = 20 367.9 rub/year;
# У_нп = 896 000 + 20 367.9 = 916 367.9 rub/year.
VARIANT_1 = [
    # symbol, value, unit, equation
    ("N_пот", 16.0, "%", "2.1"),
    ("S", 3.2, "ha/year", "2.2, 2.6"),
    ("V_прс", 17_600.0, "m³/year", "2.2"),
    ("V_п", 2816.0, "m³/year", "2.4"),
    ("B_i", 1408.0, "m³/year", "2.5"),
    ("K_р", 0.0952381, "", "2.3"),
    ("У_пп", 896_000.0, "rub/year", "2.6"),
    ("K_и[pH]", 0.642857, "", "2.10"),
    ("K_а[pH]", 0.357143, "", "2.9"),
    ("K_а[N]", 0.87, "", "2.9"),
    ("K_а[P]", 0.666667, "", "2.9"),
    ("K_а[K]", 0.742857, "", "2.9"),
    ("K_а", 0.659167, "", "2.8"),
    ("K_б", 0.811111, "", "2.11"),
    ("У_нцп", 20_367.9, "rub/year", "2.7"),
    ("У_нп", 916_367.9, "rub/year", "2.12"),
]


def _by_symbol(results):
    return {q.symbol: q for q in results}


@pytest.mark.parametrize(("symbol", "value", "unit", "equation"), VARIANT_1)
def test_variant_1_by_hand(symbol, value, unit, equation):
    from postmine.data import variant_row

    _, results = CALC.run(CALC.from_variant(variant_row("2.1", 1)))
    q = _by_symbol(results)[symbol]
    assert_allclose(q.value, value, rtol=HAND_RTOL)
    assert q.unit == unit and q.equation == equation


def test_every_equation_is_reported():
    from postmine.data import variant_row

    _, results = CALC.run(CALC.from_variant(variant_row("2.1", 2)))
    equations = {e.strip() for q in results for e in q.equation.split(",")}
    assert equations >= {f"2.{i}" for i in range(1, 13)}


def test_variant_2_total_by_hand():
    # У_пп = 10⁴ x 0.16 x 10.45 x 0.6 x 350 = 3 511 200;
    # У_нцп = 125 000 x 0.852941 x 0.446383 x 0.0952381 x 10.45 = 47 365.7;
    # У_нп = 3 558 565.7 rub/year
    from postmine.data import variant_row

    _, results = CALC.run(CALC.from_variant(variant_row("2.1", 2)))
    assert_allclose(_by_symbol(results)["У_нп"].value, 3_558_565.7, rtol=HAND_RTOL)


def test_cli_variant_1_json():
    result = runner.invoke(app, ["calc", "soil-damage", "--variant", "1", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["method"] == "soil-damage"
    assert doc["inputs"]["topsoil_thickness"] == pytest.approx(0.5)
    values = {r["symbol"]: r["value"] for r in doc["results"]}
    assert values["У_нп"] == pytest.approx(916_367.9, rel=HAND_RTOL)


def test_cli_readable_table():
    result = runner.invoke(app, ["calc", "soil-damage", "--variant", "3"])
    assert result.exit_code == 0, result.output
    assert "У_нцп" in result.stdout and "rub/year" in result.stdout


def _inputs(**changes):
    from postmine.data import variant_row

    inputs = CALC.from_variant(variant_row("2.1", 1))
    inputs.update(changes)
    return inputs


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"weather_loss": 0.08}, "must be in [0, 0.17], got 0.19"),
        ({"ph_disturbed": 7.5}, "disturbed must be <= undisturbed"),
        ({"humus_disturbed": 9.0, "humus_depth_disturbed": 45.0}, "G_н L_н must be <= G_0 L_0"),
        ({"soil_price": -350.0}, "soil_price"),
        ({"removal_loss": 1.0}, "removal_loss"),
        ({"topsoil_thickness": 0.0}, "topsoil_thickness"),
    ],
)
def test_cli_bad_input_exits_2(tmp_path, changes, message):
    path = tmp_path / "soil.json"
    path.write_text(json.dumps(_inputs(**changes)))
    result = runner.invoke(app, ["calc", "soil-damage", "--input", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_missing_variant_exits_2():
    result = runner.invoke(app, ["calc", "soil-damage", "--variant", "22"])
    assert result.exit_code == 2
    assert "variant must be in 1..21 for Table 2.1 of 004, got 22" in result.stderr
