"""``postmine calc ore-cutoff`` (004, practical work 4): quantities and CLI."""

import json

import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from postmine.calc import get
from postmine.cli.main import app
from postmine.data import variant_row

runner = CliRunner()
CALC = get("ore-cutoff")
HAND_RTOL = 5e-6  # hand arithmetic carried to 6-7 significant digits

# Variant 1 of Table 4.1 by hand (see tests/methods/test_ore_cutoff.py for the arithmetic):
# a = 3.99 / 1.02 = 3.911765 %; K_к = 0.95 / 1.02 = 0.931373;
# (4.1) 3360 / 2215 = 1.516930 %; (4.4) 54 000 / 1425 = 37.89474 %;
# (4.5) 54 000 / 6286.765 = 8.589474 % (Ц_мк = 7.5 thousand = 7500 rub/t);
# (4.6) 100 800 / 17 519.118 = 5.753715 % (Ц_м = 22.0 thousand); (4.7) -28 160 / 17 519.118
# = -1.607386 %. C = 4.2 %: balance by (4.1) and (4.7) only.
VARIANT_1 = [
    # symbol, value, unit, equation
    ("a", 3.911765, "%", "4.3"),
    ("K_к", 0.931373, "", "4.2"),
    ("C_min[ore]", 1.516930, "%", "4.1"),
    ("C_min[concentrate]", 37.89474, "%", "4.4"),
    ("C_min[component]", 8.589474, "%", "4.5"),
    ("C_min[metal]", 5.753715, "%", "4.6"),
    ("C_min^пк[metal]", -1.607386, "%", "4.7"),
]
DECISIONS_1 = {
    "C > C_min[ore]": True,
    "C > C_min[concentrate]": False,
    "C > C_min[component]": False,
    "C > C_min[metal]": False,
    "C > C_min^пк[metal]": True,
}
# Variant 2 by hand: a = 12.032 / 0.99 = 12.153535 %; (4.1) 7680 / 1824 = 4.210526 %;
# (4.4) 36.87409 %; (4.5) 11.52315 %; (4.6) 12.12114 %; (4.7) 5.538007 %.
VARIANT_2 = {
    "a": 12.153535,
    "C_min[ore]": 4.210526,
    "C_min[concentrate]": 36.87409,
    "C_min[component]": 11.52315,
    "C_min[metal]": 12.12114,
    "C_min^пк[metal]": 5.538007,
}


def _results(variant):
    _, results = CALC.run(CALC.from_variant(variant_row("4.1", variant)))
    return {q.symbol: q for q in results}


@pytest.mark.parametrize(("symbol", "value", "unit", "equation"), VARIANT_1)
def test_variant_1_by_hand(symbol, value, unit, equation):
    q = _results(1)[symbol]
    assert_allclose(q.value, value, rtol=HAND_RTOL)
    assert q.unit == unit and q.equation == equation


def test_variant_1_decisions_and_notes():
    results = _results(1)
    for symbol, expected in DECISIONS_1.items():
        assert results[symbol].value is expected, symbol
        assert results[symbol].equation == "4.8"
    assert "by-products pay all costs" in results["C_min^пк[metal]"].note
    assert "100 % would replace a_к" in results["C_min[component]"].note


@pytest.mark.parametrize(("symbol", "value"), sorted(VARIANT_2.items()))
def test_variant_2_by_hand(symbol, value):
    assert_allclose(_results(2)[symbol].value, value, rtol=HAND_RTOL)


def test_cutoff_above_100_percent_is_flagged():
    # Variant 21 prints Ц_к = 6.00 "rub" per tonne of concentrate, so (4.4) gives
    # (1280 + 1.2) x 40 / (6 x K_к x 0.8) far above 100 %.
    q = _results(21)["C_min[concentrate]"]
    assert q.value > 100.0
    assert "above 100 %" in q.note


def test_cli_variant_1_json():
    result = runner.invoke(app, ["calc", "ore-cutoff", "--variant", "1", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["method"] == "ore-cutoff"
    assert doc["inputs"]["block_grade"] == pytest.approx(0.042)
    assert doc["inputs"]["metal_price"] == pytest.approx(22_000.0)
    values = {r["symbol"]: r["value"] for r in doc["results"]}
    assert values["C_min[ore]"] == pytest.approx(1.516930, rel=HAND_RTOL)
    assert values["C > C_min[ore]"] is True


def test_cli_garbled_variant_names_the_field():
    result = runner.invoke(app, ["calc", "ore-cutoff", "--variant", "4"])
    assert result.exit_code == 2
    assert "variant 4 of Table 4.1 of 004: dilution_fraction is unavailable" in result.stderr
    assert '"00,9"' in result.stderr
    result = runner.invoke(app, ["calc", "ore-cutoff", "--variant", "28"])
    assert result.exit_code == 2
    assert "concentrate_price_rub_per_t is unavailable" in result.stderr


def _inputs(**changes):
    inputs = CALC.from_variant(variant_row("4.1", 1))
    inputs.update(changes)
    return inputs


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ore_loss": 1.0}, "ore_loss"),
        ({"ore_price": -2215.0}, "ore_price"),
        ({"block_grade": 4.2}, "block_grade"),
        ({"smelting_recovery": 0.0}, "smelting_recovery"),
        ({"dilution": -0.1}, "dilution"),
    ],
)
def test_cli_bad_input_exits_2(tmp_path, changes, message):
    path = tmp_path / "ore.json"
    path.write_text(json.dumps(_inputs(**changes)))
    result = runner.invoke(app, ["calc", "ore-cutoff", "--input", str(path)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_missing_variant_exits_2():
    result = runner.invoke(app, ["calc", "ore-cutoff", "--variant", "31"])
    assert result.exit_code == 2
    assert "variant must be in 1..30 for Table 4.1 of 004, got 31" in result.stderr
