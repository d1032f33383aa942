"""The backfill design of the Abaza project file against 003 (Tables 4-15, sec. 3.1-4.2).

The printed values and their readings are those of tests/methods/test_backfill.py,
test_haulage.py and test_dozing.py and of docs/sources.md. The design starts from the
waste streams' masses (the project file), not from Table 4's rounded volumes, so where
003 builds a table on a figure it rounded to 0.1 thousand m³ the tolerance adds the
carried rounding, named per case below.
"""

import tomllib
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.project.backfill import (
    ACTIVITIES,
    SETTLEMENT_YEARS,
    TABLE_KEYS,
    design_backfill,
)
from postmine.project.model import ProjectResult
from postmine.project.rules import load_rule_set
from postmine.project.schema import parse_project, read_project

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "abaza" / "project.toml"
K = 1e3

# Tolerances: half a unit of the last digit 003 prints.
MASS_TOL_KT = 0.05  # Table 4 prints thousand t with one decimal
VOLUME_TOL_K = 0.05  # Tables 4, 5, 9, 12, 15 print thousand m³ with one decimal
TIME_TOL_YEARS = 0.05  # sec. 3.1: 52.7 years
BUCKET_COUNT_TOL = 0.05  # Table 8 prints nк with one decimal
VOLUME_PER_TRUCK_TOL_M3 = 0.05  # Tables 8, 11 print Vаф with one decimal
SHIFT_OUTPUT_TOL_M3 = 0.5  # Tables 8, 11, 12, 15 print m³/shift as whole numbers
TIME_TOL_MIN = 0.05  # Table 11 prints minutes with one decimal
FLEET_TOL = 0.05  # Tables 9, 12, 15 print fleets with one decimal
WHOLE_SECOND_TOL_S = 0.5  # Table 14 prints tд.г = 21 and tц = 44
TENTH_SECOND_TOL_S = 0.05  # Table 14 prints tд.п = 12,5
PRISM_TOL_M3 = 0.05  # Table 14 prints Vпр = 3,9
LOSS_FACTOR_TOL = 0.005  # Table 14 prints Kп = 0,93
PLANNING_TOL_K = 0.5  # sec. 3.2 prints "17 тыс. м3"
SLIDE_PRISM_TOL_M = 0.05  # sec. 4.2 prints 1,3 m
# Table 5 prints 274.1 / 280.2 for 2029 where the proportion gives 274.17 / 280.13
# (tests/methods/test_backfill.py): the source rounds one part down.
SPLIT_TOL_K = 0.08
# Table 4 prints each stream's volume and the annual totals to 0.1 thousand m³ and 003
# builds Tables 5, 9, 12 and 15 on those printed figures; the design uses the unrounded
# ones (512.28 for 512.3, 465.12 for 465.1). A figure built on n printed volumes carries
# up to n x 0.05 thousand m³ more than its own printed rounding.
CARRIED_K = 0.05
HAND_TOL = 1e-3  # hand computations below carry 7 significant digits


@pytest.fixture(scope="module")
def abaza():
    project = read_project(EXAMPLE)
    return design_backfill(project, load_rule_set(project.rules.set))


def project_dict():
    return tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))


def variant(change):
    data = project_dict()
    change(data)
    return parse_project(data)


def design(project, rules=None):
    return design_backfill(project, rules or load_rule_set(project.rules.set))


def table(part, key):
    (found,) = [t for t in part.tables if t.key == key]
    return found


def param(part, key, quantity):
    (row,) = [r for r in table(part, key).rows if r["quantity"] == quantity]
    return row["value"]


def row_of(part, key, **match):
    (row,) = [r for r in table(part, key).rows if all(r.get(k) == v for k, v in match.items())]
    return row


def codes(part):
    return [f.code for f in part.findings]


def hours(part, activity, equipment=None):
    return {
        w.year: w.machine_hours
        for w in part.work
        if w.activity == activity and equipment in (None, w.equipment)
    }


def test_tables_and_activities(abaza):
    assert [t.key for t in abaza.tables] == list(TABLE_KEYS)
    assert set(abaza.activity_years) == set(ACTIVITIES)
    assert {w.activity for w in abaza.work} == {
        "haul-waste",
        "doze-waste",
        "surface-planning",
        "reclamation-layer",
    }
    for t in abaza.tables:
        keys = {c.key for c in t.columns}
        assert all(set(r) <= keys for r in t.rows), t.key
        assert t.title["en"] and t.title["ru"]
    # the JSON form of the result holds no NaN or infinity
    ProjectResult({}, abaza.tables, abaza.findings, abaza.work, abaza.materials).to_dict()


# ---- Table 4 and sec. 3.1 ----------------------------------------------------------------

# Table 4 in 003: stream, mass [thousand t], γ [t/m³], V [thousand m³], factor, in the dump
# [thousand m³], and whether 003 applied the factor to V already rounded (see
# tests/methods/test_backfill.py), with the unrounded volume in the dump by hand.
TABLE_4 = [
    ("Waste rock", 140.0, 2.85, 49.1, 1.08, 53.0, True, 53.05263),
    ("Tailings", 1000.0, 2.15, 465.1, 1.1, 422.8, False, 422.83298),
    ("Mine-water sludge", 7.1, 3.0, 2.4, 1.1, 2.2, False, 2.15152),
    ("Ash and slag", 33.9, 0.9, 37.7, 1.1, 34.3, True, 34.24242),
]


