"""``postmine calc land-use-indicators`` against the worked example of 004, practical work 3."""

import json

import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from postmine.calc.land_use_indicators import LAND_USE_INDICATORS, from_variant, pr3_example
from postmine.cli.main import app
from postmine.data import variant_row

# Tolerances: half a unit of the last digit the "Решение" after Table 3.2 of 004 prints.
AREA_TOL_HA = 0.5  # 2605 га
PCT1_TOL = 0.05  # 9,3 %; 42,4 %; 12,6 %; 73,8 %; 69,2 %
PCT0_TOL = 0.5  # 60 %
PER_OUTPUT_TOL = 0.00005  # 0,2605 га/1000 т
PER_PERSON_TOL = 0.5  # 3625, 1381 т/чел/год
RUB_TOL = 0.5  # whole roubles
RUB_PER_HA_TOL = 0.05  # 15208,1 руб./га
EXACT = 1e-12  # relative, against hand arithmetic written out in the test

runner = CliRunner()


def results(inputs):
    _, quantities = LAND_USE_INDICATORS.run(inputs)
    return {q.symbol: q for q in quantities}


@pytest.fixture(scope="module")
def pr3():
    return results(pr3_example())


# The "Решение" after Table 3.2 of 004, in its order: symbol, equation, printed value, tolerance.
# The four lines whose printed figure is not what they compute are in DEPARTURES below.
SOLUTION = [
    ("S_тнз",  "3.1",  2605,        AREA_TOL_HA),     # 4306 - (329 + 213 + 264 + 895)
    ("П_плф",  "3.2",  9.3,         PCT1_TOL),        # (238 + 100 + 233) / 6144 · 100
    ("П_сзз",  "3.3",  60,          PCT0_TOL),        # 2605 / 4306 · 100
    ("П_тнз",  "3.4",  42.4,        PCT1_TOL),        # 2605 / 6144 · 100
    ("П_нз",   "3.5",  0.2605,      PER_OUTPUT_TOL),  # 2605 / 10 000 000, га/1000 т
    ("П_вто",  "3.10", 3625,        PER_PERSON_TOL),  # 58 000 000 / 16 000
    ("П_зто",  "3.11", 1381,        PER_PERSON_TOL),  # 58 000 000 / 42 000
    ("П_вз",   "3.12", 12.6,        PCT1_TOL),        # 542 / 4306 · 100
    ("П_а",    "3.13", 73.8,        PCT1_TOL),        # 400 / 543 (sic) · 100
    ("ВП_рз",  "3.14", 1_218_000,   RUB_TOL),
    ("ВП_схз", "3.15", 1_760_000,   RUB_TOL),
    ("П_п",    "3.16", 3045,        RUB_TOL),         # 1218000 / 400
    ("П_ат",   "3.17", 69.2,        PCT1_TOL),        # 1218000 / 1760000 · 100
    ("У_н",    "3.18", 39_075_000,  RUB_TOL),         # 2605 · 15000
    ("У_пп",   "3.19", 542_000,     RUB_TOL),
    ("У_рз",   "3.20", 39_617_000,  RUB_TOL),         # 39075000 + 542000
    ("q_у",    "3.21", 15208.1,     RUB_PER_HA_TOL),  # 39617000 / 2605
]  # fmt: skip


@pytest.mark.parametrize(("symbol", "equation", "printed", "tol"), SOLUTION)
def test_pr3_reproduces_the_printed_solution(pr3, symbol, equation, printed, tol):
    q = pr3[symbol]
    assert q.equation == equation
    assert_allclose(q.value, printed, rtol=0, atol=tol)


# Lines of the "Решение" that print a figure other than the quotient they write: symbol,
# equation, the quotient by hand, what the note must quote as printed.
DEPARTURES = [
    ("П_пз",  "3.6", (2605 - 542) / 6144 * 100,        "33.5 %"),   # 33.577 %, truncated
    ("q",     "3.7", 58e6 / 4306,                      "13469.5"),  # 13469.577 t/ha, truncated
    ("П_уто", "3.8", 15 / 58 * 100,                    "25.8 %"),   # 25.862 %, truncated
    ("П_кто", "3.9", (688 + 796 + 164) / 4306 * 100,   "39 %"),     # 38.272 %
]  # fmt: skip


@pytest.mark.parametrize(("symbol", "equation", "quotient", "printed"), DEPARTURES)
def test_pr3_departures_give_the_quotient_and_report_the_print(
    pr3, symbol, equation, quotient, printed
):
    q = pr3[symbol]
    assert q.equation == equation
    assert_allclose(q.value, quotient, rtol=EXACT)
    assert printed in q.note


