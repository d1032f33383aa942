"""The reclamation works of a PR1 dump through the 003 chain (:mod:`postmine.chains.dump_works`).

Variant 1 of 004 Table 1.2 (the dump of tests/chains/test_pit_allotment.py) with the 003 fleet
of the equipment catalogue (SDLG L975F, BelAZ-75404 and KamAZ-6520, T-170) and the truck
cycle of 003 Table 11. Every output comes from the 003 chain, so the checks here are the
volumes of 004 Eq. 1.19 and the arithmetic that strings them: machine-shifts = V / Q_см.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.chains.dozing import dozer_shift_outputs
from postmine.chains.dump_works import (
    ACTIVITIES,
    DozerSettings,
    DumpWorksInputs,
    dump_dozer_outputs,
    dump_works,
    flattening_push_distance,
)
from postmine.chains.machines import LoadedMaterial, LoaderWork, TruckCycle, haul_chain
from postmine.chains.pit_allotment import PitAllotmentInputs, pit_land_allotment
from postmine.data.equipment import Bulldozer, FrontLoader, get_equipment

SAME_CHAIN_TOL = 1e-12  # the same functions of the 003 chain, called again
SHIFT_S = 8 * 3600.0  # 003 sec. 3.1: one 8-hour shift

LAND = pit_land_allotment(PitAllotmentInputs(1100.0, 90.0, 55.0, 35.0, 0.10, 45.0, 5.0, 0.5))
BOTTOM_UP = LAND.schemes["bottom-up"]
T170 = DozerSettings(
    dozer=get_equipment("T-170", Bulldozer),
    name="T-170",
    push_distance_m=15.0,  # 003 Table 14
    material_repose_angle_deg=36.0,  # 003 Table 14
    rock_loosening_factor=1.03,  # 003 Table 14
    topsoil_loosening_factor=1.1,  # 004 legend of Eq. 1.19
    terrain_factor=0.8,  # 003 Table 14
    utilisation=0.8,  # 003 Table 14
)
TRUCKS = {"BelAZ-75404": 0.6, "KamAZ-6520": 0.4}  # 003 Table 8
CYCLE = TruckCycle(  # 003 Table 11 in s and m/s
    average_speed_m_s=22 / 3.6,
    load_spotting_time_s=42.0,
    unload_spotting_time_s=36.0,
    unloading_time_s=48.0,
    loader_wait_time_s=24.0,
    preparation_time_s=2400.0,
    break_time_s=600.0,
    personal_time_s=600.0,
)


@pytest.fixture(scope="module")
def haul():
    topsoil = LoadedMaterial(bulk_density_t_m3=1.5, bucket_fill_factor=1.0, loosening_factor=1.1)
    return haul_chain(
        get_equipment("SDLG L975F", FrontLoader),
        TRUCKS,
        topsoil,
        1500.0,
        LoaderWork(42.0, 0.85),
        CYCLE,
        SHIFT_S,
    )


@pytest.fixture(scope="module")
def dozing():
    return dump_dozer_outputs(T170, 45.0, 38.0, SHIFT_S)


def test_the_flattening_push_is_the_run_of_the_slope() -> None:
    # h_о ctg α = 45 / tan 38° = 57.597 m
    assert_allclose(flattening_push_distance(45.0, 38.0), 45.0 / np.tan(np.radians(38.0)))


def test_dozer_outputs_are_those_of_the_003_chain(dozing) -> None:
    direct = dozer_shift_outputs(
        T170.dozer, [dozing.flattening_push_m, 15.0, 15.0], 36.0, [1.03, 1.03, 1.1], 0.8,
        SHIFT_S, 0.8,
    )  # fmt: skip
    assert_allclose(
        [dozing.flattening_m3, dozing.planning_m3, dozing.spreading_m3], direct, rtol=1e-15
    )
    assert dozing.push_m == 15.0


def test_volumes_and_machine_shifts(haul, dozing) -> None:
    works = dump_works(
        BOTTOM_UP, DumpWorksInputs(0.5, planning_volume_m3=25_170.0), haul, "L", "D", dozing
    )
    strip = BOTTOM_UP.disturbed_area_m2 * 0.5  # 004 Eq. 1.19 in place (K_р = 1)
    assert_allclose(works.strip_volume_m3, strip, rtol=SAME_CHAIN_TOL)
    assert works.spread_volume_m3 == works.strip_volume_m3  # the whole store is spread
    cover = float(BOTTOM_UP.flattened.top_area + BOTTOM_UP.flattened.side_area)
    assert_allclose(works.spread_thickness_m, strip / cover, rtol=SAME_CHAIN_TOL)
    assert [m.activity for m in works.machines] == [
        *["topsoil-stripping"] * 3,
        "slope-flattening",
        "surface-planning",
        *["topsoil-spreading"] * 4,
    ]
    assert {m.activity for m in works.machines} == set(ACTIVITIES)
    for m in works.machines:
        assert_allclose(m.machine_shifts, m.volume_m3 / m.shift_output_m3, rtol=SAME_CHAIN_TOL)
    loader, belaz, kamaz = works.machines[:3]
    assert_allclose(loader.shift_output_m3, haul.loader_weighted_output_m3, rtol=SAME_CHAIN_TOL)
    assert_allclose([belaz.volume_m3, kamaz.volume_m3], [0.6 * strip, 0.4 * strip])
    assert belaz.haul_distance_m == 1500.0
    flattening = works.machines[3]
    assert_allclose(flattening.volume_m3, float(BOTTOM_UP.flattened.flattening_volume))
    assert flattening.push_distance_m == dozing.flattening_push_m


def test_a_thin_cover_spreads_less_and_a_thick_one_is_short(haul, dozing) -> None:
    thin = dump_works(BOTTOM_UP, DumpWorksInputs(0.5, 0.05), haul, "L", "D", dozing)
    assert thin.spread_volume_m3 < thin.strip_volume_m3
    assert_allclose(thin.spread_thickness_m, 0.05, rtol=SAME_CHAIN_TOL)
    assert not thin.shortfall
    thick = dump_works(BOTTOM_UP, DumpWorksInputs(0.5, 2.0), haul, "L", "D", dozing)
    assert thick.shortfall
    assert thick.spread_volume_m3 == thick.strip_volume_m3
    assert thick.spread_need_m3 is not None and thick.spread_need_m3 > thick.strip_volume_m3


def test_without_topsoil_only_the_bulldozer_works(dozing) -> None:
    works = dump_works(BOTTOM_UP, DumpWorksInputs(0.0), None, "L", "D", dozing)
    assert [m.activity for m in works.machines] == ["slope-flattening"]
    assert works.strip_volume_m3 == 0.0


def test_a_push_the_003_method_refuses_is_refused() -> None:
    # 004 Table 1.2 heights reach 99 m: at 300 m the run is 384 m, beyond the 003 dozer
    with pytest.raises(ValueError, match="push"):
        dump_dozer_outputs(T170, 300.0, 38.0, SHIFT_S)