@pytest.mark.parametrize(
    ("stream", "mass", "gamma", "volume", "k", "dump", "rounded_mid_way", "hand"), TABLE_4
)
def test_table_4(abaza, stream, mass, gamma, volume, k, dump, rounded_mid_way, hand):
    row = row_of(abaza, "waste_volumes", stream=stream)
    assert_allclose(row["mass_thousand_t"], mass, atol=MASS_TOL_KT)
    assert_allclose(row["bulk_density_t_m3"], gamma, rtol=1e-12)
    assert_allclose(row["volume_thousand_m3"], volume, atol=VOLUME_TOL_K)
    factor = row["residual_loosening_factor"] or row["compaction_factor"]
    assert_allclose(factor, k, rtol=1e-12)
    assert_allclose(row["dump_volume_thousand_m3"], hand, atol=HAND_TOL)
    if rounded_mid_way:
        # 003 applies the factor to V rounded first (49.1 x 1.08 = 53.0, 37.7 / 1.1 = 34.3)
        assert abs(row["dump_volume_thousand_m3"] - dump) > VOLUME_TOL_K
    else:
        assert_allclose(row["dump_volume_thousand_m3"], dump, atol=VOLUME_TOL_K)
    assert row["hazard_class"] == 5


def test_table_4_totals_and_fleet_columns(abaza):
    total = row_of(abaza, "waste_volumes", stream={"en": "Total", "ru": "Всего"})
    assert_allclose(total["mass_thousand_t"], 1181.0, atol=MASS_TOL_KT)
    assert_allclose(total["volume_thousand_m3"], 554.3, atol=VOLUME_TOL_K)
    assert_allclose(total["dump_volume_thousand_m3"], 512.3, atol=VOLUME_TOL_K)
    ash = row_of(abaza, "waste_volumes", stream="Ash and slag")
    assert ash["by_project_fleet"] is False
    assert "contractor" in ash["fleet_exclusion_reason"]
    assert row_of(abaza, "waste_volumes", stream="Tailings")["by_project_fleet"] is True


def test_filling_time(abaza):
    # 27 000 / 512.28 = 52.706 years, "53 года" in 003 sec. 3.1
    assert_allclose(param(abaza, "filling_time", "filling_time_years"), 52.7, atol=TIME_TOL_YEARS)
    assert param(abaza, "filling_time", "filling_whole_years") == 53
    assert param(abaza, "filling_time", "max_technical_years") == 15
    assert_allclose(param(abaza, "filling_time", "tier_capacity_thousand_m3[+680]"), 23_160.5)
    assert param(abaza, "filling_time", "tier_fill_year[+650]") == 2029


# ---- Table 5 ---------------------------------------------------------------------------

# Table 5 in 003 (thousand m³); None is a blank cell.
# year, +650 placed, +650 in dump, +680 placed, +680 in dump, total placed, total in dump
TABLE_5 = [
    (2022, 554.3, 512.3, None, None, 554.3, 512.3),
    (2023, 554.3, 512.3, None, None, 554.3, 512.3),
    (2024, 554.3, 512.3, None, None, 554.3, 512.3),
    (2025, 554.3, 512.3, None, None, 554.3, 512.3),
    (2026, 554.3, 512.3, None, None, 554.3, 512.3),
    (2027, 554.3, 512.3, None, None, 554.3, 512.3),
    (2028, 554.3, 512.3, None, None, 554.3, 512.3),
    (2029, 274.1, 253.4, 280.2, 258.9, 554.3, 512.3),
    (2030, None, None, 554.3, 512.3, 554.3, 512.3),
    (2031, None, None, 554.3, 512.3, 554.3, 512.3),
    (2032, None, None, 554.3, 512.3, 554.3, 512.3),
    (2033, None, None, 554.3, 512.3, 554.3, 512.3),
    (2034, None, None, 554.3, 512.3, 554.3, 512.3),
    (2035, None, None, 554.3, 512.3, 554.3, 512.3),
    (2036, None, None, 554.3, 512.3, 554.3, 512.3),
]
TABLE_5_TOTALS = (4154.2, 3839.5, 4160.3, 3845.0, 8314.5, 7684.5)  # "Итого"
PLACED_PER_DUMP = 554.3 / 512.3

# A project whose Table 4 totals are exactly the printed 512.3 (in the dump): the tailings
# by hand, 512.3 - (53.05263 + 2.15152 + 34.24242) = 422.85343 thousand m³ in the dump,
# x 1.1 x 2.15 = 1000.04836 thousand t.
EXACT_TAILINGS_T = 1_000_048.36


def _v(x):
    return 0.0 if x is None else x


def _plan_cells(part, year):
    row = row_of(part, "calendar_plan", year=year)
    keys = [
        "tier+650_placed_volume_thousand_m3",
        "tier+650_dump_volume_thousand_m3",
        "tier+680_placed_volume_thousand_m3",
        "tier+680_dump_volume_thousand_m3",
        "placed_volume_thousand_m3",
        "dump_volume_thousand_m3",
    ]
    return [_v(row[k]) for k in keys]