# Lines where the value agrees with the print but the source is inconsistent with its own
# formula or table: symbol, a hand value, what the note must report.
NOTED = [
    ("S_тнз",  2605,                     ["4306 - (329 + 213 + 264 + 895)", "2421"]),
    ("ΣS_лф",  238 + 100 + 233,          ["S_выр", "571"]),
    ("П_нз",   2605 / 10_000_000 * 1000, ["factor 100", "0.2605"]),
    ("ΣV_то",  58e6,                     ["68", "58"]),
    ("П_вто",  58e6 / 16_000,            ["factor 100", "3625"]),
    ("П_зто",  58e6 / 42_000,            ["factor 100", "1381"]),
    ("П_а",    400 / 542 * 100,          ["543", "542"]),
    ("ВП_схз", 30 * 300 * 120 + 20 * 150 * 200 + 10 * 100 * 80, ["25", "1 910 000"]),
]  # fmt: skip


@pytest.mark.parametrize(("symbol", "by_hand", "quoted"), NOTED)
def test_pr3_notes_report_the_source(pr3, symbol, by_hand, quoted):
    q = pr3[symbol]
    assert_allclose(q.value, by_hand, rtol=EXACT)
    for text in quoted:
        assert text in q.note, (symbol, text)


def test_pr3_intermediates(pr3):
    # S_рз = 329 + 213; ΣS_то = 688 + 796 + 164; ΣS_а = 200 + 120 + 80
    assert_allclose(pr3["S_рз"].value, 542, rtol=EXACT)
    assert_allclose(pr3["ΣS_то"].value, 1648, rtol=EXACT)
    assert_allclose(pr3["ΣS_а"].value, 400, rtol=EXACT)
    # crop terms of the printed lines of 3.14 and 3.19
    assert_allclose(pr3["ВП_рз[grain]"].value, 20 * 300 * 120, rtol=EXACT)
    assert_allclose(pr3["ВП_рз[fodder]"].value, 15 * 150 * 200, rtol=EXACT)
    assert_allclose(pr3["ВП_рз[meadow]"].value, 6 * 100 * 80, rtol=EXACT)
    assert_allclose(pr3["У_пп[grain]"].value, (30 - 20) * 300 * 120, rtol=EXACT)
    assert_allclose(pr3["У_пп[fodder]"].value, (20 - 15) * 150 * 200, rtol=EXACT)
    assert_allclose(pr3["У_пп[meadow]"].value, (10 - 6) * 100 * 80, rtol=EXACT)


def test_all_21_equations_reported_with_units(pr3):
    equations = {q.equation for q in pr3.values()}
    assert equations == {f"3.{i}" for i in range(1, 22)}
    percent = ["П_плф", "П_сзз", "П_тнз", "П_пз", "П_уто", "П_кто", "П_вз", "П_а", "П_ат"]
    for symbol in percent:
        assert pr3[symbol].unit == "%", symbol
    assert pr3["q"].unit == "t/ha"
    assert pr3["П_вто"].unit == "t/person/year"
    assert pr3["П_нз"].unit == "ha/1000 t"


def test_variant_1_by_hand():
    # Table 3.1, variant 1: S_гпр 6100, S_сзз 4300, S_з 890, S_р 265, S_и 90, S_дор 230,
    # outer dumps 800/300, internal 680/210, S_б 140, S_выр 237; V_д 30, V_вс 66, V_вн 15
    # (million m³/year), N_р 12, N_ж 39 thousand; crops К/З/Л 200/130/90 ha, yields on
    # reclaimed land 15/21/8, on farmland 20/31/11 centner/ha, prices 150/300/95 rub/centner.
    r = results(from_variant(variant_row("3.1", 1)))
    # S_тнз = 4300 - (300 + 210 + 265 + 890) = 2635 ha
    assert_allclose(r["S_тнз"].value, 2635, rtol=EXACT)
    # П_плф = (237 + 90 + 230) / 6100 · 100 = 557 / 6100 · 100 = 9.131 %
    assert_allclose(r["П_плф"].value, 557 / 6100 * 100, rtol=EXACT)
    # П_нз = 2635 / 30e6 t · 1000 = 0.08783 ha per 1000 t
    assert_allclose(r["П_нз"].value, 2635 / 30e6 * 1000, rtol=EXACT)
    # П_пз = (2635 - 510) / 6100 · 100 = 34.84 %
    assert_allclose(r["П_пз"].value, 2125 / 6100 * 100, rtol=EXACT)
    # q = 66e6 m³ / 4300 ha = 15348.8 m³/ha; П_уто = 15 / 66 · 100 = 22.73 %
    assert_allclose(r["q"].value, 66e6 / 4300, rtol=EXACT)
    assert r["q"].unit == "m³/ha"
    assert_allclose(r["П_уто"].value, 15 / 66 * 100, rtol=EXACT)
    # П_кто = (680 + 800 + 140) / 4300 · 100 = 37.67 %
    assert_allclose(r["П_кто"].value, 1620 / 4300 * 100, rtol=EXACT)
    # П_вто = 66e6 / 12 000 = 5500 m³/person/year; П_зто = 66e6 / 39 000 = 1692.3
    assert_allclose(r["П_вто"].value, 5500, rtol=EXACT)
    assert_allclose(r["П_зто"].value, 66e6 / 39_000, rtol=EXACT)
    # П_а = (200 + 130 + 90) / 510 · 100 = 82.35 %
    assert_allclose(r["П_а"].value, 420 / 510 * 100, rtol=EXACT)
    # ВП_рз = 150·15·200 + 300·21·130 + 95·8·90 = 450 000 + 819 000 + 68 400 = 1 337 400
    assert_allclose(r["ВП_рз"].value, 1_337_400, rtol=EXACT)
    # ВП_схз = 150·20·200 + 300·31·130 + 95·11·90 = 600 000 + 1 209 000 + 94 050 = 1 903 050
    assert_allclose(r["ВП_схз"].value, 1_903_050, rtol=EXACT)
    # У_пп = 1 903 050 - 1 337 400 = 565 650; У_н = 15000 · 2635 = 39 525 000
    assert_allclose(r["У_пп"].value, 565_650, rtol=EXACT)
    assert_allclose(r["У_н"].value, 39_525_000, rtol=EXACT)
    # q_у = (39 525 000 + 565 650) / 2635 = 15214.66 rub/ha
    assert_allclose(r["q_у"].value, 40_090_650 / 2635, rtol=EXACT)


