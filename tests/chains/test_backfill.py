"""The 003 backfill chain against Table 4, section 3.1, Table 5 and sections 3.2-3.3.

The chain is SI (t, m³, m², m); 003 prints thousands, converted here in the test only.
"""

import pytest
from numpy.testing import assert_allclose

from postmine.chains.backfill import (
    WasteStreamInput,
    backfill_plan,
    surface_works,
    tier_capacity,
    waste_volumes,
)

K = 1e3  # 003 prints thousand t and thousand m³

MASS_TOL_T = 0.05 * K  # Table 4 prints masses to 0.1 thousand t
VOLUME_TOL_M3 = 0.05 * K  # Tables 4 and 5 print volumes to 0.1 thousand m³
# Table 5 prints 274.1 / 280.2 for 2029 where the proportion 253.4 x 554.3 / 512.3 gives
# 274.17 / 280.13: the source rounds 274.17 down.
SPLIT_TOL_M3 = 0.08 * K
TIME_TOL_YEARS = 0.05  # 52.7 years, one decimal
LAYER_TOL_M = 0.0005  # hand arithmetic to 3 decimals
HAND_TOL_M3 = 0.05  # hand values to 0.0001 thousand m³

# Table 4 in 003: stream, thousand t, t/m³, thousand m³, factor, thousand m³ in the dump
TABLE_4 = [
    ("Waste rock", 140.0, 2.85, 49.1, 1.08, "loosening", 53.0),
    ("SMS tailings", 1000.0, 2.15, 465.1, 1.1, "compaction", 422.8),
    ("Mine-water sludge", 7.1, 3.0, 2.4, 1.1, "compaction", 2.2),
    ("Ash-slag", 33.9, 0.9, 37.7, 1.1, "compaction", 34.3),
]
STREAMS = [
    WasteStreamInput(name, mass * K, density, factor, kind)
    for name, mass, density, _, factor, kind, _ in TABLE_4
]
# Table 4 applies the factor to V rounded to 0.1; unrounded, by hand:
# 140 / 2.85 x 1.08 = 53.0526 and 33.9 / 0.9 / 1.1 = 34.2424 (printed 53.0 and 34.3)
UNROUNDED_DUMP_M3 = {0: 53_052.6, 3: 34_242.4}


@pytest.mark.parametrize("row", range(len(TABLE_4)))
def test_table_4_rows(row):
    _, mass, _, volume_k, _, _, dump_k = TABLE_4[row]
    v = waste_volumes(STREAMS)
    assert_allclose(v.annual_mass[row], mass * K, atol=MASS_TOL_T)
    assert_allclose(v.volume[row], volume_k * K, atol=VOLUME_TOL_M3)
    if row in UNROUNDED_DUMP_M3:
        assert_allclose(v.dump_volume[row], UNROUNDED_DUMP_M3[row], atol=HAND_TOL_M3)
    else:
        assert_allclose(v.dump_volume[row], dump_k * K, atol=VOLUME_TOL_M3)


def test_table_4_totals():
    v = waste_volumes(STREAMS)
    assert_allclose(v.total_mass, 1181.0 * K, atol=MASS_TOL_T)
    assert_allclose(v.total_volume, 554.3 * K, atol=VOLUME_TOL_M3)
    assert_allclose(v.total_dump_volume, 512.3 * K, atol=VOLUME_TOL_M3)


def test_streams_with_one_name_are_refused():
    with pytest.raises(ValueError, match="distinct names, got Ash-slag twice"):
        waste_volumes([STREAMS[3], STREAMS[3]])


# ---- sec. 3.1 and Table 5 --------------------------------------------------------------

# Tier +650 holds 3839.5 thousand m³ (Table 5); +680 takes the rest of the 27 000.
CAPACITY = tier_capacity(27_000.0 * K, [3839.5 * K, None])
PLAN = backfill_plan(CAPACITY, 512.3 * K, 15, 2022, 554.3 * K)