@pytest.mark.parametrize(("year", "p650", "d650", "p680", "d680", "p_all", "d_all"), TABLE_5)
def test_table_5_row(abaza, year, p650, d650, p680, d680, p_all, d_all):
    got = _plan_cells(abaza, year)
    # the 2029 split is where the years before it meet: 7 annual volumes carried
    carried = 7 * CARRIED_K if year == 2029 else 0.0
    split = SPLIT_TOL_K if year == 2029 else VOLUME_TOL_K
    tol = [
        split + carried * PLACED_PER_DUMP,
        VOLUME_TOL_K + carried,
        split + carried * PLACED_PER_DUMP,
        VOLUME_TOL_K + carried,
        VOLUME_TOL_K,
        VOLUME_TOL_K,
    ]
    printed = [_v(x) for x in (p650, d650, p680, d680, p_all, d_all)]
    for g, p, t in zip(got, printed, tol, strict=True):
        assert_allclose(g, p, atol=t)


def test_table_5_totals(abaza):
    total = row_of(abaza, "calendar_plan", year={"en": "Total", "ru": "Итого"})
    p650, d650, p680, d680, p_all, d_all = TABLE_5_TOTALS
    carried = 15 * CARRIED_K  # 15 annual volumes
    assert_allclose(total["tier+650_dump_volume_thousand_m3"], d650, atol=VOLUME_TOL_K)
    assert_allclose(total["tier+650_placed_volume_thousand_m3"], p650, atol=SPLIT_TOL_K)
    assert_allclose(total["tier+680_dump_volume_thousand_m3"], d680, atol=VOLUME_TOL_K + carried)
    assert_allclose(
        total["tier+680_placed_volume_thousand_m3"],
        p680,
        atol=SPLIT_TOL_K + carried * PLACED_PER_DUMP,
    )
    assert_allclose(total["dump_volume_thousand_m3"], d_all, atol=VOLUME_TOL_K + carried)
    assert_allclose(
        total["placed_volume_thousand_m3"], p_all, atol=VOLUME_TOL_K + carried * PLACED_PER_DUMP
    )
    # by hand: 15 x 512.27955 = 7684.193
    assert_allclose(total["dump_volume_thousand_m3"], 15 * 512.27955, atol=HAND_TOL)
    assert len(table(abaza, "calendar_plan").rows) == 16
    assert table(abaza, "calendar_plan").rows[-2]["year"] == 2036


def test_table_5_from_the_printed_annual_volume():
    # With Table 4's total exactly 512.3 every cell of Table 5 is reproduced to its rounding.
    part = design(variant(lambda d: d["waste_streams"][1].update(annual_mass_t=EXACT_TAILINGS_T)))
    assert_allclose(param(part, "filling_time", "annual_dump_volume_thousand_m3"), 512.3,
                    atol=1e-6)  # fmt: skip
    for year, *printed in TABLE_5:
        placed_tol = SPLIT_TOL_K if year == 2029 else VOLUME_TOL_K
        got = _plan_cells(part, year)
        assert_allclose(got[1::2], [_v(x) for x in printed[1::2]], atol=VOLUME_TOL_K)
        assert_allclose(got[0::2], [_v(x) for x in printed[0::2]], atol=placed_tol)
    total = row_of(part, "calendar_plan", year={"en": "Total", "ru": "Итого"})
    assert_allclose(total["dump_volume_thousand_m3"], 7684.5, atol=VOLUME_TOL_K)
    assert_allclose(total["tier+680_dump_volume_thousand_m3"], 3845.0, atol=VOLUME_TOL_K)


# ---- sec. 3.2, 3.3, 4.2 --------------------------------------------------------------------


def test_planning_layer_and_slide_prism(abaza):
    # 0.1 m³/m² x 166 thousand m² = 16.6, printed "17 тыс. м3"
    assert_allclose(param(abaza, "surface_planning", "planning_volume_thousand_m3"), 17.0,
                    atol=PLANNING_TOL_K)  # fmt: skip
    assert_allclose(param(abaza, "surface_planning", "planning_volume_thousand_m3"), 16.6)
    # 0.3 m x 463 thousand m² = 138.9; 156 brought in (003 sec. 3.3) make 156 / 463 = 0.337 m
    assert_allclose(param(abaza, "reclamation_layer", "layer_volume_thousand_m3"), 138.9)
    assert_allclose(param(abaza, "reclamation_layer", "imported_volume_thousand_m3"), 156.0)
    assert_allclose(param(abaza, "reclamation_layer", "imported_thickness_m"), 0.337, atol=5e-4)
    assert_allclose(param(abaza, "reclamation_layer", "haul_distance_km"), 30.0)
    # (ctg 36°50′ − ctg 37°20′) x 55 = 1.32 m, printed 1,3
    assert_allclose(param(abaza, "slide_prism", "slide_prism_width_m"), 1.3,
                    atol=SLIDE_PRISM_TOL_M)  # fmt: skip
    assert_allclose(param(abaza, "slide_prism", "slide_prism_width_m"), 1.32, atol=0.005)


