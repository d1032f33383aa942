"""``postmine calc complex-deposit`` (004, practical work 6, Table 6.1)."""

import json

import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from postmine.calc.complex_deposit import COMPLEX_DEPOSIT
from postmine.cli.main import app
from postmine.data import variant_row

runner = CliRunner()

# Hand computation of variant 1 (see tests/methods/test_complex_deposits.py for the
# arithmetic), in the source's units.
HAND_RTOL = 5e-6
HAND = {
    "С[1]": 2480.0,
    "С[2]": 5130.4348,
    "С[3]": 6339.2857,
    "γ[1]": 0.01204,
    "γ[2]": 0.054,
    "γ[3]": 0.0345,
    "Σγ": 0.10054,
    "C_о": 130.0,
    "З_д": 1_051_216_080.0,
    "З_и": 505_978_400.0,
}
EQUATIONS = {
    "С[1]": "6.1",
    "γ[1]": "6.2",
    "З_д": "6.3",
    "З_и": "6.4",
    "З_д ≥ З_и": "6.5",
}


def by_symbol(results):
    return {q.symbol: q for q in results}


def test_variant_1_reports_every_quantity():
    _, results = COMPLEX_DEPOSIT.run(COMPLEX_DEPOSIT.from_variant(variant_row("6.1", 1)))
    q = by_symbol(results)
    for symbol, value in HAND.items():
        assert_allclose(q[symbol].value, value, rtol=HAND_RTOL, err_msg=symbol)
    for symbol, eq in EQUATIONS.items():
        assert q[symbol].equation == eq
    assert q["З_д ≥ З_и"].value is True
    assert q["З_д"].unit == "rub/year" and q["С[2]"].unit == "rub/t"
    assert "Σ C_оi" in q["C_о"].note


def test_variant_8_is_not_worthwhile():
    # Variant 8: Σγ_i C_i = 0.0149362×1932.77 + 0.0208333×2250 + 0.0211957×3603.60
    #   = 28.8682 + 46.8750 + 76.3806 = 152.1238 rub/t; З_д = 9e6 × 152.1238 = 1369.1e6
    # З_и = 9e6 × (40 + 130) + 30 × 13.5e6 + 10 × 9e6 × (1 − 0.0569652) = 2019.9e6 > З_д
    _, results = COMPLEX_DEPOSIT.run(COMPLEX_DEPOSIT.from_variant(variant_row("6.1", 8)))
    q = by_symbol(results)
    assert_allclose(q["З_д"].value, 1369.11e6, rtol=1e-4)
    assert_allclose(q["З_и"].value, 2019.87e6, rtol=1e-4)
    assert q["З_д ≥ З_и"].value is False


def test_cli_json_variant_1():
    result = runner.invoke(app, ["calc", "complex-deposit", "--variant", "1", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["method"] == "complex-deposit"
    assert len(doc["inputs"]["concentrates"]) == 3
    values = {r["symbol"]: r["value"] for r in doc["results"]}
    assert_allclose(values["З_д"], HAND["З_д"], rtol=HAND_RTOL)
    assert values["З_д ≥ З_и"] is True


def test_cli_variant_14_names_the_garbled_cell():
    result = runner.invoke(app, ["calc", "complex-deposit", "--variant", "14"])
    assert result.exit_code == 2
    assert "variant 14 of Table 6.1" in result.stderr and "recovery_2" in result.stderr


def _concentrate(name, **change):
    base = {
        "name": name,
        "wholesale_price": 3.1,
        "profitability": 0.25,
        "ore_grade": 0.7,
        "concentrate_grade": 50.0,
        "recovery": 0.86,
        "processing_cost": 45.0,
    }
    return {**base, **change}


GOOD = {
    "ore_output": 2.0,
    "overburden_volume": 3.0,
    "mining_cost": 60.0,
    "overburden_cost": 30.0,
    "tailings_cost": 20.0,
    "concentrates": [_concentrate("1")],
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ore_output": 0.0}, "ore_output"),
        ({"concentrates": [_concentrate("1", recovery=1.86)]}, "recovery"),
        ({"concentrates": [_concentrate("1", wholesale_price=-3.1)]}, "wholesale_price"),
        ({"concentrates": [_concentrate("1", ore_grade=60.0)]}, "concentrate_yield"),
        (
            {
                "concentrates": [
                    _concentrate("1", ore_grade=30.0, concentrate_grade=40.0, recovery=1.0),
                    _concentrate("2", ore_grade=30.0, concentrate_grade=40.0, recovery=1.0),
                ]
            },
            "total concentrate yield Σγ_i must be <= 1",
        ),
        ({"concentrates": [_concentrate("1"), _concentrate("1")]}, "names must be unique"),
        ({"concentrates": []}, "concentrates"),
    ],
)
def test_cli_bad_input_exits_2(tmp_path, change, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**GOOD, **change}, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["calc", "complex-deposit", "--input", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_variant_out_of_range():
    result = runner.invoke(app, ["calc", "complex-deposit", "--variant", "26"])
    assert result.exit_code == 2
    assert "variant must be in 1..25" in result.stderr
