"""Table 3.1 of 004 (variants of practical work 3) as shipped in data/variants/table_3_1.csv."""

import pytest

from postmine.calc.base import VariantUnavailableError
from postmine.calc.land_use_indicators import LAND_USE_INDICATORS, from_variant
from postmine.data import read_variant_table, variant_row, variant_table_notes

ROWS = read_variant_table("3.1")

CROPS = ("fodder", "grain", "meadow")

# column, low, high: the ranges every legible cell of the table keeps to
RANGES = [
    ("coal_output_million_t_per_year", 30, 38),
    ("overburden_million_m3_per_year", 64, 69),
    ("internal_dump_million_m3_per_year", 13, 19),
    ("workers_thousand", 10, 18),
    ("residents_thousand", 33, 42),
    ("fodder_area_ha", 170, 210),
    ("grain_area_ha", 110, 150),
    ("meadow_area_ha", 70, 95),
    ("fodder_yield_reclaimed_centner_per_ha", 14, 17),
    ("grain_yield_reclaimed_centner_per_ha", 17, 22),
    ("meadow_yield_reclaimed_centner_per_ha", 5, 9),
    ("fodder_yield_farmland_centner_per_ha", 19, 22),
    ("grain_yield_farmland_centner_per_ha", 27, 32),
    ("meadow_yield_farmland_centner_per_ha", 9, 13),
    ("fodder_price_rub_per_centner", 150, 160),
    ("grain_price_rub_per_centner", 280, 310),
    ("meadow_price_rub_per_centner", 95, 120),
    ("district_area_ha", 6100, 6205),
    ("sanitary_zone_area_ha", 4100, 4312),
    ("building_area_ha", 822, 895),
    ("recreation_area_ha", 233, 288),
    ("infrastructure_area_ha", 90, 99),
    ("road_area_ha", 214, 259),
    ("areal_disturbance_area_ha", 200, 212),
    ("outer_dump_area_ha", 780, 810),
    ("outer_dump_reclaimed_area_ha", 285, 332),
    ("inner_dump_area_ha", 640, 690),
    ("inner_dump_reclaimed_area_ha", 190, 215),
    ("nontransport_dump_area_ha", 140, 172),
    ("worked_out_area_ha", 230, 246),
]

# Rows as the seed prints them (first, garbled and last rows of each of the four parts).
PRINTED = [
    (1, "30 66 15 12 39 200 130 90", [
        "coal_output_million_t_per_year", "overburden_million_m3_per_year",
        "internal_dump_million_m3_per_year", "workers_thousand", "residents_thousand",
        "fodder_area_ha", "grain_area_ha", "meadow_area_ha"]),
    (25, "34 69 17 15 36 180 145 75", [
        "coal_output_million_t_per_year", "overburden_million_m3_per_year",
        "internal_dump_million_m3_per_year", "workers_thousand", "residents_thousand",
        "fodder_area_ha", "grain_area_ha", "meadow_area_ha"]),
    (1, "15 21 8 20 31 11 150 300 95", [
        f"{c}_{k}" for k in ("yield_reclaimed_centner_per_ha", "yield_farmland_centner_per_ha",
                             "price_rub_per_centner") for c in CROPS]),
    (25, "15 21 6 19 30 10 150 310 100", [
        f"{c}_{k}" for k in ("yield_reclaimed_centner_per_ha", "yield_farmland_centner_per_ha",
                             "price_rub_per_centner") for c in CROPS]),
    (1, "6100 4300 890 265 90 230 200", [
        "district_area_ha", "sanitary_zone_area_ha", "building_area_ha", "recreation_area_ha",
        "infrastructure_area_ha", "road_area_ha", "areal_disturbance_area_ha"]),
    (25, "6165 4230 822 275 90 217 209", [
        "district_area_ha", "sanitary_zone_area_ha", "building_area_ha", "recreation_area_ha",
        "infrastructure_area_ha", "road_area_ha", "areal_disturbance_area_ha"]),
    (1, "800 300 680 210 140 237", [  # printed "800/300 680/210 140 237"
        "outer_dump_area_ha", "outer_dump_reclaimed_area_ha", "inner_dump_area_ha",
        "inner_dump_reclaimed_area_ha", "nontransport_dump_area_ha", "worked_out_area_ha"]),
    (4, "800 320 687 143 234", [  # printed "800/320 687/20/ 143 234"
        "outer_dump_area_ha", "outer_dump_reclaimed_area_ha", "inner_dump_area_ha",
        "nontransport_dump_area_ha", "worked_out_area_ha"]),
    (25, "800 332 640 195 151 230", [  # printed "800/332 640/195 151 230"
        "outer_dump_area_ha", "outer_dump_reclaimed_area_ha", "inner_dump_area_ha",
        "inner_dump_reclaimed_area_ha", "nontransport_dump_area_ha", "worked_out_area_ha"]),
]  # fmt: skip


