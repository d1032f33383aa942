"""The 004 PR3 chain against the worked example of practical work 3 ("Решение" after Table 3.2)."""

import pytest
from numpy.testing import assert_allclose

from postmine.chains.land_use import Crop, MiningDistrict, land_use_indicators
from postmine.data.quantities import quantity

# Tolerances: half a unit of the last digit the "Решение" after Table 3.2 of 004 prints.
AREA_TOL_HA = 0.5  # 2605 га
PCT1_TOL = 0.05  # 9,3 %; 42,4 %; 12,6 %; 73,8 %; 69,2 %
PCT0_TOL = 0.5  # 60 %
PER_OUTPUT_TOL = 0.00005  # 0,2605 га/1000 т
PER_PERSON_TOL = 0.5  # 3625, 1381 т/чел/год
RUB_TOL = 0.5  # whole roubles
RUB_PER_HA_TOL = 0.05  # 15208,1 руб./га
EXACT = 1e-12  # relative, against hand arithmetic written out in the test

# Table 3.2 of 004 (overburden 58 Mt/year, as the solution's eqs. 3.7-3.11 use it; fodder
# yield on farmland 20 centner/ha, as the totals of eqs. 3.15 and 3.19 use it).
PR3_CROPS = (
    Crop("fodder", 200.0, yield_reclaimed=15.0, yield_farmland=20.0, price=150.0),
    Crop("grain", 120.0, yield_reclaimed=20.0, yield_farmland=30.0, price=300.0),
    Crop("meadow", 80.0, yield_reclaimed=6.0, yield_farmland=10.0, price=100.0),
)
PR3 = MiningDistrict(
    district_area=6144.0,
    sanitary_zone_area=4306.0,
    outer_dump_area=796.0,
    inner_dump_area=688.0,
    nontransport_dump_area=164.0,
    worked_out_area=238.0,
    infrastructure_area=100.0,
    transport_area=233.0,
    outer_dump_reclaimed_area=329.0,
    inner_dump_reclaimed_area=213.0,
    building_area=895.0,
    recreation_area=264.0,
    annual_output=10.0e6,
    annual_solid_waste=58.0e6,
    internal_dump_volume=15.0e6,
    workers=16_000.0,
    residents=42_000.0,
    land_price=15_000.0,
    crops=PR3_CROPS,
)


@pytest.fixture(scope="module")
def pr3():
    result = land_use_indicators(PR3)
    assert result.not_computed == {}
    return {i.symbol: i for i in result.indicators}


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
    indicator = pr3[symbol]
    assert indicator.equation == equation
    assert_allclose(indicator.value, printed, rtol=0, atol=tol)


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
    indicator = pr3[symbol]
    assert indicator.equation == equation
    assert_allclose(indicator.value, quotient, rtol=EXACT)
    assert printed in indicator.note


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
    indicator = pr3[symbol]
    assert_allclose(indicator.value, by_hand, rtol=EXACT)
    for text in quoted:
        assert text in indicator.note, (symbol, text)


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
    equations = {i.equation for i in pr3.values()}
    assert equations == {f"3.{i}" for i in range(1, 22)}
    percent = ["П_плф", "П_сзз", "П_тнз", "П_пз", "П_уто", "П_кто", "П_вз", "П_а", "П_ат"]
    for symbol in percent:
        assert pr3[symbol].unit == "%", symbol
    assert pr3["q"].unit == "t/ha"
    assert pr3["П_вто"].unit == "t/person/year"
    assert pr3["П_нз"].unit == "ha/1000 t"


def test_labels_come_from_the_table_of_quantities(pr3):
    for indicator in pr3.values():
        info = quantity(indicator.key)
        assert indicator.unit == info.unit
        assert indicator.name == info.en.format(crop=indicator.symbol.partition("[")[2][:-1])
    assert pr3["S_рз"].key == "reclaimed_dump_area_ha"
    assert pr3["ΣS_то"].key == "waste_storage_area_ha"