# ---- Tables 8 and 9 ----------------------------------------------------------------------

# Table 8 in 003, columns as printed: stream, truck, nк by payload, nк by body, nц, Vаф, Qэ
TABLE_8 = [
    ("Waste rock", "BelAZ-75404", 3.3, 3.9, 3, 9.7, 1340),
    ("Waste rock", "KamAZ-6520", 2.2, 3.1, 2, 6.5, 1198),
    ("Tailings", "BelAZ-75404", 3.0, 3.6, 3, 13.9, 1917),  # printed "БелАЗ-75405"
    ("Tailings", "KamAZ-6520", 2.0, 2.9, 2, 9.2, 1714),
]


@pytest.mark.parametrize(("stream", "truck", "n_q", "n_v", "n_c", "V_af", "Q_e"), TABLE_8)
def test_table_8(abaza, stream, truck, n_q, n_v, n_c, V_af, Q_e):
    row = row_of(abaza, "loader_output", stream=stream, truck=truck)
    assert_allclose(row["buckets_by_payload"], n_q, atol=BUCKET_COUNT_TOL)
    assert_allclose(row["buckets_by_body_volume"], n_v, atol=BUCKET_COUNT_TOL)
    assert row["loader_cycles"] == n_c
    assert_allclose(row["volume_per_truck_m3"], V_af, atol=VOLUME_PER_TRUCK_TOL_M3)
    assert_allclose(row["shift_output_m3_shift"], Q_e, atol=SHIFT_OUTPUT_TOL_M3)


@pytest.mark.parametrize(
    ("stream", "printed_weighted", "exact_weighted", "exact_annual"),
    [  # Table 8: Qэсв printed truncated (1283.63 -> 1283); exact values by hand as in
        # tests/methods/test_haulage.py: 0.6 x 1340.495 + 0.4 x 1198.322 = 1283.626, x 295
        ("Waste rock", 1283, 1283.626, 378.670),
        ("Tailings", 1835, 1835.585, 541.498),
    ],
)
def test_table_8_weighted_and_annual_output(
    abaza, stream, printed_weighted, exact_weighted, exact_annual
):
    row = row_of(abaza, "loader_output", stream=stream, truck="BelAZ-75404")
    assert_allclose(row["weighted_output_m3_shift"], exact_weighted, atol=HAND_TOL)
    assert printed_weighted <= row["weighted_output_m3_shift"] < printed_weighted + 1
    assert_allclose(row["annual_output_thousand_m3"], exact_annual, atol=HAND_TOL)
    assert row["working_days"] == 295


def test_table_9(abaza):
    rock = row_of(abaza, "loader_fleet", stream="Waste rock")
    tailings = row_of(abaza, "loader_fleet", stream="Tailings")
    assert_allclose(rock["annual_volume_thousand_m3"], 49.1, atol=VOLUME_TOL_K)
    assert_allclose(tailings["annual_volume_thousand_m3"], 465.1, atol=VOLUME_TOL_K)
    assert_allclose(rock["fleet"], 0.1, atol=FLEET_TOL)
    assert_allclose(tailings["fleet"], 0.9, atol=FLEET_TOL)
    total = table(abaza, "loader_fleet").rows[-1]
    # 49.12281 / 378.6697 + 465.11628 / 541.4976 = 0.12972 + 0.85894 = 0.98867
    assert_allclose(total["fleet"], 0.98867, atol=HAND_TOL)
    assert total["fleet_whole"] == 1  # "Итого парк погрузчиков 1"


# ---- Tables 11 and 12 ----------------------------------------------------------------------

# Table 11 in 003: stream, truck, tп, tоб (min), Нв (m³/shift); tо = 10,9 min for all
TABLE_11 = [
    ("Waste rock", "BelAZ-75404", 2.3, 15.7, 260),
    ("Waste rock", "KamAZ-6520", 1.5, 14.9, 182),
    ("Tailings", "BelAZ-75404", 2.3, 15.7, 372),
    ("Tailings", "KamAZ-6520", 1.5, 14.9, 260),
]


@pytest.mark.parametrize(("stream", "truck", "t_load", "t_trip", "H_v"), TABLE_11)
def test_table_11(abaza, stream, truck, t_load, t_trip, H_v):
    row = row_of(abaza, "truck_output", stream=stream, truck=truck)
    assert_allclose(row["travel_time_min"], 10.9, atol=TIME_TOL_MIN)
    assert_allclose(row["loading_time_min"], t_load, atol=TIME_TOL_MIN)
    assert_allclose(row["trip_time_min"], t_trip, atol=TIME_TOL_MIN)
    assert_allclose(row["shift_output_m3_shift"], H_v, atol=SHIFT_OUTPUT_TOL_M3)
    assert_allclose(row["shift_duration_min"], 480.0)


