"""Losses, dilution and mined grade at two ore contacts: practical work 5 of 004.

004 prints no worked example for practical work 5, so the formulas are checked against a
hand computation of Table 5.1 (variant 20, the only row printing all its cells in its own
line, see data/variants/table_5_1.csv), an exact metal balance, and limiting cases.
The functions take grades as mass fractions; the hand computation is written in the
source's % and the inputs and expected grades are divided by 100 where they are used.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.methods.losses_dilution import (
    METAL_COST_READINGS,
    cheapest_scheme,
    dilution,
    metal_loss,
    metal_unit_cost,
    mined_grade,
    quality_coefficient,
)

# The hand computation below is carried to 6 significant digits or more: half a unit of
# the 6th digit is at most 5e-6 relative.
HAND_RTOL = 5e-6
# Identities (metal balance, limiting cases) hold to floating-point rounding.
EXACT_RTOL = 1e-12

# Variant 20 of Table 5.1 of 004: m_р = 19 m, C_б = 2.4 %, C_р = 0.3 %, C_п = 1.0 %.
M_R = 19.0
C_B = 0.024  # 2.4 %
C_R = 0.003  # 0.3 %
C_P = 0.010  # 1.0 %
# Schemes А, Б, В: M_п / M_р printed "0,4/1,6 0,15/0,4 0,2/0,4" [m].
LOST = np.array([0.4, 0.15, 0.2])
ROCK = np.array([1.6, 0.4, 0.4])

# Hand computation, variant 20 (metal per m² of plan, thickness × grade in %):
#   metal of the body m_р C_б = 19 × 2.4 = 45.6
#   А: lost 2 × 0.4 × 1.0 = 0.8, rock 2 × 1.6 × 0.3 = 0.96
#      П = (0.8 − 0.96) / 45.6 = −0.16 / 45.6 = −0.00350877
#      a_д = (45.6 − 0.8 + 0.96) / (19 − 0.8 + 3.2) = 45.76 / 21.4 = 2.1383178 %
#      р = (2.4 − 2.1383178) / 2.4 = 0.1090343;  С_м = 850 / 2.1383178 = 397.50874
#   Б: lost 2 × 0.15 × 1.0 = 0.3, rock 2 × 0.4 × 0.3 = 0.24
#      П = 0.06 / 45.6 = 0.00131579
#      a_д = (45.6 − 0.3 + 0.24) / (19 − 0.3 + 0.8) = 45.54 / 19.5 = 2.3353846 %
#      р = 0.0646154 / 2.4 = 0.0269231;  С_м = 850 / 2.3353846 = 363.96574
#   В: lost 2 × 0.2 × 1.0 = 0.4, rock 0.24
#      П = 0.16 / 45.6 = 0.00350877
#      a_д = (45.6 − 0.4 + 0.24) / (19 − 0.4 + 0.8) = 45.44 / 19.4 = 2.3422680 %
#      р = 0.0577320 / 2.4 = 0.0240550;  С_м = 850 / 2.3422680 = 362.89613
#   least cost: В (362.90 < 363.97 < 397.51)
HAND_LOSS = [-0.00350877, 0.00131579, 0.00350877]
HAND_GRADE = [0.021383178, 0.023353846, 0.023422680]  # 2.1383178, 2.3353846, 2.3422680 %
HAND_DILUTION = [0.1090343, 0.0269231, 0.0240550]
HAND_COST_SUM = [397.50874, 363.96574, 362.89613]
# "offset" reading: 600 + 250 / a_д = 600 + 116.91434, 600 + 107.04875, 600 + 106.73416
HAND_COST_OFFSET = [716.91434, 707.04875, 706.73416]


def test_variant_20_hand_computation():
    args = (M_R, LOST, ROCK, C_B, C_P, C_R)
    assert_allclose(metal_loss(*args), HAND_LOSS, rtol=HAND_RTOL)
    a_d = mined_grade(*args)
    assert_allclose(a_d, HAND_GRADE, rtol=HAND_RTOL)
    p = dilution(C_B, a_d)
    assert_allclose(p, HAND_DILUTION, rtol=HAND_RTOL)
    k_k = quality_coefficient(p)
    assert_allclose(metal_unit_cost(C_B, k_k), HAND_COST_SUM, rtol=HAND_RTOL)
    assert_allclose(metal_unit_cost(C_B, k_k, reading="offset"), HAND_COST_OFFSET, rtol=HAND_RTOL)
    assert cheapest_scheme(metal_unit_cost(C_B, k_k)) == 2  # scheme В


def test_variant_2_scheme_a_hand_computation():
    # Variant 2, scheme А: m_р = 15, M_п/M_р = 0.2/0.9, C_б = 2.1, C_п = 1.2, C_р = 0.2 %.
    # metal of the body 15 × 2.1 = 31.5; lost 2 × 0.2 × 1.2 = 0.48; rock 2 × 0.9 × 0.2 = 0.36
    # П = 0.12 / 31.5 = 0.00380952; a_д = 31.38 / (15 − 0.4 + 1.8) = 31.38 / 16.4 = 1.9134146 %
    args = (15.0, 0.2, 0.9, 0.021, 0.012, 0.002)  # C_б, C_п, C_р = 2.1, 1.2, 0.2 %
    assert_allclose(metal_loss(*args), 0.00380952, rtol=HAND_RTOL)
    assert_allclose(mined_grade(*args), 0.019134146, rtol=HAND_RTOL)  # 1.9134146 %


def test_metal_balance_holds_exactly():
    # metal in mined ore = metal in block − metal left in the ground + metal of the rock,
    # and, with П the net loss of eq. 5.1, = metal in block × (1 − П).
    rng = np.random.default_rng(5)
    m_r = rng.uniform(2.0, 30.0, 200)
    m_p = rng.uniform(0.0, 0.45, 200) * m_r
    m_d = rng.uniform(0.0, 3.0, 200)
    c_b = rng.uniform(0.5, 10.0, 200) / 100  # 0.5..10 %
    c_p = rng.uniform(0.0, 1.0, 200) * c_b
    c_r = rng.uniform(0.0, 1.0, 200) / 100  # 0..1 %
    a_d = mined_grade(m_r, m_p, m_d, c_b, c_p, c_r)
    mined_metal = a_d * (m_r - 2 * m_p + 2 * m_d)
    block, left, brought = m_r * c_b, 2 * m_p * c_p, 2 * m_d * c_r
    assert_allclose(mined_metal, block - left + brought, rtol=EXACT_RTOL)
    loss = metal_loss(m_r, m_p, m_d, c_b, c_p, c_r)
    assert_allclose(mined_metal, block * (1 - loss), rtol=EXACT_RTOL)


def test_no_contact_mined_leaves_grade_unchanged():
    grades = (0.020, 0.011, 0.001)  # C_б, C_п, C_р = 2.0, 1.1, 0.1 %
    assert_allclose(mined_grade(14.0, 0.0, 0.0, *grades), 0.020, rtol=EXACT_RTOL)  # 2.0 %
    assert_allclose(metal_loss(14.0, 0.0, 0.0, *grades), 0.0, atol=1e-15)
    assert_allclose(dilution(0.020, mined_grade(14.0, 0.0, 0.0, *grades)), 0.0, atol=1e-15)


def test_barren_rock_only_dilutes_by_thickness():
    # C_р = 0, nothing lost: a_д = m_р C_б / (m_р + 2 M_р); р = 2 M_р / (m_р + 2 M_р)
    a_d = mined_grade(10.0, 0.0, 0.5, 0.030, 0.010, 0.0)  # C_б, C_п = 3.0, 1.0 %
    assert_allclose(a_d, 0.30 / 11.0, rtol=EXACT_RTOL)  # 30 / 11 %
    assert_allclose(dilution(0.030, a_d), 1.0 / 11.0, rtol=EXACT_RTOL)
    assert_allclose(metal_loss(10.0, 0.0, 0.5, 0.030, 0.010, 0.0), 0.0, atol=1e-15)


def test_ore_lost_at_body_grade_costs_metal_not_grade():
    # C_п = C_б, no rock: grade unchanged; loss = 2 M_п / m_р = 0.6 / 12 = 0.05
    grades = (0.025, 0.025, 0.004)  # C_б, C_п, C_р = 2.5, 2.5, 0.4 %
    assert_allclose(mined_grade(12.0, 0.3, 0.0, *grades), 0.025, rtol=EXACT_RTOL)  # 2.5 %
    assert_allclose(metal_loss(12.0, 0.3, 0.0, *grades), 0.05, rtol=EXACT_RTOL)


def test_scalar_in_scalar_out_and_arrays_broadcast():
    assert isinstance(mined_grade(19.0, 0.4, 1.6, C_B, C_P, C_R), float)
    assert isinstance(metal_loss(19.0, 0.4, 1.6, C_B, C_P, C_R), float)
    assert mined_grade(M_R, LOST, ROCK, C_B, C_P, C_R).shape == (3,)


def test_both_readings_of_eq_5_5_pick_the_same_scheme():
    # Both readings fall as C_б K_к (= a_д) rises, so the least cost is the richest ore.
    grades = np.array([2.2, 2.05, 2.31, 1.9]) / 100  # a_д in %
    k_k = grades / C_B
    choices = {cheapest_scheme(metal_unit_cost(C_B, k_k, reading=r)) for r in METAL_COST_READINGS}
    assert choices == {int(np.argmax(grades))}


def test_quality_coefficient_and_cheapest_scheme_tie():
    assert_allclose(quality_coefficient(np.array([0.1, -0.05])), [0.9, 1.05], rtol=EXACT_RTOL)
    assert cheapest_scheme([400.0, 390.0, 390.0]) == 1


# Grades as mass fractions: 0.02, 0.01, 0.001 = 2.0, 1.0, 0.1 %; 1.2 = 120 %, -0.01 = -1 %,
# 1.01 = 101 %, 0.03 = 3.0 %.
CONTACT_ERRORS = [
    ((0.0, 0.1, 0.1, 0.02, 0.01, 0.001), r"ore_thickness must be > 0 m, got 0 m"),
    ((14.0, -0.1, 0.1, 0.02, 0.01, 0.001), r"lost_ore_thickness must be >= 0 m, got -0.1 m"),
    ((14.0, 0.1, -0.2, 0.02, 0.01, 0.001), r"diluting_rock_thickness must be >= 0 m, got -0.2 m"),
    ((14.0, 0.1, 0.1, 0.0, 0.01, 0.001), r"balance_grade must be in \(0, 1\], got 0"),
    ((14.0, 0.1, 0.1, 1.2, 0.01, 0.001), r"balance_grade must be in \(0, 1\], got 1.2"),
    ((14.0, 0.1, 0.1, 0.02, -0.01, 0.001), r"lost_ore_grade must be in \[0, 1\], got -0.01"),
    ((14.0, 0.1, 0.1, 0.02, 0.01, 1.01), r"rock_grade must be in \[0, 1\], got 1.01"),
    ((14.0, 7.0, 0.1, 0.02, 0.01, 0.001), r"ore loss fraction .* must be < 1 .*got 1"),
    ((10.0, 2.0, 0.1, 0.01, 0.03, 0.001), r"metal loss fraction .* must be < 1 .*got 1.2"),
]


@pytest.mark.parametrize(("args", "match"), CONTACT_ERRORS)
@pytest.mark.parametrize("func", [mined_grade, metal_loss])
def test_contact_bad_input(func, args, match):
    with pytest.raises(ValueError, match=match):
        func(*args)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        # grades as mass fractions: 0.02 = 2.0 %, 0.01 = 1.0 %, -0.005 = -0.5 %, 2.0 = 200 %
        (lambda: dilution(0.0, 0.01), r"balance_grade must be in \(0, 1\]"),
        (lambda: dilution(0.02, -0.005), r"mined_grade must be in \[0, 1\], got -0.005"),
        (lambda: dilution(0.02, np.nan), r"mined_grade must be in \[0, 1\], got nan"),
        (lambda: quality_coefficient(1.0), r"dilution must be < 1, got 1"),
        (lambda: metal_unit_cost(0.02, 0.0), r"quality_coefficient must be > 0, got 0"),
        (lambda: metal_unit_cost(2.0, 0.9), r"balance_grade must be in \(0, 1\]"),
        (lambda: metal_unit_cost(0.02, 0.9, -600.0), r"first_cost must be >= 0 rub/t"),
        (lambda: metal_unit_cost(0.02, 0.9, 600.0, -1.0), r"second_cost must be >= 0 rub/t"),
        (lambda: metal_unit_cost(0.02, 0.9, reading="product"), r"reading must be one of sum"),
        (lambda: cheapest_scheme([]), r"metal_costs must be a non-empty 1-D sequence"),
        (lambda: cheapest_scheme([[1.0, 2.0]]), r"metal_costs must be a non-empty 1-D"),
        (lambda: cheapest_scheme([400.0, -1.0]), r"metal_costs must be >= 0 rub/t"),
        (lambda: cheapest_scheme([400.0, np.inf]), r"metal_costs must be finite numbers"),
        (lambda: cheapest_scheme([400.0, np.nan]), r"metal_costs must be >= 0 rub/t, got nan"),
    ],
)
def test_other_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    ("call", "name"),
    [
        # a grade > 1, as if given in % (1.5 for 1.5 %) where a mass fraction is expected
        (lambda: mined_grade(19.0, 0.4, 1.6, 0.024, 1.5, 0.003), "lost_ore_grade"),
        (lambda: metal_loss(19.0, 0.4, 1.6, 0.024, 0.010, 2.4), "rock_grade"),
        (lambda: dilution(0.024, 2.1383), "mined_grade"),
    ],
)
def test_grade_in_percent_is_rejected(call, name):
    with pytest.raises(ValueError, match=rf"{name} must be in \[0, 1\], got .* mass fraction"):
        call()


def test_equal_metal_of_lost_ore_and_rock_is_exactly_no_loss():
    # Variant 6 of Table 5.1, scheme А: m_р = 19, M_п/M_р = 0.3/0.8, C_б = 2.5, C_п = 1.6,
    # C_р = 0.6 %: lost 2 × 0.3 × 1.6 = 0.96 = rock 2 × 0.8 × 0.6, so П = 0 exactly (not a
    # few ulps of either sign, which would flip the "negative loss" note of the calculation).
    loss = metal_loss(19.0, 0.3, 0.8, 0.025, 0.016, 0.006)  # 2.5, 1.6, 0.6 %
    assert_allclose(loss, 0.0, atol=0.0)
    # Variant 3, scheme В: 2 × 0.1 × 0.9 = 0.18 = 2 × 0.3 × 0.3, grades converted from % as
    # the calculation does (these quotients leave +1.2e-18 without the cancellation rule).
    assert_allclose(metal_loss(16.0, 0.1, 0.3, 2.2 / 100, 0.9 / 100, 0.3 / 100), 0.0, atol=0.0)
