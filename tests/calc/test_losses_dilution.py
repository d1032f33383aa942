"""``postmine calc losses-dilution`` (004, practical work 5, Table 5.1)."""

import json

import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from postmine.calc.losses_dilution import LOSSES_DILUTION
from postmine.cli.main import app
from postmine.data import variant_row

runner = CliRunner()

# Hand computation of variant 20 (see tests/methods/test_losses_dilution.py for the
# arithmetic), in the source's units: П and Р in %, a_д in %, С_м in rub/t.
HAND_RTOL = 5e-6
HAND = {
    "П[А]": -0.350877,
    "П[Б]": 0.131579,
    "П[В]": 0.350877,
    "a_д[А]": 2.1383178,
    "a_д[Б]": 2.3353846,
    "a_д[В]": 2.3422680,
    "Р[А]": 10.90343,
    "Р[Б]": 2.69231,
    "Р[В]": 2.40550,
    "р[В]": 0.0240550,
    "K_к[В]": 0.9759450,
    "С_м[А]": 397.50874,
    "С_м[Б]": 363.96574,
    "С_м[В]": 362.89613,
}


def by_symbol(results):
    return {q.symbol: q for q in results}


def test_variant_20_reports_every_quantity_per_scheme():
    _, results = LOSSES_DILUTION.run(LOSSES_DILUTION.from_variant(variant_row("5.1", 20)))
    q = by_symbol(results)
    for symbol, value in HAND.items():
        assert_allclose(q[symbol].value, value, rtol=HAND_RTOL, err_msg=symbol)
    for scheme in "АБВ":
        for symbol, eq, unit in [
            ("П", "5.1", "%"),
            ("a_д", "5.4", "%"),
            ("Р", "5.2", "%"),
            ("р", "5.3", ""),
            ("K_к", "5.5", ""),
            ("С_м", "5.5", "rub/t"),
        ]:
            assert q[f"{symbol}[{scheme}]"].equation == eq
            assert q[f"{symbol}[{scheme}]"].unit == unit
    assert q["схема"].value == "В"
    assert q["схема"].equation.startswith("5.5")
    assert "negative" in q["П[А]"].note  # net loss < 0 is explained


def test_offset_reading_and_custom_constants_are_inputs():
    inputs = LOSSES_DILUTION.from_variant(variant_row("5.1", 20))
    inputs.update(cost_reading="offset", first_cost=0.0, second_cost=850.0)
    _, results = LOSSES_DILUTION.run(inputs)
    q = by_symbol(results)
    # offset with 0 and 850 is 850 / a_д, the same as the default "sum" reading
    assert_allclose(q["С_м[В]"].value, HAND["С_м[В]"], rtol=HAND_RTOL)
    assert q["схема"].value == "В"


def test_cli_json_variant_20():
    result = runner.invoke(app, ["calc", "losses-dilution", "--variant", "20", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["method"] == "losses-dilution"
    assert doc["inputs"]["first_cost"] == pytest.approx(600.0)
    values = {r["symbol"]: r["value"] for r in doc["results"]}
    assert_allclose(values["a_д[В]"], HAND["a_д[В]"], rtol=HAND_RTOL)
    assert values["схема"] == "В"


def test_cli_variant_1_names_the_cell_the_source_does_not_print():
    result = runner.invoke(app, ["calc", "losses-dilution", "--variant", "1", "--json"])
    assert result.exit_code == 2
    assert "variant 1 of Table 5.1" in result.stderr
    assert "lost_ore_grade_pct" in result.stderr


def test_cli_variant_out_of_range():
    result = runner.invoke(app, ["calc", "losses-dilution", "--variant", "21"])
    assert result.exit_code == 2
    assert "variant must be in 1..20" in result.stderr


GOOD = {
    "ore_thickness": 19.0,
    "balance_grade": 2.4,
    "rock_grade": 0.3,
    "lost_ore_grade": 1.0,
    "schemes": [{"name": "А", "lost_ore_thickness": 0.4, "diluting_rock_thickness": 1.6}],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ore_thickness": -1.0}, "ore_thickness"),
        ({"balance_grade": 120.0}, "balance_grade"),
        ({"schemes": []}, "schemes"),
        (
            {"schemes": [{"name": "А", "lost_ore_thickness": 10.0, "diluting_rock_thickness": 0}]},
            "ore loss fraction",
        ),
        (
            {
                "schemes": [
                    {"name": "А", "lost_ore_thickness": 0.1, "diluting_rock_thickness": 0.1},
                    {"name": "А", "lost_ore_thickness": 0.2, "diluting_rock_thickness": 0.1},
                ]
            },
            "scheme names must be unique",
        ),
        ({"cost_reading": "product"}, "cost_reading"),
    ],
)
def test_cli_bad_input_exits_2(tmp_path, change, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**GOOD, **change}), encoding="utf-8")
    result = runner.invoke(app, ["calc", "losses-dilution", "--input", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
