"""Feasibility of complex development: practical work 6 of 004.

004 prints no worked example for practical work 6, so the formulas are checked against a
hand computation of variant 1 of Table 6.1, a metal balance of the concentrates, and
limiting cases. The functions take grades as mass fractions; Table 6.1's % are divided by
100 where they are used.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.methods.complex_deposits import (
    allowed_annual_cost,
    allowed_concentrate_cost,
    concentrate_yield,
    individual_annual_cost,
    is_development_feasible,
    total_concentrate_yield,
)

# The hand computation below is carried to 6 significant digits or more: half a unit of
# the 6th digit is at most 5e-6 relative.
HAND_RTOL = 5e-6
EXACT_RTOL = 1e-12

# Variant 1 of Table 6.1 of 004 (prices converted from thousand rub/t, outputs from
# millions, grades from %):
A_R = 2.0e6  # A_р, t/year
A_V = 3.0e6  # A_в, m³/year
C_D, C_V, C_X = 60.0, 30.0, 20.0  # C_д rub/t, C_в rub/m³, C_х rub/t
C_O = np.array([45.0, 35.0, 50.0])  # C_оi, rub/t
PRICE = np.array([3100.0, 5900.0, 7100.0])  # Ц_оi, rub/t
PROFIT = np.array([0.25, 0.15, 0.12])  # R_i
ALPHA = np.array([0.007, 0.009, 0.015])  # α_i = 0.7, 0.9, 1.5 %
BETA = np.array([0.50, 0.15, 0.40])  # β_i = 50, 15, 40 %
K_I = np.array([0.86, 0.90, 0.92])  # K_иi

# Hand computation, variant 1:
#   (6.1) C_i = 3100/1.25 = 2480;  5900/1.15 = 5130.4348;  7100/1.12 = 6339.2857 rub/t
#   (6.2) γ_i = 0.7×0.86/50 = 0.01204;  0.9×0.90/15 = 0.054;  1.5×0.92/40 = 0.0345
#         Σγ = 0.10054
#   (6.3) Σγ_i C_i = 29.8592 + 277.04348 + 218.70536 = 525.60804 rub/t of ore
#         З_д = 2e6 × 525.60804 = 1 051 216 080 rub/year
#   (6.4) C_о = 45 + 35 + 50 = 130 rub/t
#         З_и = 2e6 × (60 + 130) + 30 × 3e6 + 20 × 2e6 × (1 − 0.10054)
#             = 380e6 + 90e6 + 35.9784e6 = 505 978 400 rub/year
#   (6.5) 1.0512e9 >= 5.0598e8: complex development is worthwhile
HAND_ALLOWED_COST = [2480.0, 5130.4348, 6339.2857]
HAND_YIELD = [0.01204, 0.054, 0.0345]
HAND_TOTAL_YIELD = 0.10054
HAND_Z_D = 1_051_216_080.0
HAND_Z_I = 505_978_400.0


def test_variant_1_hand_computation():
    c_i = allowed_concentrate_cost(PRICE, PROFIT)
    assert_allclose(c_i, HAND_ALLOWED_COST, rtol=HAND_RTOL)
    gamma = concentrate_yield(ALPHA, BETA, K_I)
    assert_allclose(gamma, HAND_YIELD, rtol=HAND_RTOL)
    assert_allclose(total_concentrate_yield(gamma), HAND_TOTAL_YIELD, rtol=HAND_RTOL)
    z_d = allowed_annual_cost(A_R, gamma, c_i)
    assert_allclose(z_d, HAND_Z_D, rtol=HAND_RTOL)
    z_i = individual_annual_cost(A_R, C_D, C_O, C_V, A_V, C_X, gamma)
    assert_allclose(z_i, HAND_Z_I, rtol=HAND_RTOL)
    assert is_development_feasible(z_d, z_i) is True


def test_concentrate_carries_the_recovered_metal():
    # metal balance: γ_i β_i (metal in concentrate per t of ore) = α_i K_иi (metal recovered)
    rng = np.random.default_rng(6)
    alpha = rng.uniform(0.1, 5.0, 50) / 100  # 0.1..5 %
    beta = rng.uniform(10.0, 70.0, 50) / 100  # 10..70 %
    k = rng.uniform(0.3, 1.0, 50)
    assert_allclose(concentrate_yield(alpha, beta, k) * beta, alpha * k, rtol=EXACT_RTOL)


def test_nothing_recovered_all_ore_goes_to_tailings():
    gamma = concentrate_yield(ALPHA, BETA, np.zeros(3))
    assert_allclose(gamma, 0.0, atol=0.0)
    assert_allclose(allowed_annual_cost(A_R, gamma, HAND_ALLOWED_COST), 0.0, atol=0.0)
    # З_и = A_р (C_д + C_о + C_х) + C_в A_в = 2e6 × 210 + 90e6 = 510e6
    z_i = individual_annual_cost(A_R, C_D, C_O, C_V, A_V, C_X, gamma)
    assert_allclose(z_i, 510e6, rtol=EXACT_RTOL)


def test_zero_profitability_allows_the_full_price():
    assert_allclose(allowed_concentrate_cost(PRICE, 0.0), PRICE, rtol=EXACT_RTOL)


def test_single_processing_cost_equals_the_sum_of_per_product_costs():
    gamma = np.array(HAND_YIELD)
    per_product = individual_annual_cost(A_R, C_D, C_O, C_V, A_V, C_X, gamma)
    single = individual_annual_cost(A_R, C_D, 130.0, C_V, A_V, C_X, gamma)
    assert_allclose(per_product, single, rtol=EXACT_RTOL)


def test_vectorised_over_deposits_and_equality_is_feasible():
    gamma = np.array([HAND_YIELD, [0.0, 0.0, 0.0]])  # two deposits × three concentrates
    z_d = allowed_annual_cost(A_R, gamma, HAND_ALLOWED_COST)
    assert z_d.shape == (2,)
    assert_allclose(z_d, [HAND_Z_D, 0.0], rtol=HAND_RTOL)
    verdict = is_development_feasible(np.array([1.0, 2.0, 3.0]), 2.0)
    assert verdict.tolist() == [False, True, True]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: allowed_concentrate_cost(0.0, 0.2), r"wholesale_price must be > 0 rub/t"),
        (lambda: allowed_concentrate_cost(3100.0, -0.1), r"profitability must be >= 0, got -0.1"),
        # grades as mass fractions: -0.001 = -0.1 %, 0.5 = 50 %, 0.007 = 0.7 %, 1.5 = 150 %,
        # 0.2 = 20 %, 0.1 = 10 %
        (lambda: concentrate_yield(-0.001, 0.5, 0.9), r"ore_grade must be in \[0, 1\]"),
        (lambda: concentrate_yield(0.007, 0.0, 0.9), r"concentrate_grade must be in \(0, 1\]"),
        (lambda: concentrate_yield(0.007, 1.5, 0.9), r"concentrate_grade must be in \(0, 1\]"),
        (lambda: concentrate_yield(0.007, 0.5, 1.86), r"recovery must be in \[0, 1\], got 1.86"),
        (lambda: concentrate_yield(0.2, 0.1, 0.9), r"concentrate_yield .* in \[0, 1\], got 1.8"),
        (
            lambda: total_concentrate_yield([0.6, 0.5]),
            r"total concentrate yield Σγ_i must be <= 1 .*got 1.1",
        ),
        (lambda: total_concentrate_yield([0.2, -0.1]), r"concentrate_yield must be in \[0, 1\]"),
        (
            lambda: allowed_annual_cost(A_R, [0.6, 0.5], [1.0, 1.0]),
            r"Σγ_i must be <= 1",
        ),
        (lambda: allowed_annual_cost(-1.0, [0.1], [1.0]), r"ore_output must be >= 0 t/year"),
        (lambda: allowed_annual_cost(A_R, [0.1], [-1.0]), r"allowed_cost must be >= 0 rub/t"),
        (
            lambda: individual_annual_cost(A_R, C_D, C_O, C_V, A_V, C_X, [0.7, 0.4]),
            r"Σγ_i must be <= 1",
        ),
        (
            lambda: individual_annual_cost(A_R, -60.0, C_O, C_V, A_V, C_X, HAND_YIELD),
            r"mining_cost must be >= 0 rub/t",
        ),
        (
            lambda: individual_annual_cost(A_R, C_D, [45.0, -1.0], C_V, A_V, C_X, HAND_YIELD),
            r"processing_cost must be >= 0 rub/t",
        ),
        (
            lambda: individual_annual_cost(A_R, C_D, C_O, -30.0, A_V, C_X, HAND_YIELD),
            r"overburden_cost must be >= 0 rub/m³",
        ),
        (
            lambda: individual_annual_cost(A_R, C_D, C_O, C_V, -3e6, C_X, HAND_YIELD),
            r"overburden_volume must be >= 0 m³/year",
        ),
        (
            lambda: individual_annual_cost(A_R, C_D, C_O, C_V, A_V, -20.0, HAND_YIELD),
            r"tailings_cost must be >= 0 rub/t",
        ),
        (
            lambda: individual_annual_cost(-2e6, C_D, C_O, C_V, A_V, C_X, HAND_YIELD),
            r"ore_output must be >= 0 t/year",
        ),
        (lambda: is_development_feasible(-1.0, 2.0), r"allowed_cost must be >= 0 rub/year"),
        (
            lambda: is_development_feasible(1.0, np.inf),
            r"individual_cost must be a finite number of rub/year, got inf",
        ),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    ("call", "name"),
    [
        # a grade > 1, as if given in % (1.5 for 1.5 %, 50 for 50 %) where a fraction is expected
        (lambda: concentrate_yield(1.5, 0.40, 0.92), "ore_grade"),
        (lambda: concentrate_yield(0.015, 50.0, 0.92), "concentrate_grade"),
    ],
)
def test_grade_in_percent_is_rejected(call, name):
    with pytest.raises(ValueError, match=rf"{name} must be in [\[(]0, 1\], got .* mass fraction"):
        call()