# Table 12 in 003: stream, truck, Vг (thousand m³), Vсм (m³/shift), Nа, Nсп; each Vг is a
# share (0.59 / 0.41) of one stream volume printed by Table 4, which carries its rounding.
TABLE_12 = [
    ("Waste rock", "BelAZ-75404", 28.9, 84, 0.3, 0.4),
    ("Waste rock", "KamAZ-6520", 20.2, 59, 0.3, 0.4),
    ("Tailings", "BelAZ-75404", 273.6, 800, 2.2, 2.5),
    ("Tailings", "KamAZ-6520", 191.5, 560, 2.2, 2.5),
]


@pytest.mark.parametrize(("stream", "truck", "V_g", "V_sm", "N_a", "N_sp"), TABLE_12)
def test_table_12(abaza, stream, truck, V_g, V_sm, N_a, N_sp):
    row = row_of(abaza, "truck_fleet", stream=stream, truck=truck)
    assert_allclose(row["annual_volume_thousand_m3"], V_g, atol=VOLUME_TOL_K + CARRIED_K)
    carried_m3 = CARRIED_K * K / 342  # the carried rounding per shift
    assert_allclose(row["shift_volume_m3_shift"], V_sm, atol=SHIFT_OUTPUT_TOL_M3 + carried_m3)
    assert_allclose(row["working_fleet"], N_a, atol=FLEET_TOL)
    assert_allclose(row["listed_fleet"], N_sp, atol=FLEET_TOL)


def test_table_12_fleet_and_table_6(abaza):
    by_model = {
        r["truck"]: r["fleet_whole"]
        for r in table(abaza, "truck_fleet").rows
        if r["fleet_whole"] is not None and isinstance(r["truck"], str)
    }
    assert by_model == {"BelAZ-75404": 3, "KamAZ-6520": 3}
    assert table(abaza, "truck_fleet").rows[-1]["fleet_whole"] == 6  # "Итого ... 6"
    fleet = {r["equipment"]: r["count"] for r in table(abaza, "fleet").rows}
    # Table 6 in 003: loader 1, BelAZ 3, KamAZ 3, T-170 1
    assert fleet == {"SDLG L975F": 1, "BelAZ-75404": 3, "KamAZ-6520": 3, "T-170": 1}


# ---- Tables 14 and 15 ----------------------------------------------------------------------


def test_table_14(abaza):
    def p(q):
        return param(abaza, "dozer_output", q)

    assert_allclose(p("drag_prism_volume_m3"), 3.9, atol=PRISM_TOL_M3)
    assert_allclose(p("push_time_s"), 21, atol=WHOLE_SECOND_TOL_S)
    assert_allclose(p("return_time_s"), 12.5, atol=TENTH_SECOND_TOL_S)
    assert_allclose(p("cycle_time_s"), 44, atol=WHOLE_SECOND_TOL_S)
    assert_allclose(p("push_loss_factor"), 0.93, atol=LOSS_FACTOR_TOL)
    # 003 prints 231 m³/h and 1479 m³/shift from tц and Kп rounded to 44 s and 0.93 before
    # multiplying (docs/sources.md); unrounded, by hand:
    # 3600 x 3.909125 x 0.925 x 0.8 / (43.928571 x 1.03) = 230.1598; x 8 x 0.8 = 1473.023
    assert_allclose(p("technical_output_m3_h"), 230.1598, atol=HAND_TOL)
    assert_allclose(p("shift_output_m3_shift"), 1473.023, atol=HAND_TOL)
    assert abs(p("shift_output_m3_shift") - 1479) > SHIFT_OUTPUT_TOL_M3


def test_table_15(abaza):
    def p(q):
        return param(abaza, "dozer_fleet", q)

    assert_allclose(p("dumped_volume_thousand_m3[Waste rock]"), 49.1, atol=VOLUME_TOL_K)
    assert_allclose(p("dumped_volume_thousand_m3[Tailings]"), 465.1, atol=VOLUME_TOL_K)
    # Vб = (49.1 + 465.1) x 0.7 = 359.9: two printed volumes carried, x Kз
    assert_allclose(p("dozing_volume_thousand_m3"), 359.9, atol=VOLUME_TOL_K + 2 * CARRIED_K)
    assert_allclose(p("shift_volume_m3_shift"), 1052,
                    atol=SHIFT_OUTPUT_TOL_M3 + 2 * CARRIED_K * 0.7 * K / 342)  # fmt: skip
    assert_allclose(p("working_fleet"), 0.7, atol=FLEET_TOL)
    # by hand: 359.9674 / 342 = 1052.536 m³/shift / 1473.023 = 0.714538 x 1.4 = 1.000353
    assert_allclose(p("inventory_fleet"), 1.000353, atol=HAND_TOL)
    assert p("fleet_whole") == 1  # "Инвентарный парк бульдозеров 1"


# ---- findings --------------------------------------------------------------------------


def test_time_limit_finding(abaza):
    (f,) = [f for f in abaza.findings if f.code == "time-limit-exceeded"]
    assert f.severity == "violation"
    assert_allclose(f.value, 52.7, atol=TIME_TOL_YEARS)
    assert f.limit == 15
    assert f.unit == "years"
    assert "п. 28" in f.source and "ru-800-2018" in f.source
    assert "52.7" in f.message["en"] and "52,7" in f.message["ru"]


