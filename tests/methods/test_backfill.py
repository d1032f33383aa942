"""Tests of postmine.methods.backfill against 003 sections 3.1-3.3, Tables 4 and 5."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.methods.backfill import (
    MAX_RECLAMATION_YEARS,
    MIN_LAYER_THICKNESS,
    SPECIFIC_PLANNING_VOLUME,
    backfill_schedule,
    compacted_volume,
    filling_time,
    loosened_volume,
    planning_volume,
    reclamation_layer_thickness,
    reclamation_layer_volume,
    tier_capacities,
    volume_in_dump,
    waste_stream_volumes,
    waste_volume,
)

K = 1e3  # 003 prints thousand t and thousand m³

MASS_TOL_KT = 0.05  # Table 4 prints masses to 0.1 thousand t
VOLUME_TOL_K = 0.05  # Table 4 prints volumes to 0.1 thousand m³
TIME_TOL_YEARS = 0.05  # the reading notes give 52.7 (one decimal)
PLAN_TOL_K = 0.05  # Table 5 prints volumes to 0.1 thousand m³
# Table 5 prints 274.1 and 280.2 for the split year 2029 where the proportion gives 274.17
# and 280.13: it rounds 274.17 down and gives +680 the rest (see backfill_schedule Notes).
SPLIT_TOL_K = 0.08
PLANNING_TOL_K = 0.5  # section 3.2 prints "17 тыс. м3" (whole thousands)
LAYER_TOL_M = 0.0005  # hand arithmetic below to 3 decimals
HAND_TOL_K = 5e-6  # hand arithmetic below to 5 decimals of a thousand

# Table 4 in 003, laid out as printed:
# stream, mass [thousand t], γ [t/m³], V [thousand m³], factor, kind, V in dump [thousand m³]
TABLE_4 = [
    ("waste rock", 140.0, 2.85, 49.1, 1.08, "loosening", 53.0),
    ("SMS tailings", 1000.0, 2.15, 465.1, 1.1, "compaction", 422.8),
    ("mine-water sludge", 7.1, 3.0, 2.4, 1.1, "compaction", 2.2),
    ("ash-slag", 33.9, 0.9, 37.7, 1.1, "compaction", 34.3),
]
TABLE_4_TOTALS = (1181.0, 554.3, 512.3)  # "Всего": thousand t, thousand m³, thousand m³

# Unrounded volumes in the dump by hand: 140 / 2.85 = 49.12281, x 1.08 = 53.05263;
# 1000 / 2.15 = 465.11628, / 1.1 = 422.83298; 7.1 / 3.0 = 2.36667, / 1.1 = 2.15152;
# 33.9 / 0.9 = 37.66667, / 1.1 = 34.24242.
HAND_DUMP_K = [53.05263, 422.83298, 2.15152, 34.24242]
HAND_ANNUAL_DUMP_K = sum(HAND_DUMP_K)  # 512.27955
HAND_ANNUAL_PLACED_K = 49.12281 + 465.11628 + 2.36667 + 37.66667  # 554.27243


def abaza_streams():
    mass = [row[1] * K for row in TABLE_4]
    density = [row[2] for row in TABLE_4]
    factor = [row[4] for row in TABLE_4]
    kind = [row[5] for row in TABLE_4]
    return waste_stream_volumes(mass, density, factor, kind)


# ---- Table 4: waste streams -------------------------------------------------------------


@pytest.mark.parametrize(
    ("stream", "mass_kt", "density", "volume_k", "k", "kind", "dump_k"), TABLE_4
)
def test_table_4_volume(stream, mass_kt, density, volume_k, k, kind, dump_k):
    assert_allclose(waste_volume(mass_kt * K, density) / K, volume_k, atol=VOLUME_TOL_K)


@pytest.mark.parametrize(
    ("stream", "mass_kt", "density", "volume_k", "k", "kind", "dump_k"), TABLE_4
)
def test_table_4_dump_volume_from_the_printed_volume(
    stream, mass_kt, density, volume_k, k, kind, dump_k
):
    # the source applies the factor to V as printed (rounded to 0.1 thousand m³)
    assert_allclose(volume_in_dump(volume_k * K, k, kind) / K, dump_k, atol=VOLUME_TOL_K)


@pytest.mark.parametrize(
    ("row", "hand_k", "rounded_mid_way"),
    [
        (TABLE_4[0], HAND_DUMP_K[0], True),
        (TABLE_4[1], HAND_DUMP_K[1], False),
        (TABLE_4[2], HAND_DUMP_K[2], False),
        (TABLE_4[3], HAND_DUMP_K[3], True),
    ],
)
def test_table_4_dump_volume_unrounded_chain(row, hand_k, rounded_mid_way):
    _, mass_kt, density, _, k, kind, dump_k = row
    got = volume_in_dump(waste_volume(mass_kt * K, density), k, kind) / K
    assert_allclose(got, hand_k, atol=HAND_TOL_K)
    if rounded_mid_way:
        # 53.05 (not 53.0) and 34.24 (not 34.3): Table 4 rounds V before the factor
        assert abs(got - dump_k) > VOLUME_TOL_K
    else:
        assert_allclose(got, dump_k, atol=VOLUME_TOL_K)


def test_table_4_totals():
    s = abaza_streams()
    mass_kt, volume_k, dump_k = TABLE_4_TOTALS
    assert_allclose(s.total_mass / K, mass_kt, atol=MASS_TOL_KT)
    assert_allclose(s.total_volume / K, volume_k, atol=VOLUME_TOL_K)
    assert_allclose(s.total_dump_volume / K, dump_k, atol=VOLUME_TOL_K)
    assert_allclose(s.total_dump_volume / K, HAND_ANNUAL_DUMP_K, atol=4 * HAND_TOL_K)
    assert_allclose(s.total_volume / K, HAND_ANNUAL_PLACED_K, atol=4 * HAND_TOL_K)
    assert_allclose(s.dump_volume / K, HAND_DUMP_K, atol=HAND_TOL_K)


def test_loosening_and_compaction_by_hand():
    # 100 m³ x 1.25 = 125 m³; 110 m³ / 1.1 = 100 m³; a factor of 1 changes nothing
    assert_allclose(loosened_volume(100.0, 1.25), 125.0, rtol=1e-12)
    assert_allclose(compacted_volume(110.0, 1.1), 100.0, rtol=1e-12)
    assert_allclose(volume_in_dump(100.0, 1.0, "loosening"), 100.0, rtol=1e-12)
    assert_allclose(volume_in_dump(100.0, 1.0, "compaction"), 100.0, rtol=1e-12)


def test_waste_volume_is_vectorised():
    got = waste_volume(np.array([270.0, 0.0]), np.array([2.7, 0.9]))
    assert got.shape == (2,)
    assert_allclose(got, [100.0, 0.0], atol=1e-12)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: waste_volume(140.0e3, -2.85), r"bulk_density must be > 0 t/m³, got -2.85"),
        (lambda: waste_volume(140.0e3, 0.0), r"bulk_density must be > 0 t/m³, got 0"),
        (lambda: waste_volume(-1.0, 2.85), r"annual_mass must be >= 0 t/year, got -1"),
        (lambda: loosened_volume(49.1e3, 0.95), r"residual_loosening_factor must be >= 1"),
        (lambda: loosened_volume(-1.0, 1.08), r"volume must be >= 0 m³"),
        (lambda: compacted_volume(465.1e3, 0.9), r"compaction_factor must be >= 1, got 0.9"),
        (lambda: compacted_volume(float("nan"), 1.1), r"volume must be >= 0 m³, got nan"),
        (lambda: volume_in_dump(1.0, 1.1, "swelling"), r"model must be one of: loosening"),
        (
            lambda: waste_stream_volumes([1.0, 2.0], [2.0], [1.1, 1.1], ["compaction"] * 2),
            r"one value per waste stream",
        ),
        (lambda: waste_stream_volumes([], [], [], []), r"at least one waste stream"),
        (
            lambda: waste_stream_volumes([1.0], [2.0], [0.8], ["loosening"]),
            r"residual_loosening_factor must be >= 1, got 0.8",
        ),
    ],
)
def test_waste_volume_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


# ---- Section 3.1: filling time ----------------------------------------------------------


def test_filling_time_abaza():
    # 27 000 / 512.3 = 52.703 years; the text prints "53 года" (whole years of work)
    assert_allclose(filling_time(27_000.0e3, 512.3e3), 52.7, atol=TIME_TOL_YEARS)
    assert_allclose(filling_time(27_000.0e3, 512.3e3), 27_000.0 / 512.3, rtol=1e-12)
    assert filling_time(27_000.0e3, 512.3e3, whole_years=True) == 53
    # from the unrounded streams: 27 000 / 512.27955 = 52.705
    s = abaza_streams()
    assert_allclose(filling_time(27_000.0e3, s.total_dump_volume), 52.7, atol=TIME_TOL_YEARS)


def test_filling_time_whole_years_at_exact_multiples():
    got = filling_time(
        np.array([3000.0, 3000.1, 0.0, 0.3 * 10]),
        np.array([1000.0, 1000.0, 5.0, 0.3]),
        whole_years=True,
    )
    assert_allclose(got, [3.0, 4.0, 0.0, 10.0], atol=0)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((27.0e6, 0.0), r"annual_dump_volume must be > 0 m³/year, got 0"),
        ((-1.0, 512.3e3), r"remaining_capacity must be >= 0 m³, got -1"),
    ],
)
def test_filling_time_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        filling_time(*args)


# ---- Table 5: calendar plan -------------------------------------------------------------

# Table 5 in 003, laid out as printed (thousand m³); None is a blank cell.
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


def abaza_plan():
    capacity = tier_capacities(27_000.0e3, [3839.5e3])
    return backfill_schedule(
        capacity, 512.3e3, MAX_RECLAMATION_YEARS, annual_placed_volume=554.3e3, start_year=2022
    )


def _blank(x):
    return 0.0 if x is None else x


@pytest.mark.parametrize(("year", "p650", "d650", "p680", "d680", "p_total", "d_total"), TABLE_5)
def test_table_5_row(year, p650, d650, p680, d680, p_total, d_total):
    plan = abaza_plan()
    (j,) = np.flatnonzero(plan.years == year)
    placed_tol = SPLIT_TOL_K if year == 2029 else PLAN_TOL_K
    assert_allclose(plan.dump_volume[:, j] / K, [_blank(d650), _blank(d680)], atol=PLAN_TOL_K)
    assert_allclose(plan.placed_volume[:, j] / K, [_blank(p650), _blank(p680)], atol=placed_tol)
    assert_allclose(plan.dump_volume_by_year[j] / K, d_total, atol=PLAN_TOL_K)
    assert_allclose(plan.placed_volume_by_year[j] / K, p_total, atol=PLAN_TOL_K)


def test_table_5_totals_and_shape():
    plan = abaza_plan()
    p650, d650, p680, d680, p_total, d_total = TABLE_5_TOTALS
    assert plan.dump_volume.shape == (2, 15)
    assert plan.years.tolist() == list(range(2022, 2037))
    assert_allclose(plan.dump_volume_by_tier / K, [d650, d680], atol=PLAN_TOL_K)
    assert_allclose(plan.placed_volume_by_tier / K, [p650, p680], atol=SPLIT_TOL_K)
    assert_allclose(plan.total_dump_volume / K, d_total, atol=PLAN_TOL_K)
    assert_allclose(plan.total_placed_volume / K, p_total, atol=PLAN_TOL_K)


def test_table_5_by_hand():
    plan = abaza_plan()
    # +650 takes 7 full years: 7 x 512.3 = 3586.1; 3839.5 - 3586.1 = 253.4 in 2029
    assert int(np.sum(np.isclose(plan.dump_volume[0], 512.3e3))) == 7
    assert plan.tier_fill_year.tolist() == [2029, -1]
    assert plan.tier_filled.tolist() == [True, False]
    assert_allclose(plan.dump_volume[:, 7], [253.4e3, 512.3e3 - 253.4e3], rtol=1e-9)
    # delivered volume split in proportion: 253.4 x 554.3 / 512.3 = 274.17454
    assert_allclose(plan.placed_volume[0, 7], 253.4e3 * 554.3 / 512.3, rtol=1e-9)
    # 15 x 512.3 = 7684.5 placed; 27 000 - 7684.5 = 19 315.5 left unfilled
    assert_allclose(plan.total_dump_volume, 15 * 512.3e3, rtol=1e-12)
    assert_allclose(plan.unfilled_capacity, 27_000.0e3 - 7684.5e3, rtol=1e-12)
    assert not plan.filled


def test_table_5_from_the_unrounded_streams():
    # A = 512.27955 (hand arithmetic above): +650 holds 3839.5 - 7 A = 253.54 in 2029 (003
    # prints 253.4 from A = 512.3) and the plan places 15 A = 7684.19 (003: 7684.5).
    s = abaza_streams()
    plan = backfill_schedule(
        tier_capacities(27_000.0e3, [3839.5e3]),
        s.total_dump_volume,
        15,
        annual_placed_volume=s.total_volume,
        start_year=2022,
    )
    a = HAND_ANNUAL_DUMP_K
    assert_allclose(plan.dump_volume[:, 7] / K, [3839.5 - 7 * a, 8 * a - 3839.5], rtol=1e-5)
    assert_allclose(plan.total_dump_volume / K, 15 * a, rtol=1e-6)
    assert_allclose(plan.total_placed_volume / K, 15 * HAND_ANNUAL_PLACED_K, rtol=1e-6)


def _greedy_plan(capacity, annual, max_years):
    """Independent year-by-year simulation: pour each year's volume into the lowest tiers."""
    left = list(capacity)
    rows = []
    for _ in range(max_years):
        if sum(left) <= 1e-9:
            break
        pour, row = annual, []
        for i in range(len(left)):
            take = min(pour, left[i])
            left[i] -= take
            pour -= take
            row.append(take)
        rows.append(row)
    return np.array(rows).T


