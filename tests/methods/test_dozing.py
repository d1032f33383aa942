"""Bulldozer methods against Tables 14 and 15 of 003 (section 4.3)."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.integrate import quad

from postmine.methods.dozing import (
    dozer_cycle_time,
    dozer_shift_output,
    dozer_technical_output,
    dozer_travel_time,
    dozing_volume,
    drag_prism_volume,
    inventory_fleet,
    push_loss_factor,
)
from postmine.methods.haulage import required_fleet, round_up_fleet, shift_volume

# Tolerances: half a unit of the last digit 003 prints.
PRISM_TOL_M3 = 0.05  # Table 14 prints Vпр = 3,9
WHOLE_SECOND_TOL_S = 0.5  # Table 14 prints tд.г = 21 and tц = 44
TENTH_SECOND_TOL_S = 0.05  # Table 14 prints tд.п = 12,5
LOSS_FACTOR_TOL = 0.005  # Table 14 prints Kп = 0,93
HOURLY_OUTPUT_TOL = 0.5  # Table 14 prints Пт = 231 m³/h
SHIFT_OUTPUT_TOL_M3 = 0.5  # Tables 14, 15 print Псм = 1479 and Vсм = 1052 m³/shift
ANNUAL_VOLUME_TOL = 0.05  # Table 15 prints Vб = 359,9 thousand m³
FLEET_TOL = 0.05  # Table 15 prints Nр = 0,7
FLEET_TOL_2 = 0.005  # Nр to two decimals, 0.71
HAND_TOL = 1e-3  # hand computations below carry 7 significant digits

# Table 14 in 003
H, B, PHI = 1.31, 3.31, 36.0  # blade height, width [m], repose angle [°]
L, V_LOADED, V_RETURN, T_AUX = 15.0, 0.70, 1.2, 10.0  # m, m/s, m/s, s
K_D, K_R = 0.80, 1.03  # terrain factor, loosening factor
T_SHIFT, K_USE = 8.0, 0.8


def test_table_14_drag_prism():
    # 0.5 × 1.31² × 3.31 / tg 36° = 2.840146 / 0.726543 = 3.909125 m³
    prism = drag_prism_volume(H, B, PHI)
    assert_allclose(prism, 3.9, atol=PRISM_TOL_M3)
    assert_allclose(prism, 3.909125, atol=HAND_TOL)


def test_drag_prism_against_numerical_integration():
    # The prism is a wedge: height H - x tg φ over the run x in [0, H / tg φ], times B.
    for height, width, phi in [(1.31, 3.31, 36.0), (2.0, 4.5, 30.0), (0.8, 2.5, 45.0)]:
        slope = math.tan(math.radians(phi))
        area, _ = quad(lambda x, h=height, s=slope: h - x * s, 0.0, height / slope)
        assert_allclose(drag_prism_volume(height, width, phi), area * width, rtol=1e-10)


def test_table_14_cycle():
    t_push = dozer_travel_time(L, V_LOADED)
    t_return = dozer_travel_time(L, V_RETURN)
    assert_allclose(t_push, 21, atol=WHOLE_SECOND_TOL_S)
    assert_allclose(t_return, 12.5, atol=TENTH_SECOND_TOL_S)
    cycle = dozer_cycle_time(L, V_LOADED, V_RETURN, T_AUX)
    assert_allclose(cycle, 44, atol=WHOLE_SECOND_TOL_S)
    # 21.428571 + 12.5 + 10 = 43.928571 s
    assert_allclose(cycle, 43.928571, atol=HAND_TOL)
    assert_allclose(cycle, t_push + t_return + T_AUX, rtol=1e-12)


def test_cycle_with_another_return_run():
    # 15 / 0.7 + 30 / 1.2 + 10 = 21.428571 + 25 + 10
    assert_allclose(
        dozer_cycle_time(15, 0.7, 1.2, 10, return_distance=30), 56.428571, atol=HAND_TOL
    )


def test_table_14_push_loss_factor():
    loss = push_loss_factor(L)
    assert_allclose(loss, 0.93, atol=LOSS_FACTOR_TOL)
    assert_allclose(loss, 0.925, atol=1e-12)  # 1 - 0.005 × 15
    assert_allclose(push_loss_factor(0.0), 1.0)


def test_table_14_output_exact():
    # 3600 × 3.909125 × 0.925 × 0.8 / (43.928571 × 1.03) = 10 413.91 / 45.246429 = 230.1598
    # × 8 h × 0.8 = 1473.023 m³/shift
    prism = drag_prism_volume(H, B, PHI)
    cycle = dozer_cycle_time(L, V_LOADED, V_RETURN, T_AUX)
    hourly = dozer_technical_output(prism, cycle, push_loss_factor(L), K_D, K_R)
    assert_allclose(hourly, 230.1598, atol=HAND_TOL)
    assert_allclose(dozer_shift_output(hourly, T_SHIFT, K_USE), 1473.023, atol=HAND_TOL)


def test_table_14_printed_output_comes_from_rounded_intermediates():
    # 003 rounds tц to 44 s and Kп to 0.93 (but not Vпр) before multiplying:
    # 3600 × 3.909125 × 0.93 × 0.8 / (44 × 1.03) = 231.03 m³/h -> × 6.4 = 1478.6 -> 1479
    prism = drag_prism_volume(H, B, PHI)
    hourly = dozer_technical_output(prism, 44.0, 0.93, K_D, K_R)
    assert_allclose(hourly, 231, atol=HOURLY_OUTPUT_TOL)
    assert_allclose(dozer_shift_output(hourly, T_SHIFT, K_USE), 1479, atol=SHIFT_OUTPUT_TOL_M3)
    # with Vпр rounded to 3.9 as well it would print 1475, not 1479
    rounded_prism = dozer_shift_output(dozer_technical_output(3.9, 44.0, 0.93, K_D, K_R), 8, 0.8)
    assert abs(rounded_prism - 1479) > SHIFT_OUTPUT_TOL_M3


# Table 15 in 003
V_ROCK, V_TAILINGS, K_FILL = 49.1, 465.1, 0.7  # thousand m³/year, Kз
DAYS, RESERVE = 342, 1.4


def test_table_15():
    dozed = dozing_volume(V_ROCK + V_TAILINGS, K_FILL)
    assert_allclose(dozed, 359.9, atol=ANNUAL_VOLUME_TOL)
    per_shift = shift_volume(dozed * 1000, DAYS, 1)
    assert_allclose(per_shift, 1052, atol=SHIFT_OUTPUT_TOL_M3)
    cycle = dozer_cycle_time(L, V_LOADED, V_RETURN, T_AUX)
    prism = drag_prism_volume(H, B, PHI)
    output = dozer_shift_output(
        dozer_technical_output(prism, cycle, push_loss_factor(L), K_D, K_R), T_SHIFT, K_USE
    )
    working = required_fleet(per_shift, output)  # 1052.456 / 1473.023 = 0.71449
    assert_allclose(working, 0.7, atol=FLEET_TOL)
    assert_allclose(working, 0.71, atol=FLEET_TOL_2)
    inventory = inventory_fleet(working, RESERVE)  # 0.71449 × 1.4 = 1.00028
    assert_allclose(inventory, 1.00028, atol=HAND_TOL)
    assert round_up_fleet(inventory) == 1  # "Инвентарный парк бульдозеров 1"


def test_table_15_with_the_printed_shift_output():
    # 003's own path: 1052.456 / 1479 = 0.71160 -> × 1.4 = 0.99624 -> 1
    working = required_fleet(shift_volume(359_940.0, DAYS, 1), 1479.0)
    assert_allclose(working, 0.71, atol=FLEET_TOL_2)
    assert_allclose(inventory_fleet(working, RESERVE), 0.99624, atol=HAND_TOL)
    assert round_up_fleet(inventory_fleet(working, RESERVE), rel_tol=0.0) == 1


def test_vectorised():
    prisms = drag_prism_volume(np.array([1.0, 1.31]), 3.31, np.array([45.0, 36.0]))
    assert prisms.shape == (2,)
    assert_allclose(prisms[0], 0.5 * 3.31)  # tg 45° = 1
    assert_allclose(push_loss_factor(np.array([0.0, 100.0])), [1.0, 0.5])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: drag_prism_volume(0.0, 3.31, 36), r"blade_height must be > 0 m, got 0 m"),
        (lambda: drag_prism_volume(1.31, -3.31, 36), r"blade_width must be > 0 m"),
        (lambda: drag_prism_volume(1.31, 3.31, 90), r"material_repose_angle must be in \(0, 90\)"),
        (lambda: dozer_travel_time(-15, 0.7), r"distance must be >= 0 m, got -15 m"),
        (lambda: dozer_travel_time(15, 0), r"speed must be > 0 m/s"),
        (lambda: dozer_cycle_time(-15, 0.7, 1.2, 10), r"push_distance must be >= 0 m"),
        (lambda: dozer_cycle_time(15, 0.7, 0.0, 10), r"return_speed must be > 0 m/s"),
        (lambda: dozer_cycle_time(15, 0.7, 1.2, -1), r"gear_shift_time must be >= 0 s"),
        (lambda: dozer_cycle_time(15, 0.7, 1.2, 10, -5), r"return_distance must be >= 0 m"),
        (lambda: push_loss_factor(-1.0), r"push_distance must be >= 0 m"),
        (lambda: push_loss_factor(200.0), r"push_distance must be < 1 / loss_rate"),
        (lambda: push_loss_factor(15.0, -0.01), r"loss_rate must be >= 0 1/m"),
        (lambda: dozer_technical_output(3.9, 0, 0.925, 0.8, 1.03), r"cycle_time must be > 0 s"),
        (
            lambda: dozer_technical_output(3.9, 44, 1.2, 0.8, 1.03),
            r"push_loss_factor must be in \(0, 1\]",
        ),
        (
            lambda: dozer_technical_output(3.9, 44, 0.925, 0.8, 0.9),
            r"loosening_factor must be >= 1",
        ),
        (lambda: dozer_technical_output(3.9, 44, 0.925, 0, 1.03), r"terrain_factor must be > 0"),
        (lambda: dozer_technical_output(0, 44, 0.925, 0.8, 1.03), r"drag_prism_volume must be > 0"),
        (lambda: dozer_shift_output(230, 8, 1.1), r"utilisation must be in \(0, 1\], got 1.1"),
        (lambda: dozer_shift_output(230, 0, 0.8), r"shift_duration must be in \(0, 24\] h"),
        (lambda: dozer_shift_output(-230, 8, 0.8), r"technical_output must be >= 0 m³/h"),
        (lambda: dozing_volume(514.2, 1.2), r"dozed_fraction must be in \[0, 1\], got 1.2"),
        (lambda: dozing_volume(-514.2, 0.7), r"dumped_volume must be >= 0 m³"),
        (lambda: inventory_fleet(0.71, 0.9), r"reserve_factor must be >= 1, got 0.9"),
        (lambda: inventory_fleet(-0.71, 1.4), r"working_fleet must be >= 0"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