def test_other_findings_of_abaza(abaza):
    assert sorted(codes(abaza)) == sorted(
        [
            "time-limit-exceeded",
            "capacity-not-filled",
            "activity-beyond-limit",
            "activity-beyond-limit",
            "void-left-open",
        ]
    )
    (left,) = [f for f in abaza.findings if f.code == "void-left-open"]
    assert left.severity == "warning" and left.value == pytest.approx(19_315.8, abs=0.1)
    assert "19315.8" in left.message["en"].replace(" ", "").replace(",", "")
    (unfilled,) = [f for f in abaza.findings if f.code == "capacity-not-filled"]
    # 27 000 - 15 x 512.27955 = 19 315.81 thousand m³
    assert_allclose(unfilled.value, 19_315.807, atol=HAND_TOL)
    assert unfilled.limit == 27_000.0
    beyond = {f.message["en"].split("(")[1].split(")")[0]: f for f in abaza.findings
              if f.code == "activity-beyond-limit"}  # fmt: skip
    assert set(beyond) == {"surface-planning", "reclamation-layer"}
    assert all(f.severity == "violation" and f.limit == 2036 for f in beyond.values())


def test_fleet_under_utilised():
    part = design(variant(lambda d: d["equipment"].update(min_utilisation=0.98)))
    flagged = {f.message["en"].split(":")[0]: f for f in part.findings
               if f.code == "fleet-under-utilised"}  # fmt: skip
    # used: loader 0.98867 (not flagged), trucks 2.914 / 3 = 0.971 each, T-170 1.0004
    assert set(flagged) == {"BelAZ-75404", "KamAZ-6520"}
    assert_allclose(flagged["BelAZ-75404"].value, 2.914 / 3, atol=HAND_TOL)
    assert flagged["BelAZ-75404"].limit == 0.98


def test_start_deadline_is_reported_from_the_rule_set():
    project = read_project(EXAMPLE)
    part = design(project, load_rule_set("ru-781-2025"))
    deadlines = [f for f in part.findings if f.code == "start-deadline"]
    assert [f.value for f in deadlines] == [8.0, 18.0]
    assert all(f.severity == "info" and f.unit == "months" for f in deadlines)


def test_a_void_filled_within_the_limit():
    # 2000 thousand m³: 3839.5 does not fit; one tier of 2000 fills in 2000 / 512.28 = 3.9 years
    def change(d):
        d["void"]["remaining_capacity_m3"] = 2_000_000
        d["void"]["tiers"] = [{"elevation_m": 650}]

    part = design(variant(change))
    assert part.activity_years["haul-waste"] == (2022, 2025)
    assert "time-limit-exceeded" not in codes(part)
    assert "capacity-not-filled" not in codes(part)
    (exceeded,) = [f for f in part.findings if f.code == "capacity-exceeded"]
    assert_allclose(exceeded.value, 15 * 512.27955, atol=HAND_TOL)  # arising within 15 years
    # the last year is a part year: 2000 - 3 x 512.27955 = 463.161 thousand m³
    last = hours(part, "haul-waste", "SDLG L975F")
    assert_allclose(last[2025] / last[2024], 463.16135 / 512.27955, rtol=1e-6)
    # backfill ends at 2022 + 3.9041 = 2025.904; planning from 2026.904 (1 year of settlement)
    assert part.activity_years["surface-planning"] == (2026, 2026)
    assert "activity-beyond-limit" not in codes(part)


def test_layer_thinner_than_the_norm():
    part = design(variant(lambda d: d["reclamation_layer"].update(imported_volume_m3=120_000)))
    (thin,) = [f for f in part.findings if f.code == "layer-too-thin"]
    assert_allclose(thin.value, 120.0 / 463.0, atol=1e-9)
    assert thin.limit == 0.3


def test_streams_outside_the_fleet_only():
    def change(d):
        for s in d["waste_streams"]:
            s["by_project_fleet"] = False
            s["fleet_exclusion_reason"] = "contractor"

    part = design(variant(change))
    assert table(part, "loader_output").rows == []
    assert table(part, "fleet").rows == []
    assert hours(part, "haul-waste") == {}
    assert part.activity_years["haul-waste"] == (2022, 2036)  # the void is still filled
    assert hours(part, "surface-planning")  # one machine of each kind does the rest


def test_not_a_void_project():
    project = read_project(EXAMPLE).model_copy(update={"void": None})
    with pytest.raises(ValueError, match=r"needs a project with a \[void\]"):
        design(project, load_rule_set("ru-800-2018"))


# ---- schedule, work and materials --------------------------------------------------------

# By hand, 003's machines on the layer: trip at 30 km 2 x 30 x 60 / 22 + 3 x 45 / 60
# + 0.8 + 0.4 + 0.6 + 0.7 = 168.386 min; 3 buckets of 4.2 m³ = 12.6 m³ per truck;
# Нв = 420 x 12.6 / 168.386 = 31.428 m³/shift for both models, so each hauls 78 thousand m³:
# 78 000 / 31.428 = 2481.9 shifts, at 3 x 0.85 x 342 = 872.1 shifts a year = 2.8459 years.
# Planning: 16 600 / 1473.023 = 11.269 dozer shifts at 342 / 1.4 = 244.29 a year = 0.04613.
LAYER_YEARS = 78_000 / (420 * 12.6 / (120 * 30 / 22 + 2.25 + 2.5)) / (3 * 0.85 * 342)
PLANNING_YEARS = 16_600 / 1473.023 / (342 / 1.4)