@pytest.mark.parametrize("seed", range(5))
def test_schedule_matches_an_independent_simulation(seed):
    rng = np.random.default_rng(seed)
    capacity = rng.uniform(100.0, 2000.0, size=rng.integers(1, 6))
    annual = float(rng.uniform(150.0, 900.0))
    max_years = int(rng.integers(1, 12))
    plan = backfill_schedule(capacity, annual, max_years)
    expected = _greedy_plan(capacity, annual, max_years)
    assert plan.dump_volume.shape == expected.shape
    assert_allclose(plan.dump_volume, expected, atol=1e-9)
    assert_allclose(plan.total_dump_volume + plan.unfilled_capacity, capacity.sum(), rtol=1e-12)


def test_schedule_that_fills_before_the_limit():
    # tiers of 3000 and 2000 m³ at 1000 m³/year fill in exactly 5 years, not 6
    plan = backfill_schedule([3000.0, 2000.0], 1000.0, 15)
    assert plan.years.tolist() == [1, 2, 3, 4, 5]
    assert_allclose(plan.dump_volume, [[1e3, 1e3, 1e3, 0, 0], [0, 0, 0, 1e3, 1e3]], atol=1e-9)
    assert plan.filled
    assert_allclose(plan.unfilled_capacity, 0.0, atol=1e-9)
    assert plan.tier_fill_year.tolist() == [3, 5]
    assert plan.placed_volume is None and plan.total_placed_volume is None


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (([], 512.3e3, 15), {}, r"tier_capacity must list at least one"),
        (([[1.0, 2.0]], 512.3e3, 15), {}, r"tier_capacity must list at least one"),
        (([3839.5e3, -1.0], 512.3e3, 15), {}, r"tier_capacity must be > 0 m³, got -1"),
        (([3839.5e3], 0.0, 15), {}, r"annual_dump_volume must be > 0 m³/year, got 0"),
        (([3839.5e3], 512.3e3, 0), {}, r"max_years must be >= 1 years, got 0"),
        (([3839.5e3], 512.3e3, -15), {}, r"max_years must be >= 1 years, got -15"),
        (([3839.5e3], 512.3e3, 2.5), {}, r"max_years must be a whole number, got 2.5"),
        (([3839.5e3], 512.3e3, True), {}, r"max_years must be a whole number, got True"),
        (([3839.5e3], 512.3e3, 15), {"start_year": 2022.5}, r"start_year must be a whole"),
        (
            ([3839.5e3], 512.3e3, 15),
            {"annual_placed_volume": -554.3e3},
            r"annual_placed_volume must be > 0 m³/year",
        ),
    ],
)
def test_schedule_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        backfill_schedule(*args, **kwargs)


