"""Front loader and truck methods against Tables 8, 9, 11 and 12 of 003 (sections 4.1, 4.2)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.methods.haulage import (
    accepted_bucket_count,
    annual_output,
    buckets_by_body_volume,
    buckets_by_payload,
    in_situ_volume_per_truck,
    listed_fleet,
    loader_shift_output,
    required_fleet,
    round_up_fleet,
    shift_volume,
    split_volume,
    truck_loading_time,
    truck_shift_output,
    truck_travel_time,
    truck_trip_time,
    weighted_loader_output,
)

# Tolerances: half a unit of the last digit 003 prints.
BUCKET_COUNT_TOL = 0.05  # Table 8 prints nк with one decimal
VOLUME_PER_TRUCK_TOL_M3 = 0.05  # Tables 8 and 11 print Vаф with one decimal
SHIFT_OUTPUT_TOL_M3 = 0.5  # Tables 8, 11 print Qэ, Нв in whole m³/shift
TIME_TOL_MIN = 0.05  # Table 11 prints times with one decimal
ANNUAL_VOLUME_TOL = 0.05  # Table 12 prints Vг in thousand m³ with one decimal
SHIFT_VOLUME_TOL_M3 = 0.5  # Table 12 prints Vсм in whole m³/shift
FLEET_TOL = 0.05  # Tables 9 and 12 print fleets with one decimal
# Table 8 truncates the weighted output to whole m³/shift and the annual output to
# 0.1 thousand m³ (see test_weighted_output_is_printed_truncated): the exact value lies in
# [printed, printed + step).
WEIGHTED_TRUNCATION_STEP = 1.0
ANNUAL_TRUNCATION_STEP = 0.1
HAND_TOL = 1e-3  # hand computations below carry 7 significant digits

# Table 8 in 003, common inputs
V_BUCKET = 4.2  # Vп, m³
T_CYCLE = 45.0  # Tц, s
T_SPOT = 42.0  # tм, s
T_SHIFT = 8.0  # Tсм, h
K_USE = 0.85  # kи
LOADER_DAYS = 295  # N

# Table 8 in 003, laid out as its four columns:
# waste rock: BelAZ-75404, KamAZ-6520; tailings: BelAZ-75404 (printed "БелАЗ-75405"), KamAZ-6520
#   qа, Vа, γ, kш, kн, kр ("-" = 1), nк by payload, nк by body, nц, Vаф, Qэ (printed)
TABLE_8 = [
    pytest.param(30.0, 15.0, 2.85, 1.1, 1.0, 1.3, 3.3, 3.9, 3, 9.7, 1340, id="rock-BelAZ"),
    pytest.param(20.0, 12.0, 2.85, 1.1, 1.0, 1.3, 2.2, 3.1, 2, 6.5, 1198, id="rock-KamAZ"),
    pytest.param(30.0, 15.0, 2.2, 1.1, 1.1, 1.0, 3.0, 3.6, 3, 13.9, 1917, id="tailings-BelAZ"),
    pytest.param(20.0, 12.0, 2.2, 1.1, 1.1, 1.0, 2.0, 2.9, 2, 9.2, 1714, id="tailings-KamAZ"),
]


@pytest.mark.parametrize(
    ("q_a", "V_a", "gamma", "k_sh", "k_n", "k_r", "n_q", "n_v", "n_c", "V_af", "Q_e"), TABLE_8
)
def test_table_8(q_a, V_a, gamma, k_sh, k_n, k_r, n_q, n_v, n_c, V_af, Q_e):
    by_payload = buckets_by_payload(q_a, V_BUCKET, gamma, k_n, k_r)
    by_body = buckets_by_body_volume(V_a, V_BUCKET, k_n, k_sh)
    assert_allclose(by_payload, n_q, atol=BUCKET_COUNT_TOL)
    assert_allclose(by_body, n_v, atol=BUCKET_COUNT_TOL)
    cycles = accepted_bucket_count(by_payload, by_body)
    assert isinstance(cycles, int)
    assert cycles == n_c
    volume = in_situ_volume_per_truck(cycles, V_BUCKET, k_n, k_r)
    assert_allclose(volume, V_af, atol=VOLUME_PER_TRUCK_TOL_M3)
    output = loader_shift_output(volume, cycles, T_CYCLE, T_SPOT, T_SHIFT, K_USE)
    assert_allclose(output, Q_e, atol=SHIFT_OUTPUT_TOL_M3)


def test_bucket_counts_hand_computed():
    # 30 × 1.3 / (4.2 × 1.0 × 2.85) = 39 / 11.97 = 3.258145
    # 20 × 1.3 / 11.97 = 2.172097
    # 30 / (4.2 × 1.1 × 2.2) = 30 / 10.164 = 2.951594;  20 / 10.164 = 1.967729
    counts = buckets_by_payload(
        np.array([30.0, 20.0, 30.0, 20.0]),
        V_BUCKET,
        np.array([2.85, 2.85, 2.2, 2.2]),
        np.array([1.0, 1.0, 1.1, 1.1]),
        np.array([1.3, 1.3, 1.0, 1.0]),
    )
    assert_allclose(counts, [3.258145, 2.172097, 2.951594, 1.967729], atol=HAND_TOL)
    assert_allclose(np.round(counts, 2), [3.26, 2.17, 2.95, 1.97])
    assert_allclose(accepted_bucket_count(counts, 3.5), [3, 2, 3, 2])


def test_volume_per_truck_is_the_payload_share_of_whole_buckets():
    # Independent check: the mass carried, Vаф γ, is the payload times nц / nк.
    for q_a, gamma, k_n, k_r in [(30.0, 2.85, 1.0, 1.3), (20.0, 2.2, 1.1, 1.0)]:
        n_k = buckets_by_payload(q_a, V_BUCKET, gamma, k_n, k_r)
        n_c = accepted_bucket_count(n_k, 10.0)
        mass = in_situ_volume_per_truck(n_c, V_BUCKET, k_n, k_r) * gamma
        assert_allclose(mass, q_a * n_c / n_k, rtol=1e-12)


def test_loader_output_hand_computed():
    # 3600 × 8 × 0.85 = 24 480 s of work; 9.692308 m³ per (3 × 45 + 42) = 177 s
    # -> 24 480 × 9.692308 / 177 = 1340.495
    assert_allclose(
        loader_shift_output(3 * 4.2 / 1.3, 3, 45.0, 42.0, 8.0, 0.85), 1340.495, atol=HAND_TOL
    )


def test_accepted_count_rules():
    assert accepted_bucket_count(2.5, 4.0) == 3  # half up, not banker's rounding
    assert accepted_bucket_count(2.49, 4.0) == 2
    assert accepted_bucket_count(3.6, 3.2) == 3  # limited by the heaped body
    assert accepted_bucket_count(3.0, 2.9999999999999) == 3  # float noise is not a bucket
    out = accepted_bucket_count(np.array([1.2, 4.4]), np.array([5.0, 3.5]))
    assert out.dtype == np.int64
    assert_allclose(out, [1, 3])


# The weighted output of Table 8: shares 0.6 (BelAZ) / 0.4 (KamAZ), not printed by 003.
SHARES = [0.6, 0.4]
# Qэ of Table 8 computed by hand: 24 480 Vаф / (nц 45 + 42)
Q_ROCK = [24480 * (12.6 / 1.3) / 177, 24480 * (8.4 / 1.3) / 132]  # 1340.495, 1198.322
Q_TAILINGS = [24480 * 13.86 / 177, 24480 * 9.24 / 132]  # 1916.908, 1713.600


def test_weighted_output_exact():
    # 0.6 × 1340.495 + 0.4 × 1198.322 = 804.297 + 479.329 = 1283.626
    # 0.6 × 1916.908 + 0.4 × 1713.600 = 1150.145 + 685.440 = 1835.585
    assert_allclose(weighted_loader_output(Q_ROCK, SHARES), 1283.626, atol=HAND_TOL)
    assert_allclose(weighted_loader_output([Q_ROCK, Q_TAILINGS], SHARES), [1283.626, 1835.585],
                    atol=HAND_TOL)  # fmt: skip


@pytest.mark.parametrize(
    ("outputs", "printed_weighted", "printed_annual"),
    [  # Table 8 in 003: Qэсв [m³/shift], Qгсв [thousand m³/year]
        pytest.param(Q_ROCK, 1283, 378.4, id="waste rock"),
        pytest.param(Q_TAILINGS, 1835, 541.3, id="tailings"),
    ],
)
def test_weighted_output_is_printed_truncated(outputs, printed_weighted, printed_annual):
    weighted = weighted_loader_output(outputs, SHARES)
    # Truncated, not rounded: 1283.63 prints 1283 and 1835.59 prints 1835.
    assert_allclose(
        weighted,
        printed_weighted + WEIGHTED_TRUNCATION_STEP / 2,
        atol=WEIGHTED_TRUNCATION_STEP / 2,
    )
    # 003 multiplies the truncated figure by 295 days and truncates again:
    # 1283 × 295 = 378 485 -> 378.4; 1835 × 295 = 541 325 -> 541.3.
    annual_source = annual_output(np.floor(weighted), LOADER_DAYS, 1) / 1000
    assert_allclose(
        annual_source, printed_annual + ANNUAL_TRUNCATION_STEP / 2, atol=ANNUAL_TRUNCATION_STEP / 2
    )


def test_annual_output_exact():
    # 1283.626 × 295 = 378 669.7 m³; 1835.585 × 295 = 541 497.6 m³
    assert_allclose(annual_output(np.array([1283.626, 1835.585]), 295, 1),
                    [378_669.7, 541_497.6], atol=0.1)  # fmt: skip
    assert_allclose(annual_output(1000.0, 250, 2), 500_000.0)


@pytest.mark.parametrize(
    ("annual_volume", "annual_output_kt", "printed"),
    [  # Table 9 in 003: Vг, Qг [thousand m³/year], Nсп
        pytest.param(49.1, 378.4, 0.1, id="waste rock"),
        pytest.param(465.1, 541.3, 0.9, id="tailings"),
    ],
)
def test_table_9(annual_volume, annual_output_kt, printed):
    assert_allclose(required_fleet(annual_volume, annual_output_kt), printed, atol=FLEET_TOL)


def test_table_9_total_fleet():
    # with the exact annual outputs 378.670 and 541.498: 0.12966 + 0.85891 = 0.98858 -> 1
    fleets = required_fleet(np.array([49.1, 465.1]), np.array([378.670, 541.498]))
    assert_allclose(fleets, [0.12966, 0.85891], atol=HAND_TOL)
    assert round_up_fleet(fleets.sum()) == 1  # "Итого парк погрузчиков 1"


# Table 11 in 003, common inputs (minutes unless stated)
T_UNLOAD, T_WAIT, T_SPOT_UNLOAD, T_SPOT_LOAD = 0.8, 0.4, 0.6, 0.7
T_PREP, T_BREAK, T_PERSONAL = 40.0, 10.0, 10.0


def test_table_11_travel_time():
    # 2 × 2 × 60 / 22 = 10.909 min, printed 10,9
    assert_allclose(truck_travel_time(2.0, 22.0), 10.9, atol=TIME_TOL_MIN)


# Table 11 in 003, columns as Table 8: nц, Vаф (m³), printed tп, tоб (min), Нв (m³/shift)
TABLE_11 = [
    pytest.param(3, 3 * 4.2 / 1.3, 2.3, 15.7, 260, id="rock-BelAZ"),
    pytest.param(2, 2 * 4.2 / 1.3, 1.5, 14.9, 182, id="rock-KamAZ"),
    pytest.param(3, 3 * 4.2 * 1.1, 2.3, 15.7, 372, id="tailings-BelAZ"),
    pytest.param(2, 2 * 4.2 * 1.1, 1.5, 14.9, 260, id="tailings-KamAZ"),
]


@pytest.mark.parametrize(("n_c", "V_af", "t_load", "t_trip", "H_v"), TABLE_11)
def test_table_11(n_c, V_af, t_load, t_trip, H_v):
    loading = truck_loading_time(n_c, T_CYCLE)
    assert_allclose(loading, t_load, atol=TIME_TOL_MIN)
    travel = truck_travel_time(2.0, 22.0)
    trip = truck_trip_time(travel, loading, T_UNLOAD, T_WAIT, T_SPOT_UNLOAD, T_SPOT_LOAD)
    assert_allclose(trip, t_trip, atol=TIME_TOL_MIN)
    output = truck_shift_output(V_af, trip, T_SHIFT, T_PREP, T_BREAK, T_PERSONAL)
    assert_allclose(output, H_v, atol=SHIFT_OUTPUT_TOL_M3)


def test_truck_output_hand_computed():
    # trip: 10.909091 + 2.25 + 0.8 + 0.4 + 0.6 + 0.7 = 15.659091 min
    # (480 - 60) / 15.659091 = 26.821771 trips × 9.692308 m³ = 259.962 m³/shift
    assert_allclose(
        truck_shift_output(9.692308, 15.659091, 8.0, 40.0, 10.0, 10.0), 259.962, atol=HAND_TOL
    )


# Table 12 in 003, per stream: annual volume of Table 4, Нв of the two models and the
# printed Vг (thousand m³), Vсм (m³/shift), Nа, Nсп per model.
# Нв by hand: (480 - 60) Vаф / tоб, tоб = tо + tп + 0.8 + 0.4 + 0.6 + 0.7 with
# tо = 240 / 22 = 120 / 11 and tп = 2.25 (BelAZ, 3 buckets) or 1.5 (KamAZ, 2 buckets).
H_ROCK = [420 * (12.6 / 1.3) / (120 / 11 + 4.75), 420 * (8.4 / 1.3) / (120 / 11 + 4.0)]
H_TAILINGS = [420 * 13.86 / (120 / 11 + 4.75), 420 * 9.24 / (120 / 11 + 4.0)]
TABLE_12 = [
    pytest.param(49.1, H_ROCK, [28.9, 20.2], [84, 59], [0.3, 0.3], [0.4, 0.4], id="rock"),
    pytest.param(
        465.1, H_TAILINGS, [273.6, 191.5], [800, 560], [2.2, 2.2], [2.5, 2.5], id="tailings"
    ),
]
WORKING_DAYS, AVAILABILITY = 342, 0.85


@pytest.mark.parametrize(("V_year", "H_v", "V_g", "V_sm", "N_a", "N_sp"), TABLE_12)
def test_table_12(V_year, H_v, V_g, V_sm, N_a, N_sp):
    volumes = split_volume(V_year, H_v)
    assert_allclose(volumes, V_g, atol=ANNUAL_VOLUME_TOL)
    per_shift = shift_volume(volumes * 1000, WORKING_DAYS, 1)
    assert_allclose(per_shift, V_sm, atol=SHIFT_VOLUME_TOL_M3)
    working = required_fleet(per_shift, np.array(H_v))
    assert_allclose(working, N_a, atol=FLEET_TOL)
    assert_allclose(listed_fleet(working, AVAILABILITY), N_sp, atol=FLEET_TOL)
    # the formula 003 prints, Nа ∙ kтг, would not give its numbers
    assert np.all(np.abs(working * AVAILABILITY - np.array(N_sp)) > FLEET_TOL)


def test_table_12_split_gives_equal_working_fleets():
    # Weighting by Нв makes Vг,i / Нв,i the same for every model of a stream.
    working = required_fleet(split_volume(49.1, H_ROCK), np.array(H_ROCK))
    assert_allclose(working[0], working[1], rtol=1e-12)


def test_table_12_printed_28_9_is_itself_rounded():
    # 28 900 / 342 = 84.50 m³/shift; the printed 84 comes from the unrounded 28 879.
    assert_allclose(shift_volume(28_900.0, 342, 1), 84.503, atol=HAND_TOL)
    assert_allclose(shift_volume(28_878.9, 342, 1), 84.441, atol=HAND_TOL)


def test_table_12_fleet_per_model_and_total():
    listed = np.array(
        [
            listed_fleet(required_fleet(shift_volume(v * 1000, 342, 1), np.array(h)), 0.85)
            for v, h in [(split_volume(49.1, H_ROCK), H_ROCK),
                         (split_volume(465.1, H_TAILINGS), H_TAILINGS)]
        ]
    )  # fmt: skip
    per_model = listed.sum(axis=0)  # BelAZ, KamAZ: 0.382 + 2.531 = 2.914 each
    assert_allclose(per_model, [2.914, 2.914], atol=HAND_TOL)
    whole = round_up_fleet(per_model)
    assert_allclose(whole, [3, 3])  # Table 6: 3 BelAZ-75404 and 3 KamAZ-6520
    assert int(whole.sum()) == 6  # "Итого парк автосамосвалов 6"


def test_split_by_volume_shares():
    assert_allclose(split_volume(100.0, [0.6, 0.4]), [60.0, 40.0])
    assert_allclose(split_volume(np.array([10.0, 20.0]), [[1, 1], [1, 3]]), [[5, 5], [5, 15]])


def test_round_up_fleet():
    assert round_up_fleet(0.0) == 0
    assert round_up_fleet(0.001) == 1  # any work needs a machine
    assert round_up_fleet(2.0) == 2
    assert round_up_fleet(2.02) == 3
    assert round_up_fleet(1.0003) == 1  # within the input precision
    assert round_up_fleet(1.0003, rel_tol=0.0) == 2  # strict ceiling
    assert_allclose(round_up_fleet(np.array([0.4, 2.5])), [1, 3])


def test_vectorised():
    out = loader_shift_output(np.array([9.7, 6.5]), np.array([3, 2]), 45.0, 42.0, 8.0, 0.85)
    assert out.shape == (2,)
    trips = truck_trip_time(np.array([10.0, 20.0]), 2.0, 0.8, 0.4, 0.6, 0.7)
    assert_allclose(trips, [14.5, 24.5])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: buckets_by_payload(30, 0.0, 2.85, 1.0), r"bucket_volume must be > 0 m³, got 0"),
        (lambda: buckets_by_payload(-30, 4.2, 2.85, 1.0), r"payload must be > 0 t"),
        (lambda: buckets_by_payload(30, 4.2, 0, 1.0), r"bulk_density must be > 0 t/m³"),
        (lambda: buckets_by_payload(30, 4.2, 2.85, 1.0, 0.9), r"loosening_factor must be >= 1"),
        (lambda: buckets_by_body_volume(15, 4.2, 1.0, 0), r"heaped_load_factor must be > 0"),
        (lambda: buckets_by_body_volume(np.nan, 4.2, 1, 1.1), r"body_volume must be > 0"),
        (lambda: accepted_bucket_count(0.3, 5.0), r"accepted bucket count must be >= 1"),
        (lambda: accepted_bucket_count(3.0, 0.8), r"bucket is too large for the truck"),
        (lambda: accepted_bucket_count(-1.0, 3.0), r"by_payload must be > 0"),
        (lambda: in_situ_volume_per_truck(0, 4.2, 1.0), r"loader_cycles must be > 0"),
        (
            lambda: loader_shift_output(9.7, 3, 45, 42, 8, 1.2),
            r"utilisation must be in \(0, 1\], got 1.2",
        ),
        (
            lambda: loader_shift_output(9.7, 3, 45, 42, 25, 0.85),
            r"shift_duration must be in \(0, 24\] h, got 25 h",
        ),
        (
            lambda: loader_shift_output(9.7, 3, 45, -1, 8, 0.85),
            r"truck_spotting_time must be >= 0 s",
        ),
        (lambda: loader_shift_output(9.7, 3, 0, 42, 8, 0.85), r"loader_cycle_time must be > 0 s"),
        (
            lambda: weighted_loader_output([1340, 1198], [0.6, 0.3]),
            r"shares must sum to 1, got 0.9",
        ),
        (
            lambda: weighted_loader_output([1340, 1198], [1.0]),
            r"same length",
        ),
        (
            lambda: weighted_loader_output([1340, 1198], [1.2, -0.2]),
            r"shares must be in \[0, 1\]",
        ),
        (lambda: annual_output(1283, 0, 1), r"working_days must be in \(0, 366\] day/year"),
        (lambda: annual_output(1283, 295, 5), r"shifts_per_day must be in \(0, 4\]"),
        (lambda: required_fleet(-1.0, 378.4), r"volume must be >= 0 m³"),
        (lambda: required_fleet(49.1, 0.0), r"output must be > 0 m³"),
        (lambda: round_up_fleet(-0.5), r"fleet must be >= 0"),
        (lambda: round_up_fleet(1.0, rel_tol=0.2), r"rel_tol must be in \[0, 0.1\]"),
        (lambda: truck_travel_time(-2.0, 22.0), r"haul_distance must be >= 0 km, got -2 km"),
        (lambda: truck_travel_time(2.0, 0.0), r"average_speed must be > 0 km/h"),
        (lambda: truck_loading_time(3, -45.0), r"loader_cycle_time must be > 0 s"),
        (lambda: truck_trip_time(10.9, 2.25, -0.8, 0.4, 0.6, 0.7), r"unloading_time must be >= 0"),
        (lambda: truck_trip_time(10.9, 0.0, 0.8, 0.4, 0.6, 0.7), r"loading_time must be > 0 min"),
        (
            lambda: truck_shift_output(9.7, 15.7, 1.0, 40.0, 10.0, 10.0),
            r"preparation_time \+ break_time \+ personal_time must be < shift_duration",
        ),
        (lambda: truck_shift_output(9.7, 0.0, 8.0, 40, 10, 10), r"trip_time must be > 0 min"),
        (lambda: shift_volume(-1.0, 342, 1), r"annual_volume must be >= 0 m³/year"),
        (lambda: shift_volume(1.0, 400, 1), r"working_days must be in \(0, 366\]"),
        (lambda: split_volume(49.1, [0.0, 0.0]), r"weights must have a positive sum"),
        (lambda: split_volume(49.1, [260.0, -182.0]), r"weights must be >= 0"),
        (lambda: listed_fleet(0.3, 0.0), r"technical_availability must be in \(0, 1\], got 0"),
        (lambda: listed_fleet(0.3, 1.5), r"technical_availability must be in \(0, 1\], got 1.5"),
        (lambda: listed_fleet(-0.3, 0.85), r"working_fleet must be >= 0"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
