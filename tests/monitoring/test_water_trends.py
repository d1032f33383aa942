"""Tests of water-quality trends (postmine.monitoring.water_trends).

Mann-Kendall S and Var(S) computed by hand on small series with ties, and p-value and Sen's
slope interval against SciPy's independent implementations (``scipy.stats.kendalltau``,
``scipy.stats.theilslopes``).
"""

import math

import numpy as np
import pytest
import scipy.stats
from numpy.testing import assert_allclose

from postmine.monitoring.water_trends import mann_kendall, sens_slope

# --- Mann-Kendall and Sen's slope -----------------------------------------------------

MK_TOL = 1e-12  # hand arithmetic is exact in binary up to the last digit


def test_mann_kendall_hand_computed_with_a_triple_tie():
    x = [2.0, 1.0, 2.0, 3.0, 2.0, 5.0]
    # S, row by row (sign of later minus earlier):
    #   2: vs 1,2,3,2,5 -> -1 0 +1 0 +1 = +1
    #   1: vs 2,3,2,5   -> +4
    #   2: vs 3,2,5     -> +1 0 +1 = +2
    #   3: vs 2,5       -> -1 +1 = 0
    #   2: vs 5         -> +1              S = 8
    # Var(S) = [n(n-1)(2n+5) - Σ t(t-1)(2t+5)]/18 = [6·5·17 - 3·2·11]/18 = 444/18
    # Z = (S - 1)/√Var(S) = 7/4.96655 = 1.40943;  p = 2(1 - Φ(1.40943)) = 0.15871
    r = mann_kendall(x)
    assert r.s == 8.0
    assert_allclose(r.var_s, 444.0 / 18.0, rtol=MK_TOL)
    assert_allclose(r.z, 7.0 / math.sqrt(444.0 / 18.0), rtol=MK_TOL)
    assert_allclose(r.p_value, 0.15871, atol=5e-6)
    assert_allclose(r.tau, 8.0 / 15.0)
    assert (r.trend, r.n) == ("no trend", 6)


def test_mann_kendall_decreasing_without_ties():
    # strictly decreasing, n = 8: S = -28, Var(S) = 8·7·21/18 = 65.333
    r = mann_kendall(np.arange(8.0)[::-1])
    assert r.s == -28.0
    assert_allclose(r.var_s, 8 * 7 * 21 / 18)
    assert_allclose(r.z, -27.0 / math.sqrt(8 * 7 * 21 / 18))
    assert r.trend == "decreasing" and r.tau == -1.0


@pytest.mark.parametrize("seed", range(5))
def test_mann_kendall_p_value_matches_scipy_kendalltau(seed):
    # Without the continuity correction Z = S/σ is the asymptotic test of Kendall's τ
    # between time and value; SciPy computes it independently (tie-corrected τ-b).
    rng = np.random.default_rng(seed)
    x = np.round(0.02 * np.arange(60) + rng.normal(0, 0.5, 60), 1)  # rounding makes ties
    ours = mann_kendall(x, continuity_correction=False)
    ref = scipy.stats.kendalltau(np.arange(60), x, method="asymptotic")
    assert_allclose(ours.p_value, ref.pvalue, rtol=1e-9)
    assert mann_kendall(x).p_value >= ours.p_value  # the correction is conservative


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("confidence", [0.90, 0.95])
def test_sens_slope_matches_scipy_theilslopes(seed, confidence):
    rng = np.random.default_rng(seed)
    t = np.sort(np.round(rng.uniform(0.0, 365.0, 40)))  # irregular sampling, tied dates
    x = np.round(300.0 + 0.2 * t + rng.normal(0.0, 15.0, 40))  # sulphate, mg/L, ties
    ours = sens_slope(t, x, confidence=confidence)
    ref = scipy.stats.theilslopes(x, t, confidence)
    assert_allclose(
        [ours.slope, ours.intercept, ours.low, ours.high],
        [ref.slope, ref.intercept, ref.low_slope, ref.high_slope],
        rtol=1e-12,
    )
    assert ours.low <= ours.slope <= ours.high


def test_sens_slope_hand_computed():
    # slopes of all pairs of (0,10) (1,12) (2,13) (3,15) (4,18):
    # 2, 1.5, 5/3, 2, 1, 1.5, 2, 2, 2.5, 3 -> sorted 1, 1.5, 1.5, 1.667, 2, 2, 2, 2, 2.5, 3
    # median 2; Var(S) = 5·4·15/18 = 16.667, C = 1.95996·4.08248 = 8.0015,
    # M1 = (10 - 8.0015)/2 = 0.999 -> 1st = 1;  M2 + 1 = (10 + 8.0015)/2 + 1 -> 10th = 3
    # intercept = median(x) - 2·median(t) = 13 - 4 = 9
    r = sens_slope([0.0, 1.0, 2.0, 3.0, 4.0], [10.0, 12.0, 13.0, 15.0, 18.0])
    assert (r.slope, r.low, r.high, r.intercept, r.n_slopes) == (2.0, 1.0, 3.0, 9.0, 10)


@pytest.mark.parametrize(
    ("values", "kwargs", "match"),
    [
        ([1.0, 2.0], {}, "values must have at least 3 values, got 2"),
        ([1.0, np.nan, 2.0], {}, "values must be a finite number, got nan"),
        ([[1.0, 2.0, 3.0]], {}, r"values must be a 1-D series, got shape \(1, 3\)"),
        ([2.0, 2.0, 2.0], {}, r"values must not all be equal"),
        ([1.0, 2.0, 3.0], {"alpha": 0.0}, r"alpha must be in \(0, 1\), got 0"),
    ],
)
def test_bad_mann_kendall(values, kwargs, match):
    with pytest.raises(ValueError, match=match):
        mann_kendall(values, **kwargs)


@pytest.mark.parametrize(
    ("times", "values", "kwargs", "match"),
    [
        ([0.0, 1.0, 2.0], [1.0, 2.0], {}, "values must have at least 3 values, got 2"),
        ([0.0, 1.0, 2.0, 3.0], [1.0, 2.0, 3.0], {}, "same length, got 4 and 3"),
        ([1.0, 1.0, 1.0], [1.0, 2.0, 3.0], {}, "times must not all be equal"),
        ([0.0, np.inf, 2.0], [1.0, 2.0, 3.0], {}, "times must be a finite number, got inf d"),
        ([0.0, 1.0, 2.0], [1.0, 2.0, 3.0], {"confidence": 1.5}, r"confidence must be in"),
    ],
)
def test_bad_sens_slope(times, values, kwargs, match):
    with pytest.raises(ValueError, match=match):
        sens_slope(times, values, **kwargs)
