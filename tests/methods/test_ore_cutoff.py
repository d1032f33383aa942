"""Tests of postmine.methods.ore_cutoff (004, practical work 4, Eqs. 4.1-4.8).

PR4 of 004 prints no worked example, so each formula is checked against a hand computation
of variants 1 and 2 of Table 4.1, with the arithmetic written out (grades in percent there,
as in the source; the functions take mass fractions), and against cases that must hold
analytically (no dilution, break-even, the C == C_min boundary).
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.methods.ore_cutoff import (
    cutoff_grade_component,
    cutoff_grade_concentrate,
    cutoff_grade_metal,
    cutoff_grade_ore,
    is_balance_reserve,
    mined_grade,
    quality_change_coefficient,
)

# Hand arithmetic below is carried to 6-7 significant digits.
HAND_RTOL = 5e-6
EXACT_RTOL = 1e-12
PCT = 0.01  # 1 % as a mass fraction

# Variant 1 of Table 4.1: З_д 800, Ц_р 2215, C 4.2 %, П 0.05, Р 0.07, З_о 100,
# a_к/a_м 60/80 %, Ц_к 1700, И_о/И_м 0.9/0.95, Ц_мк 7.5 thousand, З_тм 60, З_м 300,
# Ц_м 22.0 thousand, С_пк 1612.
# Variant 2: З_д 600, Ц_р 1824, C 12.8 %, П 0.06, Р 0.05, З_о 120, a_к/a_м 62/90 %,
# Ц_к 1500, И_о/И_м 0.85/0.9, Ц_мк 4.8 thousand, З_тм 85, З_м 320, Ц_м 11.5 thousand,
# С_пк 611.
K1 = 0.95 / 1.02  # K_к of variant 1 (see below)
K2 = 0.94 / 0.99  # K_к of variant 2


def test_mined_grade_and_quality_coefficient_variants_1_and_2():
    # (4.3) variant 1: a = 4.2 x 0.95 / (0.95 + 0.07) = 3.99 / 1.02 = 3.911765 %
    #       variant 2: a = 12.8 x 0.94 / (0.94 + 0.05) = 12.032 / 0.99 = 12.153535 %
    a = mined_grade(np.array([4.2, 12.8]) * PCT, np.array([0.05, 0.06]), np.array([0.07, 0.05]))
    assert_allclose(a / PCT, [3.911765, 12.153535], rtol=HAND_RTOL)
    # (4.2) K_к = a / C: 3.911765 / 4.2 = 0.931373; 12.153535 / 12.8 = 0.949495
    k = quality_change_coefficient(
        np.array([3.911765, 12.153535]) * PCT, np.array([4.2, 12.8]) * PCT
    )
    assert_allclose(k, [0.931373, 0.949495], rtol=HAND_RTOL)


def test_no_dilution_keeps_the_block_grade():
    # (4.3) with Р = 0: a = C (1 - П) / (1 - П) = C for any loss; then K_к = 1.
    losses = np.array([0.0, 0.05, 0.3, 0.9])
    a = mined_grade(0.042, losses, 0.0)
    assert_allclose(a, 0.042, rtol=EXACT_RTOL)
    assert_allclose(quality_change_coefficient(a, 0.042), 1.0, rtol=EXACT_RTOL)


def test_quality_coefficient_is_independent_of_grade():
    # (4.2)-(4.3): K_к = (1 - П) / (1 - П + Р) whatever C.
    grades = np.array([0.01, 0.2, 0.9])
    k = quality_change_coefficient(mined_grade(grades, 0.08, 0.5), grades)
    assert_allclose(k, 0.92 / 1.42, rtol=EXACT_RTOL)


def test_cutoff_grade_ore_variants_1_and_2():
    # (4.1) variant 1: 800 x 3.911765 / (2215 x 0.931373) = 3129.412 / 2062.991 = 1.516930 %
    #       variant 2: 600 x 12.153535 / (1824 x 0.949495) = 7292.121 / 1731.879 = 4.210526 %
    c_min = cutoff_grade_ore(
        np.array([800.0, 600.0]),
        np.array([3.911765, 12.153535]) * PCT,
        np.array([2215.0, 1824.0]),
        np.array([0.931373, 0.949495]),
    )
    assert_allclose(c_min / PCT, [1.516930, 4.210526], rtol=HAND_RTOL)


def test_cutoff_grade_ore_reduces_to_block_grade_times_cost_over_price():
    # K_к = a / C turns (4.1) into C З_д / Ц_р, whatever the loss and dilution:
    # variant 1: 4.2 x 800 / 2215 = 3360 / 2215 = 1.516930 %
    for loss, dilution in [(0.05, 0.07), (0.0, 0.0), (0.2, 1.5)]:
        a = mined_grade(0.042, loss, dilution)
        c_min = cutoff_grade_ore(800.0, a, 2215.0, quality_change_coefficient(a, 0.042))
        assert_allclose(c_min, 0.042 * 800.0 / 2215.0, rtol=EXACT_RTOL)


def test_cutoff_grade_concentrate_variants_1_and_2():
    # (4.4) variant 1: (800 + 100) x 60 / (1700 x 0.931373 x 0.9) = 54 000 / 1425.000 = 37.8947 %
    #       variant 2: (600 + 120) x 62 / (1500 x 0.949495 x 0.85) = 44 640 / 1210.606 = 36.87409 %
    c_min = cutoff_grade_concentrate(
        np.array([800.0, 600.0]),
        np.array([100.0, 120.0]),
        np.array([60.0, 62.0]) * PCT,
        np.array([1700.0, 1500.0]),
        np.array([K1, K2]),
        np.array([0.9, 0.85]),
    )
    assert_allclose(c_min / PCT, [37.89474, 36.87409], rtol=HAND_RTOL)


def test_cutoff_grade_concentrate_is_a_break_even():
    # At C = C_min, one tonne of ore in the block is mined at grade K_к C, gives
    # K_к C И_о / a_к tonnes of concentrate, and these sell for exactly З_д + З_о.
    ore_cost, bene_cost, a_к, price, k, recovery = 730.0, 145.0, 0.55, 2300.0, 0.87, 0.81
    c_min = cutoff_grade_concentrate(ore_cost, bene_cost, a_к, price, k, recovery)
    revenue = k * c_min * recovery / a_к * price
    assert_allclose(revenue, ore_cost + bene_cost, rtol=EXACT_RTOL)


def test_cutoff_grade_component_variants_1_and_2():
    # (4.5) as printed (a_к in the numerator), Ц_мк in roubles:
    # variant 1: 900 x 60 / (7500 x 0.931373 x 0.9) = 54 000 / 6286.765 = 8.58947 %
    # variant 2: 720 x 62 / (4800 x 0.949495 x 0.85) = 44 640 / 3873.939 = 11.52315 %
    c_min = cutoff_grade_component(
        np.array([800.0, 600.0]),
        np.array([100.0, 120.0]),
        np.array([60.0, 62.0]) * PCT,
        np.array([7500.0, 4800.0]),
        np.array([K1, K2]),
        np.array([0.9, 0.85]),
    )
    assert_allclose(c_min / PCT, [8.58947, 11.52315], rtol=HAND_RTOL)


def test_cutoff_grade_component_is_concentrate_formula_with_component_price():
    # (4.5) is (4.4) with Ц_мк in place of Ц_к, as printed in 004.
    args = (800.0, 100.0, 0.6)
    assert_allclose(
        cutoff_grade_component(*args, 7500.0, K1, 0.9),
        cutoff_grade_concentrate(*args, 7500.0, K1, 0.9),
        rtol=EXACT_RTOL,
    )


def test_cutoff_grade_metal_variants_1_and_2():
    # (4.6) variant 1: (800 + 100 + 60 + 300) x 80 / (22 000 x 0.931373 x 0.9 x 0.95)
    #                 = 100 800 / 17 519.118 = 5.753715 %
    #       variant 2: (600 + 120 + 85 + 320) x 90 / (11 500 x 0.949495 x 0.85 x 0.9)
    #                 = 101 250 / 8353.182 = 12.12114 %
    c_min = cutoff_grade_metal(
        np.array([800.0, 600.0]),
        np.array([100.0, 120.0]),
        np.array([60.0, 85.0]),
        np.array([300.0, 320.0]),
        np.array([80.0, 90.0]) * PCT,
        np.array([22_000.0, 11_500.0]),
        np.array([K1, K2]),
        np.array([0.9, 0.85]),
        np.array([0.95, 0.9]),
    )
    assert_allclose(c_min / PCT, [5.753715, 12.12114], rtol=HAND_RTOL)


def test_cutoff_grade_metal_with_byproducts_variants_1_and_2():
    # (4.7) variant 1: (1260 - 1612) x 80 / 17 519.118 = -28 160 / 17 519.118 = -1.607386 %
    #       (the by-products pay more than all the costs)
    #       variant 2: (1125 - 611) x 90 / 8353.182 = 46 260 / 8353.182 = 5.538007 %
    c_min = cutoff_grade_metal(
        np.array([800.0, 600.0]),
        np.array([100.0, 120.0]),
        np.array([60.0, 85.0]),
        np.array([300.0, 320.0]),
        np.array([80.0, 90.0]) * PCT,
        np.array([22_000.0, 11_500.0]),
        np.array([K1, K2]),
        np.array([0.9, 0.85]),
        np.array([0.95, 0.9]),
        np.array([1612.0, 611.0]),
    )
    assert_allclose(c_min / PCT, [-1.607386, 5.538007], rtol=HAND_RTOL)


def test_cutoff_grade_metal_is_a_break_even():
    # At C = C_min^пк: crude metal from one tonne of ore in the block, K_к C И_о И_м / a_м,
    # sells for the costs less the by-product credit.
    costs = (750.0, 150.0, 45.0, 350.0)
    a_м, price, k, и_о, и_м, credit = 0.85, 28_000.0, 0.9, 0.65, 0.8, 530.0
    c_min = cutoff_grade_metal(*costs, a_м, price, k, и_о, и_м, credit)
    revenue = k * c_min * и_о * и_м / a_м * price
    assert_allclose(revenue, sum(costs) - credit, rtol=EXACT_RTOL)


def test_no_byproduct_credit_gives_equation_4_6():
    args = (800.0, 100.0, 60.0, 300.0, 0.8, 22_000.0, K1, 0.9, 0.95)
    assert_allclose(cutoff_grade_metal(*args, 0.0), cutoff_grade_metal(*args), rtol=EXACT_RTOL)


def test_balance_decisions_variant_1():
    # (4.8) C = 4.2 %: > 1.517 (4.1) yes; > 37.89 (4.4) no; > 8.59 (4.5) no;
    # > 5.75 (4.6) no; > -1.61 (4.7) yes.
    decisions = is_balance_reserve(0.042, np.array([1.517, 37.89, 8.59, 5.75, -1.61]) * PCT)
    assert decisions.tolist() == [True, False, False, False, True]


def test_balance_boundary_is_strict():
    # A block exactly at C_min is not balance (C > C_min, strictly).
    assert is_balance_reserve(0.042, 0.042) is False
    assert is_balance_reserve(0.042, np.nextafter(0.042, 0.0)) is True
    assert is_balance_reserve(0.042, np.nextafter(0.042, 1.0)) is False
    # At the break-even grade of (4.1), C_min = C З_д / Ц_р equals C when З_д = Ц_р.
    a = mined_grade(0.05, 0.1, 0.2)
    c_min = cutoff_grade_ore(1500.0, a, 1500.0, quality_change_coefficient(a, 0.05))
    assert_allclose(c_min, 0.05, rtol=EXACT_RTOL)


@pytest.mark.parametrize(
    ("func", "args", "match"),
    [
        (mined_grade, (0.0, 0.05, 0.07), r"block_grade must be in \(0, 1\], got 0"),
        (mined_grade, (1.5, 0.05, 0.07), r"block_grade must be in \(0, 1\], got 1\.5"),
        (mined_grade, (0.042, 1.0, 0.07), r"ore_loss must be in \[0, 1\), got 1"),
        (mined_grade, (0.042, -0.1, 0.07), r"ore_loss must be in \[0, 1\), got -0\.1"),
        (mined_grade, (0.042, 0.05, -0.07), r"dilution must be >= 0, got -0\.07"),
        (quality_change_coefficient, (0.0, 0.042), r"mined_grade must be in \(0, 1\]"),
        (quality_change_coefficient, (0.04, 2.0), r"block_grade must be in \(0, 1\]"),
        (cutoff_grade_ore, (-800.0, 0.04, 2215.0, 0.93), r"ore_cost must be >= 0 rub/t"),
        (cutoff_grade_ore, (800.0, 0.04, -2215.0, 0.93), r"ore_price must be > 0 rub/t"),
        (cutoff_grade_ore, (800.0, 0.04, 2215.0, 0.0), r"quality_coefficient must be > 0"),
        (cutoff_grade_ore, (800.0, 1.2, 2215.0, 0.93), r"mined_grade must be in \(0, 1\]"),
    ],
)
def test_grade_and_ore_bad_input(func, args, match):
    with pytest.raises(ValueError, match=match):
        func(*args)


CONC = (800.0, 100.0, 0.6, 1700.0, K1, 0.9)


@pytest.mark.parametrize("func", [cutoff_grade_concentrate, cutoff_grade_component])
@pytest.mark.parametrize(
    ("index", "value", "match"),
    [
        (0, -1.0, r"ore_cost must be >= 0 rub/t"),
        (1, -100.0, r"beneficiation_cost must be >= 0 rub/t, got -100"),
        (2, 0.0, r"concentrate_grade must be in \(0, 1\], got 0"),
        (3, -1700.0, r"_price must be > 0 rub/t, got -1700"),
        (4, -0.5, r"quality_coefficient must be > 0"),
        (5, 0.0, r"beneficiation_recovery must be in \(0, 1\], got 0"),
        (5, 1.1, r"beneficiation_recovery must be in \(0, 1\], got 1\.1"),
    ],
)
def test_concentrate_bad_input(func, index, value, match):
    args = list(CONC)
    args[index] = value
    with pytest.raises(ValueError, match=match):
        func(*args)


METAL = (800.0, 100.0, 60.0, 300.0, 0.8, 22_000.0, K1, 0.9, 0.95, 1612.0)


@pytest.mark.parametrize(
    ("index", "value", "match"),
    [
        (2, -60.0, r"concentrate_transport_cost must be >= 0 rub/t"),
        (3, -300.0, r"smelting_cost must be >= 0 rub/t"),
        (4, 80.0, r"metal_grade must be in \(0, 1\], got 80"),
        (5, 0.0, r"metal_price must be > 0 rub/t, got 0"),
        (8, 0.0, r"smelting_recovery must be in \(0, 1\], got 0"),
        (9, -1.0, r"byproduct_credit must be >= 0 rub/t, got -1"),
    ],
)
def test_metal_bad_input(index, value, match):
    args = list(METAL)
    args[index] = value
    with pytest.raises(ValueError, match=match):
        cutoff_grade_metal(*args)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((0.0, 0.01), r"block_grade must be in \(0, 1\]"),
        ((0.042, float("nan")), r"cutoff_grade must be a finite number, got nan"),
    ],
)
def test_balance_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        is_balance_reserve(*args)