# Table 5 in 003 (thousand m³): year, +650 placed, +650 in dump, +680 placed, +680 in dump
TABLE_5 = [
    *[(year, 554.3, 512.3, 0.0, 0.0) for year in range(2022, 2029)],
    (2029, 274.1, 253.4, 280.2, 258.9),
    *[(year, 0.0, 0.0, 554.3, 512.3) for year in range(2030, 2037)],
]


def test_tier_capacities():
    assert_allclose(CAPACITY, [3839.5 * K, 23_160.5 * K], rtol=1e-12)
    given = tier_capacity(27_000.0 * K, [3839.5 * K, 20_000.0 * K])
    assert_allclose(given, [3839.5 * K, 20_000.0 * K], rtol=0)


def test_a_lower_tier_without_capacity_is_refused():
    with pytest.raises(ValueError, match="every tier but the highest needs a capacity"):
        tier_capacity(27_000.0 * K, [None, 3839.5 * K, None])


def test_filling_time():
    assert_allclose(PLAN.filling_time_years, 52.7, atol=TIME_TOL_YEARS)
    assert PLAN.whole_years == 53  # "53 года" in section 3.1


@pytest.mark.parametrize(("year", "p650", "d650", "p680", "d680"), TABLE_5)
def test_every_cell_of_table_5(year, p650, d650, p680, d680):
    s = PLAN.schedule
    j = s.years.tolist().index(year)
    assert s.placed_volume is not None
    placed_tol = SPLIT_TOL_M3 if year == 2029 else VOLUME_TOL_M3
    assert_allclose(s.dump_volume[:, j], [d650 * K, d680 * K], atol=VOLUME_TOL_M3)
    assert_allclose(s.placed_volume[:, j], [p650 * K, p680 * K], atol=placed_tol)


def test_table_5_totals():
    s = PLAN.schedule
    assert_allclose(s.total_dump_volume, 7684.5 * K, atol=VOLUME_TOL_M3)
    # 27 000 - 7684.5 = 19 315.5 thousand m³ stay unfilled after 15 years
    assert_allclose(s.unfilled_capacity, 19_315.5 * K, atol=VOLUME_TOL_M3)
    assert not s.filled
    assert_allclose(PLAN.year_share, [1.0] * 15, rtol=1e-12)


def test_without_a_limit_the_plan_runs_until_the_void_is_full():
    plan = backfill_plan([3000.0, 2000.0], 1000.0, None, 2030)
    assert plan.schedule.filled
    assert plan.schedule.years.tolist() == [2030, 2031, 2032, 2033, 2034]


# ---- sec. 3.2 and 3.3 ---------------------------------------------------------------------


def test_planning_and_layer():
    works = surface_works(166.0 * K, 0.1, 463.0 * K, 0.3, 156.0 * K)
    # 0.1 m³/m² x 166 thousand m² = 16.6, printed as 17 thousand m³
    assert_allclose(works.planning_volume_m3, 16.6 * K, rtol=1e-12)
    # 0.3 m x 463 thousand m² = 138.9 thousand m³; 156 / 463 = 0.337 m >= 0.3 m
    assert_allclose(works.layer_volume_m3, 138.9 * K, rtol=1e-12)
    assert_allclose(works.imported_layer_thickness_m, 0.337, atol=LAYER_TOL_M)


def test_surface_works_are_optional():
    works = surface_works(None, 0.1, None, 0.3)
    assert works.planning_volume_m3 is None and works.layer_volume_m3 is None


def test_an_imported_volume_needs_the_layer_area():
    with pytest.raises(ValueError, match="imported_layer_volume needs layer_area"):
        surface_works(None, 0.1, None, 0.3, 156.0 * K)


def test_every_lower_tier_needs_a_capacity_when_the_highest_has_one():
    with pytest.raises(ValueError, match="every tier but the highest needs a capacity"):
        tier_capacity(27_000.0 * K, [None, 3839.5 * K, 20_000.0 * K])