def test_timeline(abaza):
    assert abaza.activity_years == {
        "mobilisation": (2022, 2022),
        "haul-waste": (2022, 2036),
        "doze-waste": (2022, 2036),
        "surface-planning": (2038, 2038),  # 2037 + SETTLEMENT_YEARS
        "reclamation-layer": (2038, 2040),  # 2038.046 + 2.846 = 2040.892
    }
    assert SETTLEMENT_YEARS == 1.0
    assert_allclose(LAYER_YEARS, 2.8459, atol=HAND_TOL)
    assert_allclose(param(abaza, "reclamation_layer", "duration_years"), LAYER_YEARS, rtol=1e-9)
    rows = {r["activity"]: r for r in table(abaza, "timeline").rows}
    assert rows["haul-waste"]["within_limit"] is True
    assert rows["reclamation-layer"]["within_limit"] is False


def test_work_items_of_the_backfill(abaza):
    # machine-shifts a year = fleet required x days x shifts; hours = shifts x 8 h
    loader = hours(abaza, "haul-waste", "SDLG L975F")
    assert sorted(loader) == list(range(2022, 2037))
    assert_allclose(loader[2022], 0.98867 * 295 * 8, atol=0.01)  # 2333.3 h
    # BelAZ: working fleets 0.32502 + 2.15170 = 2.47672 x 342 x 8 = 6776.3 h
    assert_allclose(hours(abaza, "haul-waste", "BelAZ-75404")[2030], 6776.3, atol=0.1)
    # T-170: 0.714538 x 342 x 8 = 1954.99 h, moving Vб = 359 967 m³
    assert_allclose(hours(abaza, "doze-waste", "T-170")[2036], 1954.99, atol=0.01)
    (doze,) = [w for w in abaza.work if w.activity == "doze-waste" and w.year == 2036]
    assert_allclose(doze.volume_m3, 359_967.4, atol=0.1)


def test_work_items_after_the_backfill(abaza):
    planning = hours(abaza, "surface-planning", "T-170")
    assert_allclose(planning[2038], 16_600 / 1473.023 * 8, atol=HAND_TOL)  # 90.15 h
    layer = [w for w in abaza.work if w.activity == "reclamation-layer"]
    by_model = {}
    for w in layer:
        by_model[w.equipment] = by_model.get(w.equipment, 0.0) + w.machine_hours
    # trucks: 2481.9 shifts x 8 h each model; loader: 156 000 / Qэсв (12.6 m³ trucks:
    # 24 480 x 12.6 / 177 = 1742.64 m³/shift); dozer spreading: 156 000 / 1473.023 shifts
    truck_shifts = 78_000 / (420 * 12.6 / (120 * 30 / 22 + 4.75))
    assert_allclose(by_model["BelAZ-75404"], truck_shifts * 8, rtol=1e-6)
    assert_allclose(by_model["KamAZ-6520"], truck_shifts * 8, rtol=1e-6)
    assert_allclose(by_model["SDLG L975F"], 156_000 / (24_480 * 12.6 / 177) * 8, rtol=1e-6)
    assert_allclose(by_model["T-170"], 156_000 / 1473.023 * 8, rtol=1e-6)
    # the year shares: 2038 from 2038.04613 (after the planning) to the end of the year
    truck_2038 = hours(abaza, "reclamation-layer", "BelAZ-75404")[2038]
    assert_allclose(truck_2038 / (truck_shifts * 8), (1 - PLANNING_YEARS) / LAYER_YEARS,
                    rtol=1e-6)  # fmt: skip
    # in a full year the trucks work all their shifts: 3 x 0.85 x 342 x 8 h
    assert_allclose(hours(abaza, "reclamation-layer", "KamAZ-6520")[2039], 3 * 0.85 * 342 * 8)


def test_materials(abaza):
    layer = [m for m in abaza.materials if m.material == "layer-material"]
    assert sorted(m.year for m in layer) == [2038, 2039, 2040]
    assert_allclose(sum(m.quantity for m in layer), 156_000.0, rtol=1e-12)
    assert all(m.unit == "m³" and m.activity == "reclamation-layer" for m in layer)
    (mob,) = [m for m in abaza.materials if m.material == "mobilisation"]
    assert (mob.activity, mob.year, mob.quantity, mob.unit) == ("mobilisation", 2022, 1.0, "lump")


# ---- one input changes exactly the results that depend on it ---------------------------


def _tables(part, keys):
    return {k: table(part, k).rows for k in keys}


def _hours_by(part, equipment):
    return {(w.activity, w.year): w.machine_hours for w in part.work if w.equipment == equipment}