def test_in_cubic_metres_the_waste_units_follow():
    result = land_use_indicators(
        MiningDistrict(**{**PR3.__dict__, "waste_unit": "m3"})  # type: ignore[arg-type]
    )
    units = {i.symbol: i.unit for i in result.indicators}
    assert units["ΣV_то"] == "m³/year"
    assert units["q"] == "m³/ha"
    assert units["П_вто"] == units["П_зто"] == "m³/person/year"


def test_the_district_reclaimed_land_and_tailings():
    # S_рз of the whole district (600 ha), not only its dumps'; 50 ha of tailings in ΣS_то
    district = MiningDistrict(**{**PR3.__dict__, "reclaimed_area": 600.0, "tailings_area": 50.0})  # type: ignore[arg-type]
    result = land_use_indicators(district)
    got = {i.symbol: i for i in result.indicators}
    assert got["S_рз"].name == "reclaimed land"
    # S_тнз = 4306 - (600 + 264 + 895) = 2547 ha; ΣS_то = 688 + 796 + 164 + 50 = 1698 ha
    assert_allclose(got["S_тнз"].value, 2547, rtol=EXACT)
    assert_allclose(got["ΣS_то"].value, 1698, rtol=EXACT)
    assert "tailings" in got["ΣS_то"].name


def test_only_the_areas_give_the_area_indicators():
    district = MiningDistrict(
        district_area=6144.0,
        sanitary_zone_area=4306.0,
        outer_dump_area=796.0,
        inner_dump_area=688.0,
        nontransport_dump_area=164.0,
        worked_out_area=238.0,
        infrastructure_area=100.0,
        transport_area=233.0,
        outer_dump_reclaimed_area=329.0,
        inner_dump_reclaimed_area=213.0,
    )
    result = land_use_indicators(district)
    computed = {i.symbol for i in result.indicators}
    assert computed == {"S_рз", "ΣS_лф", "П_плф", "ΣS_то", "П_кто", "П_вз", "ΣS_а", "П_а"}
    assert result.not_computed["S_тнз"] == "needs building_area and recreation_area"
    assert result.not_computed["П_нз"] == "needs S_тнз (building_area and recreation_area)"
    assert result.not_computed["ВП_рз"] == "needs crops"
    # no crops: ΣS_а = 0 ha of S_рз = 542 ha, П_а = 0 %
    assert_allclose(result.value("П_а"), 0.0, atol=EXACT)
    with pytest.raises(KeyError, match="П_уто was not computed: needs annual_solid_waste"):
        result.value("П_уто")
    with pytest.raises(KeyError, match="no indicator 'X'"):
        result.value("X")


def test_the_caller_names_what_it_lacks():
    district = MiningDistrict(district_area=1000.0, transport_area=10.0)
    wording = {"sanitary_zone_area": "the territory's sanitary_zone_area_ha"}
    result = land_use_indicators(district, wording=wording)
    assert result.not_computed["S_тнз"] == "needs the territory's sanitary_zone_area_ha"
    assert result.not_computed["П_а"] == "needs reclaimed land (S_рз > 0)"
    assert_allclose(result.value("П_плф"), 10 / 1000 * 100, rtol=EXACT)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"workers": -5.0}, r"workers must be > 0 persons, got -5.0"),
        ({"annual_output": 0.0}, r"annual_output must be > 0 t/year, got 0.0"),
        ({"land_price": float("nan")}, r"land_price must be >= 0 rub/ha, got nan"),
        ({"waste_unit": "kg"}, r"waste_unit must be 't' or 'm3', got 'kg'"),
        ({"crops": PR3_CROPS[:1] * 2}, r"crops: names must be unique"),
        (
            {"crops": (Crop("x", 1.0, -1.0, 1.0, 1.0),)},
            r"crops\[x\].yield_reclaimed must be >= 0 centner/ha, got -1.0",
        ),
        (
            {"building_area": 4000.0},
            r"undisturbed_areas \(sum\) must be <= sanitary_zone_area",
        ),
        (
            {"internal_dump_volume": 60.0e6},
            r"internal_dump_volume must be <= overburden_volume",
        ),
    ],
)
def test_bad_inputs_raise(changes, message):
    with pytest.raises(ValueError, match=message):
        land_use_indicators(MiningDistrict(**{**PR3.__dict__, **changes}))
