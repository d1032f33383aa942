"""Trends of drainage-water quality: the Mann-Kendall test and Sen's slope.

*Is it getting worse?* -- :func:`mann_kendall` (trend test with the tie correction) and
:func:`sens_slope` (the trend's rate with its confidence interval), the non-parametric pair
used for water-quality trends (Hirsch et al. 1982; Gilbert 1987).

References
----------
Mann H.B. (1945) Nonparametric tests against trend. Econometrica 13:245-259.
Kendall M.G. (1975) Rank Correlation Methods, 4th ed. Griffin, London.
Sen P.K. (1968) Estimates of the regression coefficient based on Kendall's tau. J. Am.
    Stat. Assoc. 63:1379-1389.
Gilbert R.O. (1987) Statistical Methods for Environmental Pollution Monitoring. Van
    Nostrand Reinhold, New York; chapter 16.
Hirsch R.M., Slack J.R., Smith R.A. (1982) Techniques of trend analysis for monthly water
    quality data. Water Resour. Res. 18:107-121.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import stats

from postmine.core.checks import in_range

__all__ = ["MannKendallResult", "SensSlope", "mann_kendall", "sens_slope"]

FloatArray = npt.NDArray[np.float64]


def _series(name: str, values: npt.ArrayLike, unit: str, minimum: int) -> FloatArray:
    x = np.asarray(values, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"{name} must be a 1-D series, got shape {x.shape}")
    in_range(name, x, unit=unit)
    if x.size < minimum:
        raise ValueError(f"{name} must have at least {minimum} values, got {x.size}")
    return x


def _tie_term(x: FloatArray) -> float:
    """Σ t(t - 1)(2t + 5) over the groups of tied values."""
    _, counts = np.unique(x, return_counts=True)
    t = counts[counts > 1].astype(float)
    return float(np.sum(t * (t - 1.0) * (2.0 * t + 5.0)))


def _kendall_s(x: FloatArray) -> float:
    i, j = np.triu_indices(x.size, k=1)
    return float(np.sum(np.sign(x[j] - x[i])))


def _var_s(x: FloatArray) -> float:
    n = float(x.size)
    return (n * (n - 1.0) * (2.0 * n + 5.0) - _tie_term(x)) / 18.0


@dataclass(frozen=True)
class MannKendallResult:
    """Result of the Mann-Kendall trend test.

    Attributes
    ----------
    s : float
        Kendall's S, the sum of the signs of all later-minus-earlier differences. [-]
    var_s : float
        Variance of S under no trend, with the tie correction. [-]
    z : float
        Standardised S (with the continuity correction unless switched off). [-]
    p_value : float
        Two-sided p-value of "no trend". [-]
    tau : float
        Kendall's τ = S / (n(n - 1)/2). [-]
    trend : str
        ``"increasing"``, ``"decreasing"`` or ``"no trend"`` at level ``alpha``.
    n : int
        Number of values. [-]
    """

    s: float
    var_s: float
    z: float
    p_value: float
    tau: float
    trend: str
    n: int


def mann_kendall(
    values: npt.ArrayLike, *, alpha: float = 0.05, continuity_correction: bool = True
) -> MannKendallResult:
    r"""Mann-Kendall test for a monotonic trend in a series, with the tie correction.

    Non-parametric: it uses only the signs of the differences between later and earlier
    values, so it needs no distribution, tolerates outliers and values at a detection
    limit (entered as equal values: ties), which is why it is the standard trend test for
    water-quality monitoring (Hirsch et al. 1982; Gilbert 1987, ch. 16).

    Parameters
    ----------
    values : array_like
        The series in time order (the spacing does not enter the test). [mg/L or any]
    alpha : float
        Significance level of the two-sided test, in (0, 1). [-]
    continuity_correction : bool
        Use S ∓ 1 in Z (Kendall 1975; the usual choice); False gives the plain S/σ,
        equal to the asymptotic Kendall τ test.

    Returns
    -------
    MannKendallResult
        S, Var(S), Z, p-value, τ, the verdict and n.

    Raises
    ------
    ValueError
        If a value is NaN or infinite, there are fewer than 3 values, all values are equal
        (Var(S) = 0), or ``alpha`` is outside (0, 1).

    Notes
    -----
    .. math::

        S = \sum_{k<j} \operatorname{sgn}(x_j - x_k), \qquad
        \operatorname{Var}(S) = \frac{n(n-1)(2n+5) - \sum_p t_p(t_p-1)(2t_p+5)}{18},

        Z = \frac{S - \operatorname{sgn}(S)}{\sqrt{\operatorname{Var}(S)}}, \qquad
        p = 2\,[1 - Φ(|Z|)],

    t_p the size of the p-th group of tied values (Gilbert 1987, eqs. 16.3-16.5). The test
    assumes independent values: for strongly autocorrelated data (daily samples of a slow
    system) thin the series or use a block or prewhitening variant.

    Examples
    --------
    >>> r = mann_kendall([1.0, 2.0, 2.0, 4.0, 3.0, 5.0])
    >>> r.s, r.var_s, round(r.p_value, 4), r.trend
    (12.0, 27.333333333333332, 0.0354, 'increasing')
    """
    x = _series("values", values, "", 3)
    in_range("alpha", alpha, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    s = _kendall_s(x)
    var_s = _var_s(x)
    if var_s <= 0.0:
        raise ValueError("values must not all be equal (Var(S) = 0, no trend can be tested)")
    shift = float(np.sign(s)) if continuity_correction else 0.0
    z = (s - shift) / math.sqrt(var_s)
    p = float(2.0 * stats.norm.sf(abs(z)))
    trend = "no trend" if p >= alpha else ("increasing" if s > 0 else "decreasing")
    n = int(x.size)
    return MannKendallResult(s, var_s, z, p, s / (n * (n - 1) / 2.0), trend, n)


@dataclass(frozen=True)
class SensSlope:
    """Sen's slope of a series and its confidence interval.

    Attributes
    ----------
    slope : float
        Median of the pairwise slopes. [value unit per time unit]
    low, high : float
        Bounds of the confidence interval at level ``confidence``. [same]
    intercept : float
        median(x) - slope · median(t), so the trend line is intercept + slope · t. [value]
    confidence : float
        Confidence level. [-]
    n_slopes : int
        Number of pairwise slopes (pairs with different times). [-]
    """

    slope: float
    low: float
    high: float
    intercept: float
    confidence: float
    n_slopes: int


def sens_slope(
    times: npt.ArrayLike, values: npt.ArrayLike, *, confidence: float = 0.95
) -> SensSlope:
    r"""Sen's (Theil-Sen) slope of a series with its confidence interval.

    The rate of a monotonic trend as the median of the slopes between all pairs of
    samples: robust to outliers, valid for irregular sampling and censored values, and
    the estimate that goes with the Mann-Kendall test.

    Parameters
    ----------
    times : array_like
        Sampling times (any unit, e.g. days or decimal years). [d]
    values : array_like
        Measured values at those times. [mg/L or any]
    confidence : float
        Confidence level of the interval, in (0, 1). [-]

    Returns
    -------
    SensSlope
        The slope per unit of ``times``, its interval and the intercept.

    Raises
    ------
    ValueError
        If the arrays differ in length or hold NaN or infinity, there are fewer than 3
        values, all times are equal, or ``confidence`` is outside (0, 1).

    Notes
    -----
    Slopes :math:`Q = (x_j - x_k)/(t_j - t_k)` for all pairs with :math:`t_j > t_k`; the
    estimate is their median. The interval follows Gilbert (1987, §16.5.2, after Sen
    1968): with :math:`C = z_{1-α/2}\sqrt{\operatorname{Var}(S)}` (ties in the values and
    in the times corrected, Sen 1968 eq. 2.6), :math:`M_1 = (N' - C)/2` and
    :math:`M_2 = (N' + C)/2`, the limits are the :math:`M_1`-th and :math:`(M_2+1)`-th of
    the :math:`N'` ordered slopes, the ranks rounded to the nearest integer (as
    ``scipy.stats.theilslopes`` does) and kept within 1 .. N'.

    Examples
    --------
    >>> r = sens_slope([0.0, 1.0, 2.0, 3.0, 4.0], [10.0, 12.0, 13.0, 15.0, 18.0])
    >>> r.slope, r.low, r.high
    (2.0, 1.0, 3.0)
    """
    t = _series("times", times, "d", 3)
    x = _series("values", values, "", 3)
    if t.shape != x.shape:
        raise ValueError(f"times and values must have the same length, got {t.size} and {x.size}")
    in_range("confidence", confidence, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    i, j = np.triu_indices(t.size, k=1)
    dt = t[j] - t[i]
    dx = x[j] - x[i]
    keep = dt != 0.0
    if not keep.any():
        raise ValueError("times must not all be equal")
    slopes = np.sort(dx[keep] / dt[keep])
    n_slopes = int(slopes.size)
    slope = float(np.median(slopes))
    n = float(x.size)
    var_s = (n * (n - 1.0) * (2.0 * n + 5.0) - _tie_term(x) - _tie_term(t)) / 18.0
    c = float(stats.norm.ppf(0.5 + confidence / 2.0)) * math.sqrt(max(var_s, 0.0))
    lower_rank = min(max(round((n_slopes - c) / 2.0), 1), n_slopes)
    upper_rank = min(max(round((n_slopes + c) / 2.0) + 1, 1), n_slopes)
    intercept = float(np.median(x) - slope * np.median(t))
    return SensSlope(
        slope,
        float(slopes[lower_rank - 1]),
        float(slopes[upper_rank - 1]),
        intercept,
        float(confidence),
        n_slopes,
    )
