"""``postmine calc pit-land-allotment``: the whole of PR1 of 004 for one variant.

PR1 prints no worked example; variant 1 of Table 1.2 is computed by hand in
tests/methods/test_land_allotment.py, test_dumps.py and test_dust.py, and its Table 1.1 is
checked here end to end.
"""

import json

import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from postmine.calc import get
from postmine.calc.pit_land_allotment import PIT_LAND_ALLOTMENT
from postmine.cli.main import app
from postmine.data import variant_row

runner = CliRunner()

# Hand computations carry six significant digits.
HAND_RTOL = 1e-5


def results_of(inputs):
    _, results = PIT_LAND_ALLOTMENT.run(inputs)
    return {q.symbol: q for q in results}


def variant_1():
    return PIT_LAND_ALLOTMENT.from_variant(variant_row("1.2", 1))


def test_registered_with_its_variant_table():
    calc = get("pit-land-allotment")
    assert calc is PIT_LAND_ALLOTMENT
    assert calc.variant_table == "1.2"


def test_from_variant_converts_km_to_m():
    inputs = variant_1()
    assert inputs["pit_bottom_length"] == pytest.approx(1100.0)
    assert inputs["pit_bottom_width"] == pytest.approx(90.0)
    assert "seam_dip_angle" not in inputs  # Table 1.2's dip angle enters no equation of PR1


# Table 1.1 of 004 for variant 1 (hand computation in the method tests):
#                                   bottom-up     top-down
#   S_ос.отв = π R², π R'²          36.4520 ha    45.6231 ha
#   S_з (1.16)                      126.9505 ha   154.4706 ha
#   S_зо = (S_го + S_ос + S_з + S_ск) K_р with S_го = 252.7492 ha, K_р = 1.15:
#     bottom-up (252.7492 + 36.4520 + 126.9505 + 9.82443) · 1.15 = 425.9761 · 1.15 = 489.8725
#     top-down  (252.7492 + 45.6231 + 154.4706 + 11.16953) · 1.15 = 464.0124 · 1.15 = 533.6143
#   where S_ск = (30.5328 + S_ос) · 0.5 · 1.1 / (5 · 0.75): 9.82443 and 11.16953 ha.
TABLE_1_1_VARIANT_1 = [
    # symbol                      bottom-up    top-down
    ("S_ос.отв", 36.4520, 45.6231),
    ("S_з", 126.9505, 154.4706),
    ("S_зо", 489.8725, 533.6143),
]


@pytest.mark.parametrize(("symbol", "bottom_up", "top_down"), TABLE_1_1_VARIANT_1)
def test_variant_1_table_1_1(symbol, bottom_up, top_down):
    r = results_of(variant_1())
    assert r[f"{symbol}[снизу-вверх]"].unit == "ha"
    assert_allclose(r[f"{symbol}[снизу-вверх]"].value, bottom_up, rtol=HAND_RTOL)
    assert_allclose(r[f"{symbol}[сверху-вниз]"].value, top_down, rtol=HAND_RTOL)


def test_variant_1_intermediates():
    r = results_of(variant_1())
    assert_allclose(r["S_го"].value, 252.7492, rtol=HAND_RTOL)
    assert_allclose(r["V_вс"].value, 13_786_078.0, rtol=HAND_RTOL)
    assert_allclose(r["R[круг]"].value, 340.632, rtol=HAND_RTOL)
    assert r["форма отвала"].value == "circle"
    assert_allclose(r["h*"].value, 60.4796, rtol=HAND_RTOL)
    assert_allclose(r["R'"].value, 381.081, rtol=HAND_RTOL)
    assert_allclose(r["X_з[снизу-вверх]"].value, 380.566, rtol=HAND_RTOL)
    assert_allclose(r["X_з[сверху-вниз]"].value, 416.990, rtol=HAND_RTOL)
    assert_allclose(r["S_ск[снизу-вверх]"].value, 9.82443, rtol=HAND_RTOL)
    assert r["схема"].value == "bottom-up"
    assert "reconstructed" in r["X_з[снизу-вверх]"].note


def test_variant_1_eq_1_1_as_printed():
    # without the polluted land: (252.7492 + 36.4520 + 9.82443) · 1.15 = 343.8795 ha and
    # (252.7492 + 45.6231 + 11.16953) · 1.15 = 355.9732 ha
    r = results_of({**variant_1(), "count_polluted_area": False})
    assert_allclose(r["S_зо[снизу-вверх]"].value, 343.8795, rtol=HAND_RTOL)
    assert_allclose(r["S_зо[сверху-вниз]"].value, 355.9732, rtol=HAND_RTOL)
    assert "as Eq. 1.1 prints it" in r["S_зо[снизу-вверх]"].note


def test_every_quantity_is_complete():
    for q in PIT_LAND_ALLOTMENT.run(variant_1())[1]:
        assert q.symbol and q.name and q.equation
        d = q.to_dict()
        assert set(d) >= {"symbol", "name", "value", "unit", "equation"}


def test_rectangle_aspect_ratio_changes_only_the_rectangle():
    a = results_of(variant_1())
    b = results_of({**variant_1(), "rectangle_aspect_ratio": 3.0})
    assert_allclose(a["R[круг]"].value, b["R[круг]"].value, rtol=1e-12)
    assert b["S_ос.отв[прямоугольник]"].value > a["S_ос.отв[прямоугольник]"].value


def test_cli_json_variant_1():
    result = runner.invoke(app, ["calc", "pit-land-allotment", "--variant", "1", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["method"] == "pit-land-allotment"
    assert doc["inputs"]["dump_slope_angle"] == pytest.approx(38.0)
    by_symbol = {q["symbol"]: q for q in doc["results"]}
    assert by_symbol["S_зо[снизу-вверх]"]["unit"] == "ha"
    assert by_symbol["S_зо[снизу-вверх]"]["value"] == pytest.approx(489.8725, rel=HAND_RTOL)
    assert by_symbol["схема"]["value"] == "bottom-up"


def test_cli_readable_view():
    result = runner.invoke(app, ["calc", "pit-land-allotment", "--variant", "3"])
    assert result.exit_code == 0, result.output
    assert "Results" in result.stdout
    assert "S_го" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({"flattened_slope_angle": 40.0}, "flattened_angle must be < slope_angle"),
        ({"pit_depth": -55.0}, "pit_depth"),
        ({"dump_slope_angle": 95.0}, "dump_slope_angle"),
        ({"rectangle_aspect_ratio": 6.0}, "rectangle_aspect_ratio"),
        ({"coal_bearing_ratio": 1.0}, "coal_bearing_ratio"),
        ({"dump_height": 4000.0}, "too small for a circle dump"),
        ({"no_such_field": 1.0}, "unknown field 'no_such_field'"),
    ],
)
def test_cli_bad_input_exits_2(tmp_path, overrides, match):
    path = tmp_path / "pr1.json"
    path.write_text(json.dumps({**variant_1(), **overrides}))
    result = runner.invoke(app, ["calc", "pit-land-allotment", "--input", str(path)])
    assert result.exit_code == 2
    assert match in result.stderr
    assert "Traceback" not in result.output


def test_cli_variant_that_does_not_exist():
    result = runner.invoke(app, ["calc", "pit-land-allotment", "--variant", "26"])
    assert result.exit_code == 2
    assert "variant must be in 1..25" in result.stderr
