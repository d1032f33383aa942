"""The 003 machine chain (loader -> trucks -> bulldozer) against Tables 8, 9, 11, 12, 14, 15.

The chain is SI (m³, m³/year, m³/shift, s, m); 003 prints thousand m³, minutes and km, so
the printed numbers are converted here, in the test, and nowhere in the chain.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.chains.dozing import dozer_fleet, dozer_output, dozer_shift_outputs
from postmine.chains.machines import (
    LoadedMaterial,
    LoaderWork,
    ShiftRegime,
    TruckCycle,
    haul_chain,
    loader_fleet,
    loader_output,
    rows_by_stream,
    truck_fleet,
    truck_loads,
    truck_output,
)
from postmine.data.equipment import Bulldozer, FrontLoader, Truck, get_equipment

K = 1e3  # 003 prints thousand m³
MINUTE, HOUR = 60.0, 3600.0

# Tolerances: half a unit of the last digit 003 prints.
BUCKET_COUNT_TOL = 0.05  # Table 8 prints nк with one decimal
VOLUME_PER_TRUCK_TOL_M3 = 0.05  # Tables 8, 11 print Vаф with one decimal
SHIFT_OUTPUT_TOL_M3 = 0.5  # Tables 8, 11 print Qэ and Нв in whole m³/shift
TIME_TOL_S = 0.05 * MINUTE  # Table 11 prints times in minutes with one decimal
ANNUAL_VOLUME_TOL_M3 = 0.05 * K  # Table 12 prints Vг in thousand m³ with one decimal
SHIFT_VOLUME_TOL_M3 = 0.5  # Tables 12, 15 print Vсм in whole m³/shift
FLEET_TOL = 0.05  # Tables 9, 12, 15 print fleets with one decimal
# Table 8 truncates Qэсв to whole m³/shift: the exact value is in [printed, printed + 1).
WEIGHTED_TRUNCATION_STEP = 1.0
PRISM_TOL_M3 = 0.05  # Vпр = 3,9
WHOLE_SECOND_TOL_S = 0.5  # tд.г = 21, tц = 44
TENTH_SECOND_TOL_S = 0.05  # tд.п = 12,5
LOSS_FACTOR_TOL = 0.005  # Kп = 0,93
HAND_TOL = 1e-3

LOADER = get_equipment("SDLG L975F", FrontLoader)
BELAZ = get_equipment("BelAZ-75404", Truck)  # printed "БелАЗ-75405" for tailings in 003
KAMAZ = get_equipment("KamAZ-6520", Truck)
T170 = get_equipment("T-170", Bulldozer)

# Table 8: waste rock (γ = 2.85, kн = 1.0, kр = 1.3) and tailings (γ = 2.2, kн = 1.1, no kр)
ROCK = LoadedMaterial(2.85, 1.0, 1.3)
TAILINGS = LoadedMaterial(2.2, 1.1, 1.0)
PAIRS = [(ROCK, BELAZ), (ROCK, KAMAZ), (TAILINGS, BELAZ), (TAILINGS, KAMAZ)]
STREAM = [0, 0, 1, 1]
# In-situ volumes of Table 4: 49.1 and 465.1 thousand m³/year
ANNUAL_VOLUME_M3 = [49.1 * K, 465.1 * K]

LOADER_WORK = LoaderWork(truck_spotting_time_s=42.0, utilisation=0.85)
LOADER_REGIME = ShiftRegime(shift_duration_s=8 * HOUR, shifts_per_day=1, working_days=295)
REGIME = ShiftRegime(shift_duration_s=8 * HOUR, shifts_per_day=1, working_days=342)
CYCLE = TruckCycle(
    average_speed_m_s=22.0 / 3.6,
    load_spotting_time_s=0.7 * MINUTE,
    unload_spotting_time_s=0.6 * MINUTE,
    unloading_time_s=0.8 * MINUTE,
    loader_wait_time_s=0.4 * MINUTE,
    preparation_time_s=40.0 * MINUTE,
    break_time_s=10.0 * MINUTE,
    personal_time_s=10.0 * MINUTE,
)
HAUL_DISTANCE_M = 2000.0

LOADS = truck_loads(LOADER, PAIRS)
LOADING = loader_output(LOADER, LOADS, STREAM, [0.6, 0.4, 0.6, 0.4], LOADER_WORK, LOADER_REGIME)
HAULING = truck_output(LOADER, LOADS, HAUL_DISTANCE_M, CYCLE, REGIME.shift_duration_s)


# ---- Table 8: loads and loader output -----------------------------------------------------

# Table 8 in 003, rows as printed, columns rock BelAZ | rock KamAZ | tailings | tailings KamAZ
TABLE_8 = [
    ("buckets_by_payload", [3.3, 2.2, 3.0, 2.0], BUCKET_COUNT_TOL),
    ("buckets_by_body_volume", [3.9, 3.1, 3.6, 2.9], BUCKET_COUNT_TOL),
    ("volume_per_truck_m3", [9.7, 6.5, 13.9, 9.2], VOLUME_PER_TRUCK_TOL_M3),
]


@pytest.mark.parametrize(("field", "printed", "tol"), TABLE_8)
def test_table_8_loads(field, printed, tol):
    assert_allclose(getattr(LOADS, field), printed, atol=tol)


def test_table_8_accepted_cycles_are_whole():
    assert LOADS.loader_cycles.tolist() == [3, 2, 3, 2]
    assert LOADS.loader_cycles.dtype == np.int64


def test_table_8_loader_output():
    assert_allclose(LOADING.shift_output_m3, [1340, 1198, 1917, 1714], atol=SHIFT_OUTPUT_TOL_M3)
    # printed 1283 and 1835, truncated from 1283.63 and 1835.59
    assert_allclose(LOADING.weighted_output_m3, [1283.5, 1835.5], atol=WEIGHTED_TRUNCATION_STEP / 2)
    # exact annual outputs: 1283.626 × 295 = 378 670; 1835.585 × 295 = 541 498 m³/year
    assert_allclose(LOADING.annual_output_m3, [378_670.0, 541_498.0], atol=HAND_TOL * K)


def test_a_bucket_too_large_names_the_pair():
    heavy = LoadedMaterial(20.0, 1.0, 1.3)  # one bucket weighs 65 t
    with pytest.raises(ValueError, match=r"heavy rock: .*bucket is too large for the truck"):
        truck_loads(LOADER, [(heavy, BELAZ)], ["heavy rock"])


def test_a_material_without_density_fills_the_heaped_body():
    loads = truck_loads(LOADER, [(LoadedMaterial(None, 1.0), BELAZ)])
    assert_allclose(loads.buckets_by_payload, loads.buckets_by_body_volume)
    # whole buckets of 4.2 m³ by body: n_ц = 3, V_аф = 3 × 4.2 = 12.6 m³
    assert loads.loader_cycles.tolist() == [3]
    assert_allclose(loads.volume_per_truck_m3, [12.6], atol=1e-12)


def test_no_pairs_give_empty_results():
    empty = truck_loads(LOADER, [])
    assert empty.loader_cycles.size == 0
    assert (
        loader_output(LOADER, empty, [], [], LOADER_WORK, LOADER_REGIME).weighted_output_m3.size
        == 0
    )
    assert rows_by_stream([]) == []


# ---- Table 9: loader fleet -----------------------------------------------------------------


def test_table_9():
    fleet = loader_fleet(ANNUAL_VOLUME_M3, LOADING.annual_output_m3, 0.005)
    assert_allclose(fleet.fleet, [0.1, 0.9], atol=FLEET_TOL)
    assert_allclose(fleet.total, 0.98858, atol=HAND_TOL)
    assert fleet.whole == 1  # "Итого парк погрузчиков 1"


# ---- Tables 11 and 12: trucks ---------------------------------------------------------------

# Table 11 in 003 (minutes converted to s), columns as Table 8
TABLE_11 = [
    ("loading_time_s", [2.3 * MINUTE, 1.5 * MINUTE, 2.3 * MINUTE, 1.5 * MINUTE], TIME_TOL_S),
    ("trip_time_s", [15.7 * MINUTE, 14.9 * MINUTE, 15.7 * MINUTE, 14.9 * MINUTE], TIME_TOL_S),
    ("shift_output_m3", [260, 182, 372, 260], SHIFT_OUTPUT_TOL_M3),
]


@pytest.mark.parametrize(("field", "printed", "tol"), TABLE_11)
def test_table_11(field, printed, tol):
    assert_allclose(getattr(HAULING, field), printed, atol=tol)


def test_table_11_travel_time():
    # 2 × 2 km / 22 km/h = 10.9 min
    assert_allclose(HAULING.travel_time_s, 10.9 * MINUTE, atol=TIME_TOL_S)


def test_the_lost_time_longer_than_the_shift_is_refused():
    with pytest.raises(ValueError, match="must be < shift_duration"):
        truck_output(LOADER, LOADS, HAUL_DISTANCE_M, CYCLE, 1 * HOUR)


def _truck_fleet(weights):
    return truck_fleet(
        [t.name for _, t in PAIRS],
        STREAM,
        ANNUAL_VOLUME_M3,
        weights,
        HAULING.shift_output_m3,
        REGIME,
        0.85,
        0.005,
    )


def test_table_12():
    # 003 splits each stream in proportion to the output norms
    fleet = _truck_fleet(HAULING.shift_output_m3)
    assert_allclose(
        fleet.annual_volume_m3,
        [28.9 * K, 20.2 * K, 273.6 * K, 191.5 * K],
        atol=ANNUAL_VOLUME_TOL_M3,
    )
    assert_allclose(fleet.shift_volume_m3, [84, 59, 800, 560], atol=SHIFT_VOLUME_TOL_M3)
    assert_allclose(fleet.working_fleet, [0.3, 0.3, 2.2, 2.2], atol=FLEET_TOL)
    assert_allclose(fleet.listed_fleet, [0.4, 0.4, 2.5, 2.5], atol=FLEET_TOL)
    # 0.3821 + 2.5314 = 2.9135 listed trucks of each model -> 3 + 3 = 6
    for model in ("BelAZ-75404", "KamAZ-6520"):
        assert_allclose(fleet.model_fleet[model], 2.9135, atol=HAND_TOL)
        assert fleet.model_whole[model] == 3
    assert fleet.total == 6  # "Итого парк автосамосвалов 6"


def test_given_volume_shares_replace_the_split():
    fleet = _truck_fleet([0.6, 0.4, 0.6, 0.4])
    # 0.6 × 49.1 = 29.46 and 0.4 × 49.1 = 19.64 thousand m³
    assert_allclose(fleet.annual_volume_m3[:2], [29_460.0, 19_640.0], atol=HAND_TOL)


# ---- one stream: the haul chain -------------------------------------------------------------


def test_haul_chain_is_the_pairwise_chain_on_one_stream():
    chain = haul_chain(
        LOADER, {"BelAZ-75404": 0.6, "KamAZ-6520": 0.4}, ROCK, HAUL_DISTANCE_M, LOADER_WORK,
        CYCLE, REGIME.shift_duration_s,
    )  # fmt: skip
    assert_allclose(chain.loader_weighted_output_m3, LOADING.weighted_output_m3[0], rtol=1e-12)
    assert_allclose(list(chain.truck_outputs_m3.values()), HAULING.shift_output_m3[:2], rtol=1e-12)
    loader_shifts, truck_shifts = chain.machine_shifts(1000.0)
    assert_allclose(loader_shifts, 1000.0 / chain.loader_weighted_output_m3, rtol=1e-12)
    assert_allclose(
        truck_shifts["KamAZ-6520"], 400.0 / chain.truck_outputs_m3["KamAZ-6520"], rtol=1e-12
    )


def test_haul_chain_refuses_shares_not_summing_to_one():
    with pytest.raises(ValueError, match="shares must sum to 1"):
        haul_chain(
            LOADER, {"BelAZ-75404": 0.5, "KamAZ-6520": 0.4}, ROCK, HAUL_DISTANCE_M,
            LOADER_WORK, CYCLE, REGIME.shift_duration_s,
        )  # fmt: skip


# ---- Tables 14 and 15: bulldozer ------------------------------------------------------------

DOZER = dozer_output(T170, 15.0, 36.0, 1.03, 0.8, 8 * HOUR, 0.8)

# Table 14 in 003 as printed, for the quantities the code reproduces to the digit
TABLE_14 = [
    ("drag_prism_volume_m3", 3.9, PRISM_TOL_M3),
    ("push_time_s", 21, WHOLE_SECOND_TOL_S),
    ("return_time_s", 12.5, TENTH_SECOND_TOL_S),
    ("cycle_time_s", 44, WHOLE_SECOND_TOL_S),
    ("push_loss_factor", 0.93, LOSS_FACTOR_TOL),
]


@pytest.mark.parametrize(("field", "printed", "tol"), TABLE_14)
def test_table_14(field, printed, tol):
    assert_allclose(getattr(DOZER, field), printed, atol=tol)


def test_table_14_outputs_are_not_rounded():
    # 003 rounds t_ц to 44 s and K_п to 0.93 and prints 231 m³/h and 1479 m³/shift;
    # 3600 × 3.909125 × 0.925 × 0.8 / (43.928571 × 1.03) = 230.1598 m³/h; × 6.4 = 1473.023
    assert_allclose(DOZER.technical_output_m3_h, 230.1598, atol=HAND_TOL)
    assert_allclose(DOZER.shift_output_m3, 1473.023, atol=HAND_TOL)


def test_dozer_shift_outputs_are_vectorised():
    outputs = dozer_shift_outputs(T170, [15.0, 60.0], 36.0, [1.03, 1.03], 0.8, 8 * HOUR, 0.8)
    assert_allclose(outputs[0], DOZER.shift_output_m3, rtol=1e-12)
    assert outputs[1] < outputs[0]


def test_a_push_longer_than_the_prism_lasts_is_refused():
    with pytest.raises(ValueError, match="push_distance must be < 1 / loss_rate"):
        dozer_output(T170, 250.0, 36.0, 1.03, 0.8, 8 * HOUR, 0.8)


def test_table_15():
    fleet = dozer_fleet(sum(ANNUAL_VOLUME_M3), 0.7, DOZER.shift_output_m3, REGIME, 1.4, 0.005)
    assert_allclose(fleet.dozing_volume_m3, 359.9 * K, atol=ANNUAL_VOLUME_TOL_M3)
    assert_allclose(fleet.shift_volume_m3, 1052, atol=SHIFT_VOLUME_TOL_M3)
    # 1052.456 / 1473.023 = 0.714487; × 1.4 = 1.000282 -> one bulldozer within the tolerance
    assert_allclose(fleet.working_fleet, 0.714487, atol=HAND_TOL)
    assert_allclose(fleet.inventory_fleet, 1.000282, atol=HAND_TOL)
    assert fleet.whole == 1  # "Инвентарный парк бульдозеров 1"


# ---- inputs are validated where they are built ----------------------------------------------

TABLE_11_MINUTES = {
    "average_speed_km_h": 22.0,
    "load_spotting_time_min": 0.7,
    "unload_spotting_time_min": 0.6,
    "unloading_time_min": 0.8,
    "loader_wait_time_min": 0.4,
    "preparation_time_min": 40.0,
    "break_time_min": 10.0,
    "personal_time_min": 10.0,
}


def _cycle_in_minutes(**changes):
    return TruckCycle.from_source_units(**{**TABLE_11_MINUTES, **changes})


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: LoadedMaterial(0.0, 1.0), "bulk_density_t_m3 must be > 0 t/m³, got 0"),
        (lambda: LoadedMaterial(2.2, 0.0), "bucket_fill_factor must be > 0, got 0"),
        (lambda: LoadedMaterial(2.2, 1.0, 0.9), "loosening_factor must be >= 1, got 0.9"),
        (lambda: ShiftRegime(0.0, 1, 342), r"shift_duration_s must be in \(0, 86400\] s"),
        (lambda: ShiftRegime(8 * HOUR, 5, 342), r"shifts_per_day must be in \(0, 4\]"),
        (lambda: ShiftRegime(8 * HOUR, 1, 400), r"working_days must be in \(0, 366\]"),
        (lambda: LoaderWork(-1.0, 0.85), "truck_spotting_time_s must be >= 0 s, got -1"),
        (lambda: LoaderWork(42.0, 1.2), r"utilisation must be in \(0, 1\], got 1.2"),
        (lambda: _cycle_in_minutes(average_speed_km_h=0.0), "average_speed_m_s must be > 0 m/s"),
        (lambda: _cycle_in_minutes(unloading_time_min=-0.8), "unloading_time_s must be >= 0 s"),
    ],
)
def test_impossible_inputs_are_refused(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_the_cycle_in_source_units_is_the_cycle_in_si():
    cycle = _cycle_in_minutes()
    assert_allclose(cycle.average_speed_m_s, CYCLE.average_speed_m_s, rtol=1e-12)
    assert_allclose(cycle.preparation_time_s, 2400.0, rtol=1e-12)