def test_tier_capacities_by_hand():
    # 27 000 - 3839.5 = 23 160.5 thousand m³ for +680 and the tiers above it
    assert_allclose(tier_capacities(27_000.0e3, [3839.5e3]), [3839.5e3, 23_160.5e3], rtol=1e-12)
    assert_allclose(tier_capacities(10.0, []), [10.0], rtol=1e-12)
    assert_allclose(tier_capacities(10.0, [2.0, 3.0]), [2.0, 3.0, 5.0], rtol=1e-12)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((27_000.0e3, [20_000.0e3, 7_000.0e3]), r"lower_tier_capacity must sum to less than"),
        ((27_000.0e3, [30_000.0e3]), r"must sum to less than remaining_capacity 2\.7e\+07 m³"),
        ((27_000.0e3, [3839.5e3, 0.0]), r"lower_tier_capacity must be > 0 m³, got 0"),
        ((0.0, []), r"remaining_capacity must be > 0 m³, got 0"),
        ((27_000.0e3, [[1.0], [2.0]]), r"lower_tier_capacity must be one-dimensional"),
    ],
)
def test_tier_capacities_that_do_not_sum_sensibly(args, match):
    with pytest.raises(ValueError, match=match):
        tier_capacities(*args)


def test_legal_limit_constant():
    assert MAX_RECLAMATION_YEARS == 15  # Rules [5] п. 28, quoted in 003 sections 3.1 and 5