def test_haul_distance_changes_only_the_trucks(abaza):
    part = design(variant(lambda d: d["haulage"].update(haul_distance_km=2.5)))
    unchanged = ("waste_volumes", "filling_time", "calendar_plan", "loader_output",
                 "loader_fleet", "dozer_output", "dozer_fleet", "surface_planning")  # fmt: skip
    assert _tables(part, unchanged) == _tables(abaza, unchanged)
    assert table(part, "truck_output").rows != table(abaza, "truck_output").rows
    assert table(part, "truck_fleet").rows != table(abaza, "truck_fleet").rows
    # t_о = 2 x 2.5 x 60 / 22 = 13.636 min
    assert_allclose(row_of(part, "truck_output", stream="Tailings", truck="KamAZ-6520")
                    ["travel_time_min"], 13.636, atol=HAND_TOL)  # fmt: skip
    new, old = _hours_by(part, "BelAZ-75404"), _hours_by(abaza, "BelAZ-75404")
    assert new[("haul-waste", 2022)] > old[("haul-waste", 2022)]
    # a longer haul of the waste changes neither the loader's nor the dozer's hours on the
    # waste; 4 trucks of each model (not 3) place the layer sooner, in other year shares
    assert table(part, "fleet").rows[1]["count"] == 4
    for machine in ("SDLG L975F", "T-170"):
        new, old = _hours_by(part, machine), _hours_by(abaza, machine)
        assert {k: v for k, v in new.items() if k[0] != "reclamation-layer"} == {
            k: v for k, v in old.items() if k[0] != "reclamation-layer"
        }
        assert_allclose(
            sum(v for k, v in new.items() if k[0] == "reclamation-layer"),
            sum(v for k, v in old.items() if k[0] == "reclamation-layer"),
            rtol=1e-12,
        )


def test_tailings_tonnage_changes_volumes_plan_and_fleets(abaza):
    part = design(variant(lambda d: d["waste_streams"][1].update(annual_mass_t=1_100_000)))
    for key in ("waste_volumes", "calendar_plan", "loader_fleet", "truck_fleet",
                "dozer_fleet", "fleet"):  # fmt: skip
        assert table(part, key).rows != table(abaza, key).rows, key
    # 1100 / 2.15 = 511.628 thousand m³ of tailings
    tailings = row_of(part, "waste_volumes", stream="Tailings")
    assert_allclose(tailings["volume_thousand_m3"], 1100 / 2.15, atol=HAND_TOL)
    # outputs per truck and per bulldozer do not depend on the tonnage
    for key in ("loader_output", "truck_output", "dozer_output", "slide_prism"):
        assert table(part, key).rows == table(abaza, key).rows, key
    # 465.116 -> 511.628 adds 0.0859 loaders: 1.0746 > 1.005 -> 2 loaders
    assert table(part, "loader_fleet").rows[-1]["fleet_whole"] == 2


def test_rule_set_changes_the_plan_and_findings_not_table_4(abaza, tmp_path):
    path = tmp_path / "ten-years.toml"
    path.write_text(
        'id = "test-10"\ntitle = "Ten years"\nextends = "ru-800-2018"\n'
        '[limits.max_technical_years]\nvalue = 10\ncitation = "a test rule: 10 years"\n',
        encoding="utf-8",
    )
    part = design(read_project(EXAMPLE), load_rule_set(str(path)))
    assert table(part, "waste_volumes").rows == table(abaza, "waste_volumes").rows
    assert len(table(part, "calendar_plan").rows) == 11  # 10 years and the total
    assert part.activity_years["haul-waste"] == (2022, 2031)
    (f,) = [f for f in part.findings if f.code == "time-limit-exceeded"]
    assert f.limit == 10 and "test-10: a test rule" in f.source
    assert [f.limit for f in part.findings if f.code == "activity-beyond-limit"] == [2031, 2031]
    assert part.findings != abaza.findings


def test_project_override_wins_over_the_rule_set(abaza):
    part = design(variant(lambda d: d["rules"].update(max_technical_years=20)))
    assert part.activity_years["haul-waste"] == (2022, 2041)
    (f,) = [f for f in part.findings if f.code == "time-limit-exceeded"]
    assert f.limit == 20 and "overriding ru-800-2018" in f.source
    assert table(part, "waste_volumes").rows == table(abaza, "waste_volumes").rows


def test_no_limit_plans_until_full():
    rules = load_rule_set("ru-800-2018")
    rules = type(rules)(**{**rules.__dict__, "limits": {}})
    part = design(read_project(EXAMPLE), rules)
    # 27 000 / 512.28 = 52.7 -> 53 years, the last a part year
    assert part.activity_years["haul-waste"] == (2022, 2074)
    assert "time-limit-not-stated" in codes(part)
    assert "capacity-not-filled" not in codes(part)
    total = row_of(part, "calendar_plan", year={"en": "Total", "ru": "Итого"})
    assert_allclose(total["dump_volume_thousand_m3"], 27_000.0, rtol=1e-12)


def test_repeated_runs_are_independent(abaza):
    # cached stages hand out read-only arrays: a second run gives the same result
    project = read_project(EXAMPLE)
    again = design(project)
    assert _tables(again, TABLE_KEYS) == _tables(abaza, TABLE_KEYS)
    assert again.work == abaza.work
    assert np.isfinite([w.machine_hours for w in again.work]).all()
