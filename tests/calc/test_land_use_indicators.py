"""``postmine calc land-use-indicators`` against the worked example of 004, practical work 3."""

import json

import pytest
from numpy.testing import assert_allclose
from typer.testing import CliRunner

from postmine.calc.land_use_indicators import (
    LAND_USE_INDICATORS,
    LandUseInputs,
    from_variant,
    mining_district,
    pr3_example,
)
from postmine.chains.land_use import land_use_indicators
from postmine.cli.main import app
from postmine.data import variant_row

EXACT = 1e-12  # relative, against hand arithmetic written out in the test

runner = CliRunner()


def results(inputs):
    _, quantities = LAND_USE_INDICATORS.run(inputs)
    return {q.symbol: q for q in quantities}


@pytest.fixture(scope="module")
def pr3():
    return results(pr3_example())


# The worked example's printed numbers are the chain's tests (tests/chains/test_land_use.py);
# here: the calculator gives the chain's rows for the inputs of example pr3.
def test_pr3_rows_are_the_chain_rows(pr3):
    chain = land_use_indicators(mining_district(LandUseInputs.model_validate(pr3_example())))
    assert list(pr3) == [i.symbol for i in chain.indicators]
    for indicator in chain.indicators:
        q = pr3[indicator.symbol]
        assert (q.name, q.unit, q.equation, q.note) == (
            indicator.name,
            indicator.unit,
            indicator.equation,
            indicator.note,
        )
        assert_allclose(q.value, indicator.value, rtol=EXACT)
    # 004 prints 60 % for П_сзз; the quotient 2605 / 4306 · 100 = 60.497 %
    assert_allclose(pr3["П_сзз"].value, 2605 / 4306 * 100, rtol=EXACT)


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