def _bad(**changes):
    inputs = pr3_example()
    inputs.update(changes)
    return inputs


@pytest.mark.parametrize(
    ("inputs", "match"),
    [
        (_bad(district_area=-6144), r"district_area"),
        (_bad(building_area=-1), r"building_area"),
        (_bad(sanitary_zone_area=7000),
         r"sanitary_zone_area must be <= district_area \(6144 ha\), got 7000 ha"),
        (_bad(outer_dump_reclaimed_area=800),
         r"outer_dump_reclaimed_area must be <= outer_dump_area \(796 ha\), got 800 ha"),
        (_bad(inner_dump_reclaimed_area=700),
         r"inner_dump_reclaimed_area must be <= inner_dump_area \(688 ha\), got 700 ha"),
        # 329 + 213 + 264 + 3600 = 4406 ha > 4306 ha
        (_bad(building_area=3600),
         r"undisturbed_areas \(sum\) must be <= sanitary_zone_area \(4306 ha\), got 4406 ha"),
        (_bad(internal_dump_volume=60),
         r"internal_dump_volume must be <= overburden_volume \(58\), got 60"),
        (_bad(worked_out_area=6000), r"linear_areas \(sum\) must be <= district_area"),
        (_bad(crops=[{"name": "grain", "area": 600, "yield_reclaimed": 20,
                      "yield_farmland": 30, "price": 300}]),
         r"agricultural_areas \(sum\) must be <= reclaimed_area \(542 ha\), got 600 ha"),
        (_bad(crops=[]), r"crops"),
        (_bad(crops=[pr3_example()["crops"][0]] * 2), r"crop names must be unique"),
        (_bad(waste_unit="kg"), r"waste_unit"),
        (_bad(workers_thousand=0), r"workers_thousand"),
    ],
)  # fmt: skip
def test_bad_inputs_raise(inputs, match):
    with pytest.raises(ValueError, match=match):
        LAND_USE_INDICATORS.run(inputs)


def calc(*args):
    return runner.invoke(app, ["calc", "land-use-indicators", *args])


def test_cli_json_pr3():
    result = calc("--example", "pr3", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["method"] == "land-use-indicators"
    assert doc["source"].startswith("004")
    assert doc["inputs"]["sanitary_zone_area"] == pytest.approx(4306)
    first = {r["symbol"]: r for r in doc["results"]}
    p_szz = first["П_сзз"]
    assert set(p_szz) >= {"symbol", "name", "value", "unit", "equation"}
    assert p_szz["unit"] == "%" and p_szz["equation"] == "3.3"
    # 004 prints 60 %; the quotient 2605 / 4306 · 100 = 60.497 %
    assert_allclose(p_szz["value"], 2605 / 4306 * 100, rtol=1e-11)
    assert "note" in first["П_кто"] and "39 %" in first["П_кто"]["note"]


def test_cli_variant_and_table_view():
    result = calc("--variant", "1")
    assert result.exit_code == 0, result.output
    for symbol in ("S_тнз", "П_плф", "П_кто", "q_у"):
        assert symbol in result.stdout


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("--variant", "26"), "variant must be in 1..25 for Table 3.1 of 004, got 26"),
        (("--variant", "4"), "inner_dump_reclaimed_area_ha is unavailable"),
        (("--example", "pr4"), "example must be one of: pr3"),
    ],
)
def test_cli_bad_choice_exits_2(args, match):
    result = calc(*args)
    assert result.exit_code == 2
    assert match in result.stderr
    assert "Traceback" not in result.output


def test_cli_bad_input_file_exits_2(tmp_path):
    path = tmp_path / "land.json"
    path.write_text(json.dumps(_bad(outer_dump_reclaimed_area=900)), encoding="utf-8")
    result = calc("--input", str(path))
    assert result.exit_code == 2
    assert "outer_dump_reclaimed_area must be <= outer_dump_area" in result.stderr
    assert "Traceback" not in result.output

    path.write_text(json.dumps(_bad(recreation_area=-264)), encoding="utf-8")
    result = calc("--input", str(path))
    assert result.exit_code == 2
    assert "recreation_area" in result.stderr