# ---- Sections 3.2 and 3.3: planning and reclamation layer -------------------------------


def test_planning_volume_abaza():
    # 0.1 m³/m² x 166 000 m² = 16 600 m³, printed as "17 тыс. м3"
    assert_allclose(SPECIFIC_PLANNING_VOLUME, 0.1, rtol=0)
    assert_allclose(planning_volume(166.0e3) / K, 17.0, atol=PLANNING_TOL_K)
    assert_allclose(planning_volume(166.0e3), 16_600.0, rtol=1e-12)
    assert_allclose(planning_volume(np.array([0.0, 1e4]), 0.2), [0.0, 2000.0], atol=1e-9)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((-1.0,), r"area must be >= 0 m², got -1"),
        ((166.0e3, 0.0), r"specific_volume must be > 0 m³/m², got 0"),
    ],
)
def test_planning_volume_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        planning_volume(*args)


def test_reclamation_layer_abaza():
    # the norm of [8] quoted in 3.3: at least 0.3 m
    assert_allclose(MIN_LAYER_THICKNESS, 0.3, rtol=0)
    # 0.3 m x 463 000 m² (dump area, Table 3) = 138 900 m³, less than the 156 000 brought in
    assert_allclose(reclamation_layer_volume(463.0e3), 138_900.0, rtol=1e-12)
    assert reclamation_layer_volume(463.0e3) < 156.0e3
    # 156 000 m³ / 463 000 m² = 0.337 m >= 0.3 m
    h = reclamation_layer_thickness(156.0e3, 463.0e3)
    assert_allclose(h, 0.337, atol=LAYER_TOL_M)
    assert h >= MIN_LAYER_THICKNESS
    # the two functions are inverse: spreading V over S and re-collecting it gives V back
    assert_allclose(reclamation_layer_volume(463.0e3, h), 156.0e3, rtol=1e-12)


def test_reclamation_layer_vectorised():
    got = reclamation_layer_volume(np.array([1e4, 2e4]), np.array([0.3, 0.5]))
    assert_allclose(got, [3000.0, 10_000.0], rtol=1e-12)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: reclamation_layer_volume(463.0e3, 0.25), r"thickness must be >= 0.3 m, got 0.25"),
        (lambda: reclamation_layer_volume(-1.0, 0.3), r"area must be >= 0 m², got -1"),
        (
            lambda: reclamation_layer_volume(1.0, 0.1, min_thickness=0.0),
            r"min_thickness must be > 0 m, got 0",
        ),
        (lambda: reclamation_layer_thickness(156.0e3, 0.0), r"area must be > 0 m², got 0"),
        (lambda: reclamation_layer_thickness(-1.0, 463.0e3), r"volume must be >= 0 m³, got -1"),
    ],
)
def test_reclamation_layer_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_reclamation_layer_thinner_norm_allowed_when_asked():
    assert_allclose(reclamation_layer_volume(1.0e4, 0.2, min_thickness=0.2), 2000.0, rtol=1e-12)