def test_row_count_and_columns():
    assert [r["variant"] for r in ROWS] == list(range(1, 26))
    expected = {"variant", "note", *(c for c, _, _ in RANGES)}
    assert set(ROWS[0]) == expected


@pytest.mark.parametrize(("column", "low", "high"), RANGES)
def test_types_and_physical_ranges(column, low, high):
    for row in ROWS:
        value = row[column]
        if value is None:
            assert (row["variant"], column) == (4, "inner_dump_reclaimed_area_ha")
            continue
        assert isinstance(value, int), (row["variant"], column, value)
        assert low <= value <= high, (row["variant"], column, value)


@pytest.mark.parametrize(("variant", "printed", "columns"), PRINTED)
def test_cells_match_the_printed_rows(variant, printed, columns):
    row = variant_row("3.1", variant)
    assert [row[c] for c in columns] == [int(x) for x in printed.split()]


def test_parts_within_wholes():
    for row in ROWS:
        v = row["variant"]
        assert row["sanitary_zone_area_ha"] < row["district_area_ha"], v
        assert row["outer_dump_reclaimed_area_ha"] < row["outer_dump_area_ha"], v
        assert row["internal_dump_million_m3_per_year"] < row["overburden_million_m3_per_year"]
        crops = sum(row[f"{c}_area_ha"] for c in CROPS)
        if row["inner_dump_reclaimed_area_ha"] is not None:
            assert row["inner_dump_reclaimed_area_ha"] < row["inner_dump_area_ha"], v
            reclaimed = row["outer_dump_reclaimed_area_ha"] + row["inner_dump_reclaimed_area_ha"]
            assert crops <= reclaimed, v
        for c in CROPS:
            lower = row[f"{c}_yield_reclaimed_centner_per_ha"]
            assert lower < row[f"{c}_yield_farmland_centner_per_ha"], (v, c)


def test_garbled_cell_is_documented():
    row = variant_row("3.1", 4)
    assert row["inner_dump_reclaimed_area_ha"] is None
    assert "687/20/" in row["note"]
    assert any("687/20/" in line for line in variant_table_notes("3.1"))
    assert all(r["note"] is None for r in ROWS if r["variant"] != 4)


@pytest.mark.parametrize("variant", range(1, 26))
def test_every_variant_runs_or_names_the_missing_field(variant):
    row = variant_row("3.1", variant)
    if variant == 4:
        with pytest.raises(VariantUnavailableError, match="inner_dump_reclaimed_area_ha"):
            from_variant(row)
        return
    _, results = LAND_USE_INDICATORS.run(from_variant(row))
    assert {q.equation for q in results} == {f"3.{i}" for i in range(1, 22)}


def test_variant_that_does_not_exist():
    with pytest.raises(
        ValueError, match=r"variant must be in 1\.\.25 for Table 3\.1 of 004, got 0"
    ):
        variant_row("3.1", 0)
