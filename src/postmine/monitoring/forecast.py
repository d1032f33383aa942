"""Slope-failure forecasting by the inverse-velocity method (Fukuzono 1985; Voight 1988-89).

A slope in tertiary (accelerating) creep obeys Voight's materials-failure relation
``Ω̈ = A Ω̇^α``; for α = 2 the inverse velocity falls linearly to zero at the time of failure,
``1/v = A (t_f - t)``, so a straight line through the inverse-velocity plot, extended to the
time axis, forecasts t_f (Fukuzono 1985). This module does that as a monitoring system
must, in real time and without hindsight:

1. :func:`smoothed_velocity` -- the velocity from the displacement readings, smoothed by a
   *causal* (trailing) filter whose lag is computed and reported (Carlà et al. 2017: "data
   smoothing is a very important phase of inverse velocity analyses").
2. :func:`acceleration_onset` -- the onset of the accelerating phase the line is fitted to,
   found by a change point (steady creep before, Voight α = 2 after).
3. :func:`inverse_velocity_forecast` -- the fit of the line after the onset and the forecast
   time of failure as a confidence interval, or a refusal with its reason when the slope is
   not accelerating (Rose & Hungr 2007: only progressive phases may be extrapolated).
4. :func:`postmine.monitoring.forecast_plot.plot_inverse_velocity` -- displacement, velocity
   and inverse velocity with the fit and the interval, as PNG bytes.

Units are those of postmine's monitoring store: time in days (on any origin: days since the
first reading, or since the Unix epoch), displacement in mm, velocity in mm/d, inverse
velocity in d/mm. The arithmetic is unit-consistent, so hours and metres work as well if
used throughout.

References
----------
Fukuzono T. (1985) A new method for predicting the failure time of a slope. Proc. 4th Int.
    Conf. and Field Workshop on Landslides, Tokyo, 145-150.
Voight B. (1988) A method for prediction of volcanic eruptions. Nature 332:125-130.
Voight B. (1989) A relation to describe rate-dependent material failure. Science 243:200-203.
Rose N.D., Hungr O. (2007) Forecasting potential rock slope failure in open pit mines using
    the inverse-velocity method. Int. J. Rock Mech. Min. Sci. 44:308-320.
Carlà T., Intrieri E., Di Traglia F., Nolesini T., Gigli G., Casagli N. (2017) Guidelines on
    the use of inverse velocity method as a tool for setting alarm thresholds and
    forecasting landslides and structure collapses. Landslides 14:517-534.
Dick G.J., Eberhardt E., Cabrejo-Liévano A.G., Stead D., Rose N.D. (2015) Development of an
    early-warning time-of-failure analysis methodology for open-pit mine slopes utilizing
    ground-based slope stability radar monitoring data. Can. Geotech. J. 52:515-529.
Newey W.K., West K.D. (1987) A simple, positive semi-definite, heteroskedasticity and
    autocorrelation consistent covariance matrix. Econometrica 55:703-708.
Fieller E.C. (1954) Some problems in interval estimation. J. R. Stat. Soc. B 16:175-185.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Literal, TypedDict, cast

import numpy as np
import numpy.typing as npt
from scipy import signal, stats

from postmine.core.checks import in_range, positive

__all__ = [
    "FILTERS",
    "FITS",
    "InverseVelocityForecast",
    "SmoothedVelocity",
    "acceleration_onset",
    "displacement_series",
    "filter_lag",
    "inverse_velocity_forecast",
    "minimum_readings",
    "smoothed_velocity",
]

FloatArray = npt.NDArray[np.float64]
FilterName = Literal["sma", "ema"]
FitName = Literal["model", "trailing"]

FILTERS: tuple[str, ...] = ("sma", "ema")
"""Causal smoothing filters: ``"sma"`` trailing simple moving average of ``window`` velocity
samples; ``"ema"`` exponential moving average of span ``window`` (α = 2 / (window + 1))."""

FITS: tuple[str, ...] = ("model", "trailing")
"""How the inverse-velocity line is fitted: ``"model"`` (default) fits the smoothed Voight
α = 2 model to the smoothed velocity, so the filter's lag and curvature are accounted for;
``"trailing"`` is the classic least-squares line through 1/v of the smoothed velocity
plotted at the reading that completes it (real-time practice; biased late by about the
filter lag plus half a reading interval, N Δt / 2)."""

_MAX_ITERATIONS = 100
_SERIES_X = 1e-4  # below |x| the logarithmic-mean helpers use their Taylor series


# --- smoothing ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SmoothedVelocity:
    """Velocity of a displacement series smoothed by a causal filter.

    Attributes
    ----------
    times : ndarray
        Time stamp of each smoothed value: the midpoint of the newest reading interval in
        its window (a finite-difference velocity belongs to its interval's midpoint); the
        value is known once that interval's second reading is in, half an interval later.
        [d]
    velocity : ndarray
        Smoothed velocity. [mm/d]
    lags : ndarray
        Lag of each smoothed value behind its stamp: the filter-weighted mean age of the
        velocity samples it averages, so ``times - lags`` is the time the value represents.
        [d]
    available_times : ndarray
        Time of the reading that completes each smoothed value (when a real-time system
        has it). [d]
    filter : str
        Name of the filter (see :data:`FILTERS`).
    window : int
        Window (SMA) or span (EMA) of the filter, in velocity samples. [-]
    first_interval : int
        Index of the reading interval the smoothing started at (0 for a whole series). [-]
    """

    times: FloatArray
    velocity: FloatArray
    lags: FloatArray
    available_times: FloatArray
    filter: str
    window: int
    first_interval: int = 0

    @property
    def lag(self) -> float:
        """Lag of the newest smoothed value, the one a real-time forecast uses, in days."""
        return float(self.lags[-1])

    @property
    def centre_times(self) -> FloatArray:
        """Times the smoothed values represent, ``times - lags``, in days."""
        return self.times - self.lags


def _check_filter(filter: str, window: int) -> None:
    if filter not in FILTERS:
        raise ValueError(f"filter must be one of {FILTERS}, got {filter!r}")
    if isinstance(window, bool) or not isinstance(window, int | np.integer):
        raise ValueError(f"window must be an integer number of samples, got {window!r}")
    in_range("window", int(window), 1, np.inf, "samples")


def _apply_filter(values: FloatArray, filter: str, window: int) -> FloatArray:
    """Causal filter along the last axis; returns the ``len - window + 1`` settled outputs."""
    if filter == "sma":
        csum = np.cumsum(values, axis=-1)
        head = csum[..., window - 1 : window]
        body = csum[..., window:] - csum[..., :-window]
        smooth: FloatArray = np.concatenate([head, body], axis=-1) / window
        return smooth
    # EMA with the bias-adjusted start: y_k = Σ β^j x_(k-j) / Σ β^j over the samples seen.
    beta = 1.0 - 2.0 / (window + 1.0)
    num = signal.lfilter([1.0], [1.0, -beta], values, axis=-1)
    den = signal.lfilter([1.0], [1.0, -beta], np.ones(values.shape[-1]))
    return cast(FloatArray, (num / den)[..., window - 1 :])


def displacement_series(times: Any, displacement: Any) -> tuple[FloatArray, FloatArray]:
    """Return times and displacement as checked float arrays.

    Parameters
    ----------
    times : array_like
        Times of the readings, strictly increasing. [d]
    displacement : array_like
        Cumulative displacement at those times. [mm]

    Returns
    -------
    tuple of ndarray
        The times [d] and the displacement [mm].

    Raises
    ------
    ValueError
        If the arrays are not 1-D of one length, hold NaN or infinity, or the times do not
        strictly increase.

    Examples
    --------
    >>> displacement_series([0.0, 1.0], [2.0, 3.0])
    (array([0., 1.]), array([2., 3.]))
    """
    t = np.asarray(times, dtype=float)
    d = np.asarray(displacement, dtype=float)
    if t.ndim != 1 or d.shape != t.shape:
        raise ValueError(
            "times and displacement must be 1-D arrays of the same length, "
            f"got shapes {t.shape} and {d.shape}"
        )
    in_range("times", t, unit="d")
    in_range("displacement", d, unit="mm")
    steps = np.diff(t)
    if np.any(steps <= 0):
        i = int(np.argmax(steps <= 0))
        raise ValueError(
            "times must be strictly increasing, "
            f"got {t[i + 1]:g} d after {t[i]:g} d at index {i + 1}"
        )
    return t, d


def filter_lag(filter: str, window: int, interval: float) -> float:
    r"""Analytical lag of a causal smoothing filter on a regular series.

    A linear filter delays a linear trend by the weighted mean age of its weights. The
    trailing simple moving average of N samples lags by (N - 1)/2 samples; the exponential
    moving average with α = 2/(N + 1) lags by (1 - α)/α = (N - 1)/2 samples too, once its
    start-up has died away.

    Parameters
    ----------
    filter : {"sma", "ema"}
        Smoothing filter.
    window : int
        Window (SMA) or span (EMA) of the filter, in samples; 1 means no smoothing. [-]
    interval : float
        Sampling interval of the series. [d]

    Returns
    -------
    float
        Lag of the filtered value behind the newest sample it uses. [d]

    Raises
    ------
    ValueError
        If ``filter`` is unknown, ``window`` is not an integer >= 1, or ``interval`` is
        not positive.

    Notes
    -----
    .. math:: \text{lag} = \frac{N - 1}{2}\,Δt

    for both filters (Carlà et al. 2017 discuss the lag of moving averages; the EMA span
    convention α = 2/(N + 1) is chosen so both filters of the same N lag alike).

    Examples
    --------
    >>> filter_lag("sma", 8, 0.25)
    0.875
    >>> filter_lag("ema", 8, 0.25)
    0.875
    """
    _check_filter(filter, window)
    positive("interval", interval, "d")
    return (int(window) - 1) / 2.0 * float(interval)


def smoothed_velocity(
    times: npt.ArrayLike,
    displacement: npt.ArrayLike,
    *,
    filter: FilterName = "sma",
    window: int = 8,
) -> SmoothedVelocity:
    r"""Velocity of a displacement series smoothed by a causal filter, with its lag.

    The velocity of each reading interval is the finite difference of the displacement;
    a trailing (causal) filter then averages the newest ``window`` interval velocities, so
    every value uses past readings only, as a real-time system must. The first
    ``window - 1`` interval velocities only start the filter and give no output.

    Parameters
    ----------
    times : array_like
        Times of the readings, strictly increasing. [d]
    displacement : array_like
        Cumulative displacement at those times, positive in the direction of movement. [mm]
    filter : {"sma", "ema"}
        Causal filter: trailing simple moving average or exponential moving average
        (see :data:`FILTERS`).
    window : int
        Window (SMA) or span (EMA) of the filter in velocity samples; 1 gives the raw
        interval velocities. [-]

    Returns
    -------
    SmoothedVelocity
        Stamps, smoothed velocity [mm/d] and the lag of every value [d].

    Raises
    ------
    ValueError
        If the arrays differ in shape, hold NaN or infinity, the times do not increase,
        the filter is unknown, or there are fewer than ``window + 1`` readings.

    Notes
    -----
    With readings :math:`d_i` at :math:`t_i`, the interval velocity
    :math:`v_i = (d_{i+1} - d_i)/(t_{i+1} - t_i)` is stamped at the midpoint
    :math:`m_i = (t_i + t_{i+1})/2`. The SMA gives
    :math:`\bar v_k = \frac1N \sum_{j=k-N+1}^{k} v_j`, which on a regular series is the
    secant velocity over the last N intervals; the EMA gives
    :math:`\bar v_k = \sum_j β^j v_{k-j} / \sum_j β^j`, β = 1 - 2/(N + 1). The lag of each
    value is the same filter applied to the stamps, :math:`m_k - \bar m_k`, which on a
    regular series is :math:`(N - 1)Δt/2` (:func:`filter_lag`; exactly for the SMA, after
    start-up for the EMA). The newest value is known at :math:`t_{k+1}`, half an interval
    after its stamp.

    Examples
    --------
    >>> sv = smoothed_velocity([0.0, 1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 3.0, 6.0, 10.0], window=2)
    >>> sv.velocity.tolist(), sv.times.tolist(), sv.lag
    ([1.5, 2.5, 3.5], [1.5, 2.5, 3.5], 0.5)
    """
    _check_filter(filter, window)
    t, d = displacement_series(times, displacement)
    if t.size < window + 1:
        raise ValueError(
            f"displacement must have at least window + 1 = {window + 1} readings, got {t.size}"
        )
    return _smooth(t, d, filter, int(window), 0)


def _smooth(t: FloatArray, d: FloatArray, filter: str, window: int, first: int) -> SmoothedVelocity:
    """Smooth the interval velocities from interval ``first`` on (no validation)."""
    v = np.diff(d[first:]) / np.diff(t[first:])
    mid = 0.5 * (t[first + 1 :] + t[first:-1])
    smooth = _apply_filter(v, filter, window)
    stamps = mid[window - 1 :]
    lags = stamps - _apply_filter(mid, filter, window)
    return SmoothedVelocity(stamps, smooth, lags, t[first + window :], filter, window, first)


# --- the Voight α = 2 model of a smoothed velocity ----------------------------------------


def _log_ratio(x: FloatArray) -> FloatArray:
    """L(x) = ln(1 + x)/x, with L(0) = 1 (series near 0)."""
    small = np.abs(x) < _SERIES_X
    if not small.any():
        ratio: FloatArray = np.log1p(x) / x
        return ratio
    xs = np.where(small, 1.0, x)
    return np.where(small, 1.0 - x / 2.0 + x * x / 3.0 - x**3 / 4.0, np.log1p(xs) / xs)


def _log_ratio_terms(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Return (L(x) - 1)/x and (1/(1 + x) - L(x))/x, with their series near 0."""
    small = np.abs(x) < _SERIES_X
    xs = np.where(small, 1.0, x)
    lr = _log_ratio(x)
    dp = np.where(small, -0.5 + x / 3.0 - x * x / 4.0, (lr - 1.0) / xs)
    dq = np.where(small, -0.5 + 2.0 * x / 3.0 - 0.75 * x * x, (1.0 / (1.0 + xs) - lr) / xs)
    return dp, dq


def _model(
    params: FloatArray, edges: FloatArray, filter: str, window: int, jacobian: bool
) -> tuple[FloatArray, FloatArray | None]:
    """Smoothed model velocity (and its Jacobian) for 1/v = c + a·u on interval edges u.

    Over an interval from u_j to u_(j+1) the α = 2 model's mean velocity is the reciprocal
    of the logarithmic mean of y_j = c + a u_j and y_(j+1): ln(y_(j+1)/y_j)/(y_(j+1) - y_j).
    """
    c, a = params
    y = c + a * edges
    p, q = y[:-1], y[1:]
    x = (q - p) / p
    g = _log_ratio(x) / p
    smooth = _apply_filter(g, filter, window)
    if not jacobian:
        return smooth, None
    dp, dq = _log_ratio_terms(x)
    dg_dp, dg_dq = dp / (p * p), dq / (p * p)
    dg = np.stack([dg_dp + dg_dq, dg_dp * edges[:-1] + dg_dq * edges[1:]])
    return smooth, _apply_filter(dg, filter, window).T


def _hac_covariance(jac: FloatArray, resid: FloatArray, bandwidth: int) -> FloatArray:
    """Newey-West (Bartlett) sandwich covariance of least-squares parameters."""
    n, k = jac.shape
    normal = jac.T @ jac
    if not np.all(np.isfinite(normal)) or np.linalg.cond(normal) > 1e14:
        return np.full((k, k), np.nan)
    bread = np.linalg.inv(normal)
    g = jac * resid[:, None]
    meat = g.T @ g
    for lag in range(1, min(bandwidth, n - 1) + 1):
        gg = g[lag:].T @ g[:-lag]
        meat += (1.0 - lag / (bandwidth + 1.0)) * (gg + gg.T)
    cov: FloatArray = bread @ meat @ bread * n / max(n - k, 1)
    return cov


@dataclass(frozen=True)
class _Fit:
    """A fitted line 1/v = c + a·u (u = (t - t0)/scale_t, v in units of scale_v)."""

    c: float
    a: float
    cov: FloatArray
    sse: float
    sst: float
    n: int
    converged: bool


def _fit_model(
    sv: SmoothedVelocity, t: FloatArray, t0: float, scale_t: float, scale_v: float
) -> _Fit:
    """Gauss-Newton fit of the smoothed α = 2 model to a smoothed velocity (scaled units)."""
    edges = (t[sv.first_interval :] - t0) / scale_t
    vs = sv.velocity / scale_v
    centres = (sv.centre_times - t0) / scale_t
    n = vs.size
    sst = float(np.sum((vs - vs.mean()) ** 2))
    positive_v = vs > 0
    start = np.array([1.0 / np.mean(vs[positive_v]) if positive_v.any() else 1.0, 0.0])
    if positive_v.sum() >= 2:
        a0, c0 = np.polyfit(centres[positive_v], 1.0 / vs[positive_v], 1)
        if c0 + a0 * edges[0] > 0 and c0 + a0 * edges[-1] > 0:
            start = np.array([c0, a0])
    if np.all(vs <= 0):
        return _Fit(math.nan, math.nan, np.full((2, 2), np.nan), math.inf, sst, n, False)

    def valid(par: FloatArray) -> bool:
        return bool(par[0] + par[1] * edges[0] > 0 and par[0] + par[1] * edges[-1] > 0)

    params = start
    model, jac = _model(params, edges, sv.filter, sv.window, True)
    resid = vs - model
    cost = float(resid @ resid)
    converged = False
    for _ in range(_MAX_ITERATIONS):
        assert jac is not None
        step, *_ = np.linalg.lstsq(jac, resid, rcond=None)
        shrink = 1.0
        while shrink > 1e-10:
            trial = params + shrink * step
            if valid(trial):
                trial_model, _ = _model(trial, edges, sv.filter, sv.window, False)
                trial_cost = float(np.sum((vs - trial_model) ** 2))
                if trial_cost <= cost:
                    break
            shrink /= 2.0
        else:
            converged = True  # no step lowers the cost: at the minimum
            break
        params = trial
        old = cost
        model, jac = _model(params, edges, sv.filter, sv.window, True)
        resid = vs - model
        cost = float(resid @ resid)
        if old - cost <= 1e-12 * max(old, 1e-300):
            converged = True
            break
    assert jac is not None
    cov = _hac_covariance(-jac, resid, sv.window)
    return _Fit(float(params[0]), float(params[1]), cov, cost, sst, n, converged)


def _fit_trailing(sv: SmoothedVelocity, t0: float, scale_t: float, scale_v: float) -> _Fit:
    """Ordinary least-squares line of 1/v on the availability times (scaled units)."""
    keep = sv.velocity > 0
    u = (sv.available_times[keep] - t0) / scale_t
    y = scale_v / sv.velocity[keep]
    n = int(u.size)
    if n < 3:
        return _Fit(math.nan, math.nan, np.full((2, 2), np.nan), math.inf, 0.0, n, False)
    design = np.column_stack([np.ones_like(u), u])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    cov = _hac_covariance(design, resid, sv.window)
    sse = float(resid @ resid)
    sst = float(np.sum((y - y.mean()) ** 2))
    return _Fit(float(coef[0]), float(coef[1]), cov, sse, sst, n, True)


def _fieller(fit: _Fit, quantile: float) -> tuple[float, float] | None:
    """Confidence interval of the root u* of c + a u = 0 (Fieller 1954), or None if unbounded."""
    vcc, vca, vaa = fit.cov[0, 0], fit.cov[0, 1], fit.cov[1, 1]
    q2 = quantile * quantile
    qa = fit.a * fit.a - q2 * vaa
    qb = 2.0 * (fit.a * fit.c - q2 * vca)
    qc = fit.c * fit.c - q2 * vcc
    if qa <= 0.0:
        return None
    # With qa > 0 the set holds the root -c/a, so disc >= 0 but for rounding.
    root = math.sqrt(max(qb * qb - 4.0 * qa * qc, 0.0))
    lo, hi = (-qb - root) / (2.0 * qa), (-qb + root) / (2.0 * qa)
    return lo, hi


# --- onset of acceleration ------------------------------------------------------------------


def _onset_cost(
    t: FloatArray, d: FloatArray, filter: str, window: int, lower: int, first: int, scale_v: float
) -> tuple[float, int]:
    """Cost of an onset at interval ``first`` within the segment starting at ``lower``.

    Returns the squared misfit of steady creep (a constant velocity) from ``lower`` to the
    onset plus that of the smoothed α = 2 model after it, and the number of smoothed
    velocities the two phases hold.
    """
    t0, scale_t = float(t[first]), float(t[-1] - t[first])
    sv = _smooth(t, d, filter, window, first)
    fit = _fit_model(sv, t, t0, scale_t, scale_v)
    if not math.isfinite(fit.sse) or not fit.converged:
        return math.inf, fit.n
    creep = 0.0
    n_creep = 0
    if first - lower >= window:
        pre_sv = _smooth(t[: first + 1], d[: first + 1], filter, window, lower)
        pre = pre_sv.velocity / scale_v
        creep = float(np.sum((pre - pre.mean()) ** 2))
        n_creep = int(pre.size)
    return fit.sse + creep, fit.n + n_creep


def _best_onset(
    t: FloatArray,
    d: FloatArray,
    filter: str,
    window: int,
    lower: int,
    last: int,
    max_candidates: int,
    scale_v: float,
) -> tuple[int, float, int]:
    """Grid search, coarse then fine, of the onset in intervals ``lower`` .. ``last``."""

    def search(lo: int, hi: int) -> list[tuple[float, int, int]]:
        grid = np.unique(np.linspace(lo, hi, min(max_candidates, hi - lo + 1)).round())
        found = []
        for i in grid.astype(int):
            sse, n = _onset_cost(t, d, filter, window, lower, int(i), scale_v)
            found.append((sse / max(n, 1), int(i), n))
        return found

    coarse = search(lower, last)
    k = min(range(len(coarse)), key=lambda j: coarse[j][0])
    lo = coarse[max(k - 1, 0)][1]
    hi = coarse[min(k + 1, len(coarse) - 1)][1]
    mse, best, n = min([*search(lo, hi), coarse[k]])
    return best, mse, n


def _split(
    t: FloatArray,
    d: FloatArray,
    filter: str,
    window: int,
    lower: int,
    last: int,
    max_candidates: int,
    scale_v: float,
    liberal: bool,
) -> int:
    """Onset in intervals ``lower`` .. ``last``: the best split if it passes the BIC test.

    The split (creep, then α = 2) adds two parameters to one α = 2 phase from ``lower``
    (the creep velocity and the onset time); it is kept when the Schwarz criterion prefers
    it. With ``liberal=False`` the sample size in the criterion is divided by the window,
    the number of smoothed velocities sharing a reading: a second split is kept only for a
    clear change, not for a stretch where noise happens to fit better.
    """
    if lower >= last:
        return lower
    base_sse, n = _onset_cost(t, d, filter, window, lower, lower, scale_v)
    best, mse, _ = _best_onset(t, d, filter, window, lower, last, max_candidates, scale_v)
    base_mse = base_sse / max(n, 1)
    n_bic = float(n) if liberal else max(n / window, 2.0)
    if best == lower or not mse < base_mse:
        return lower
    if mse <= 0.0 or math.isinf(base_mse):
        return best
    return best if n_bic * math.log(base_mse / mse) > 2.0 * math.log(n_bic) else lower


def _check_counts(min_points: int, max_candidates: int) -> None:
    for name, value, low in (("min_points", min_points, 3), ("max_candidates", max_candidates, 2)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ValueError(f"{name} must be an integer, got {value!r}")
        in_range(name, int(value), low, np.inf)


def acceleration_onset(
    times: npt.ArrayLike,
    displacement: npt.ArrayLike,
    *,
    filter: FilterName = "sma",
    window: int = 8,
    min_points: int = 12,
    max_candidates: int = 24,
) -> float:
    """Onset of the accelerating (tertiary-creep) phase of a displacement series.

    The onset is found as a change point: before it the slope creeps at a steady velocity,
    after it the velocity follows Voight's α = 2 law (1/v falling linearly). Every
    candidate onset splits the smoothed velocity into the two phases; the best candidate
    has the least mean squared misfit of velocity (candidates: a coarse grid of reading
    times, refined around the best one). The split is kept if the Schwarz criterion (BIC)
    prefers it to one α = 2 phase over the whole record; the search is then repeated on
    the phase after the onset, where a further split is kept only for a clear change
    (BIC with the sample size divided by the window, as neighbouring smoothed velocities
    share readings), until none is.

    Parameters
    ----------
    times : array_like
        Times of the readings, strictly increasing. [d]
    displacement : array_like
        Cumulative displacement at those times, positive in the direction of movement. [mm]
    filter : {"sma", "ema"}
        Causal smoothing filter (see :data:`FILTERS`).
    window : int
        Window or span of the filter in velocity samples. [-]
    min_points : int
        Fewest smoothed velocities the accelerating phase must keep (at least 3); the
        search also keeps three filter windows of them. [-]
    max_candidates : int
        Candidates per pass of the search (at least 2). [-]

    Returns
    -------
    float
        Time of the reading at which the accelerating phase starts. [d]

    Raises
    ------
    ValueError
        If the series is invalid (see :func:`smoothed_velocity`) or too short to leave
        ``min_points`` smoothed velocities after any onset.

    Notes
    -----
    Why a change point on velocity, not a CUSUM or a velocity threshold: the quantity
    extrapolated is the 1/v line, so the fit window should be the stretch where that line
    holds, and the split that fits "steady creep, then α = 2 acceleration" best finds it
    without a baseline period, a threshold or a tuning constant to defend. The misfit is
    measured in velocity, where reading noise is additive and of constant variance; in
    1/v the noise is amplified as σ_v/v² and biased upward at low velocity (Jensen's
    inequality), which would drag the split towards the noisy early data.

    The two tests are asymmetric on purpose: missing a creep phase before the onset biases
    the forecast late (creep looks like a slower acceleration), while a spurious split only
    shortens the fit; but each further split is a search over many candidates, and a short
    stretch where noise happens to look like acceleration must not become the fit window.

    Limits. A regressive episode (acceleration then deceleration, Rose & Hungr 2007) fits
    neither phase model; the onset lands after its peak, but when the slope returns to
    creep for a short time only, part of the slow-down may stay in the fit (the synthetic
    tests show a forecast a little late); judge the progressive phase on the plot and pass
    ``onset`` to :func:`inverse_velocity_forecast` when in doubt. A series that never
    accelerates still gets an onset; the forecast is then refused because the slope of
    1/v is not significantly negative.

    Examples
    --------
    >>> t = np.arange(0.0, 40.0, 0.25)
    >>> creep = 0.05 * t                                   # 0.05 mm/d until day 20
    >>> accel = 1.0 - 20.0 * np.log((50.0 - t) / 30.0)     # α = 2 from day 20, t_f = 50 d
    >>> d = np.where(t < 20.0, creep, accel)
    >>> round(acceleration_onset(t, d), 1)
    20.0
    """
    _check_filter(filter, window)
    _check_counts(min_points, max_candidates)
    t, d = displacement_series(times, displacement)
    if t.size < int(window) + int(min_points):
        raise ValueError(
            f"displacement must have at least window + min_points = {window + min_points} "
            f"readings, got {t.size}"
        )
    # latest first interval: the phase keeps min_points and three windows of smoothed values
    last = max(t.size - int(window) - max(int(min_points), 3 * int(window)), 0)
    scale_v = float(np.max(np.abs(np.diff(d) / np.diff(t)))) or 1.0
    lower = _split(t, d, filter, int(window), 0, last, int(max_candidates), scale_v, True)
    while True:  # further (clear) splits move the onset later
        later = _split(t, d, filter, int(window), lower, last, int(max_candidates), scale_v, False)
        if later <= lower:
            return float(t[lower])
        lower = later


# --- forecast -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class InverseVelocityForecast:
    """Forecast time of failure by the inverse-velocity method, or why there is none.

    Attributes
    ----------
    t_failure : float or None
        Forecast time of failure: where the fitted 1/v line reaches zero. [d]
    t_low, t_high : float or None
        Bounds of its confidence interval at level ``confidence``. [d]
    confidence : float
        Confidence level of the interval. [-]
    onset : float or None
        Start of the fitted (accelerating) phase. [d]
    filter : str
        Smoothing filter (see :data:`FILTERS`).
    window : int
        Window or span of the filter. [samples]
    lag : float
        Lag of the newest smoothed velocity behind its stamp (see :func:`filter_lag`). [d]
    fit : str
        How the line was fitted (see :data:`FITS`).
    slope : float or None
        Slope of the 1/v line, -A of Voight's α = 2 law (negative when accelerating). [1/mm]
    r2 : float or None
        Coefficient of determination of the fit: of velocity for ``fit="model"``, of 1/v
        for ``fit="trailing"``. [-]
    n_points : int
        Smoothed velocities in the fit. [-]
    reason : str
        Why there is no forecast; empty when there is one.
    velocity : SmoothedVelocity or None
        The smoothed velocity of the fitted phase (for plots).
    """

    t_failure: float | None
    t_low: float | None
    t_high: float | None
    confidence: float
    onset: float | None
    filter: str
    window: int
    lag: float
    fit: str
    slope: float | None
    r2: float | None
    n_points: int
    reason: str = ""
    velocity: SmoothedVelocity | None = None

    @property
    def has_forecast(self) -> bool:
        """Whether a failure time was forecast."""
        return self.t_failure is not None

    def inverse_velocity_line(self, times: npt.ArrayLike) -> FloatArray:
        """Fitted inverse velocity ``slope · (t - t_failure)`` in d/mm at ``times`` in days.

        Raises
        ------
        ValueError
            If there is no forecast.
        """
        if self.t_failure is None or self.slope is None:
            raise ValueError(f"there is no fitted line: {self.reason}")
        return self.slope * (np.asarray(times, dtype=float) - self.t_failure)


def inverse_velocity_forecast(
    times: npt.ArrayLike,
    displacement: npt.ArrayLike,
    *,
    filter: FilterName = "sma",
    window: int = 8,
    onset: float | None = None,
    fit: FitName = "model",
    confidence: float = 0.95,
    min_points: int = 12,
    min_r2: float = 0.3,
    max_candidates: int = 24,
) -> InverseVelocityForecast:
    r"""Forecast the time of slope failure from displacement readings (inverse velocity).

    Smooths the velocity with a causal filter (:func:`smoothed_velocity`), finds the onset
    of acceleration (:func:`acceleration_onset`) unless given, fits the straight line of
    inverse velocity after it and returns where the line reaches zero with a confidence
    interval. No forecast is made (the fields are None and ``reason`` says why) when the
    point does not move, there are too few points, the slope of 1/v is not significantly
    negative (steady creep, deceleration, or noise) or the fit explains too little of the
    velocity.

    Parameters
    ----------
    times : array_like
        Times of the readings, strictly increasing. [d]
    displacement : array_like
        Cumulative displacement at those times, positive in the direction of movement. [mm]
    filter : {"sma", "ema"}
        Causal smoothing filter (see :data:`FILTERS`).
    window : int
        Window or span of the filter in velocity samples; keep its span well below the
        expected time to failure. [-]
    onset : float, optional
        Start of the accelerating phase; found automatically when omitted. [d]
    fit : {"model", "trailing"}
        How the line is fitted (see :data:`FITS`); ``"trailing"`` reproduces the classic
        practice and its late bias.
    confidence : float
        Confidence level of the interval, in (0, 1). [-]
    min_points : int
        Fewest smoothed velocities a forecast needs (at least 3). [-]
    min_r2 : float
        Least coefficient of determination a forecast needs, in [0, 1). For the model
        fit it is the share of the smoothed velocity's variance explained, which falls
        with reading noise (about 0.8 at σ = 10 % and 0.4 at σ = 25 % of the daily
        displacement in the synthetic tests); spurious "accelerations" of steady creep
        score near 0. [-]
    max_candidates : int
        Candidates per pass of the onset search. [-]

    Returns
    -------
    InverseVelocityForecast
        The forecast and its interval, or None fields and the reason.

    Raises
    ------
    ValueError
        If an argument is outside its range or the series is invalid: shapes differ, NaN,
        times not increasing, fewer than ``window + min_points`` readings, or ``onset``
        outside the readings.

    Notes
    -----
    Voight's relation :math:`\ddot Ω = A\,\dot Ω^{α}` with α = 2 integrates to
    :math:`1/v = A\,(t_f - t)` (Fukuzono 1985; Carlà et al. 2019, eqs. 1-2): a line
    :math:`1/v = c + a\,t` with :math:`t_f = -c/a`, :math:`A = -a`.

    *Fit* (``fit="model"``). A causal filter delays the velocity by its lag (about
    :math:`(N-1)Δt/2`) and, over a window comparable with the time left, averages a curve.
    Rather than shift the stamps, the line's parameters are fitted so that the α = 2
    velocity, pushed through *the same filter*, matches the smoothed velocity: over each
    reading interval the model's mean velocity is :math:`\ln(y_{j+1}/y_j)/(y_{j+1}-y_j)`
    with :math:`y = c + a t`, and the filter is linear. Lag and averaging are then part
    of the model and do not bias t_f. The misfit is measured in velocity (additive reading
    noise), not in 1/v, whose noise grows as σ_v/v² and is biased upward where v is small.
    ``fit="trailing"`` instead draws the least-squares line through 1/v of the smoothed
    velocity at the time it becomes known (:attr:`SmoothedVelocity.available_times`), as
    real-time practice does; it forecasts late by up to the delay of that time behind the
    time the value represents, N Δt / 2 (reproduced in the tests).

    *Interval*. The parameter covariance is the Newey-West sandwich (Bartlett kernel,
    bandwidth N): the filter correlates neighbouring residuals. The interval of t_f is
    Fieller's (1954): the times at which the line's confidence band contains zero,

    .. math:: (c + a t)^2 \le q^2\,[V_{cc} + 2 t V_{ca} + t^2 V_{aa}],

    q the Student quantile with n - 2 degrees of freedom; it is asymmetric, as the
    extrapolation of a slope is, and it is bounded only when the slope is significant at
    the chosen level, which is also the refusal rule.

    Examples
    --------
    >>> t = np.arange(0.0, 90.0, 0.25)                          # 6-hourly readings [d]
    >>> d = -2.0 * np.log((100.0 - t) / 100.0)                  # α = 2, A = 0.5, t_f = 100 d
    >>> fc = inverse_velocity_forecast(t, d)
    >>> round(fc.t_failure, 3), fc.lag, fc.reason
    (100.0, 0.875, '')
    >>> inverse_velocity_forecast(t, 0.1 * t).reason[:40]        # steady creep
    'no acceleration: the slope of 1/v is not'
    """
    _check_filter(filter, window)
    _check_counts(min_points, max_candidates)
    if fit not in FITS:
        raise ValueError(f"fit must be one of {FITS}, got {fit!r}")
    in_range("confidence", confidence, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    in_range("min_r2", min_r2, 0.0, 1.0, high_inclusive=False)
    t, d = displacement_series(times, displacement)
    n_window = int(window)
    needed = minimum_readings(n_window, int(min_points))
    if t.size < needed:
        raise ValueError(
            f"displacement must have at least window + min_points = {needed} readings, got {t.size}"
        )
    if onset is None:
        start_time = acceleration_onset(
            t, d, filter=filter, window=n_window, min_points=min_points,
            max_candidates=max_candidates,
        )  # fmt: skip
    else:
        start_time = float(in_range("onset", onset, float(t[0]), float(t[-1]), "d"))
    first = int(np.searchsorted(t, start_time, side="left"))
    t0 = float(t[first])
    refused = InverseVelocityForecast(
        t_failure=None, t_low=None, t_high=None, confidence=float(confidence), onset=t0,
        filter=filter, window=n_window, fit=fit, slope=None, r2=None,
        lag=filter_lag(filter, n_window, float(np.median(np.diff(t)))),
        n_points=max(t.size - first - n_window, 0),
    )  # fmt: skip
    if t.size - first < needed:
        return replace(refused, reason=f"too few readings after the onset: {refused.n_points} "
                       f"smoothed velocities, fewer than min_points = {min_points}")  # fmt: skip
    sv = _smooth(t, d, filter, n_window, first)
    scale_t = float(t[-1] - t0)
    scale_v = float(np.max(np.abs(sv.velocity))) or 1.0
    if fit == "model":
        line = _fit_model(sv, t, t0, scale_t, scale_v)
    else:
        line = _fit_trailing(sv, t0, scale_t, scale_v)
    reason, fitted = _judge_fit(line, sv, (t0, scale_t, scale_v), confidence, min_points, min_r2)
    return replace(refused, lag=sv.lag, n_points=line.n, reason=reason, velocity=sv, **fitted)


class _Fitted(TypedDict, total=False):
    """Fitted fields of a forecast (see :class:`InverseVelocityForecast`)."""

    slope: float
    r2: float
    t_failure: float
    t_low: float
    t_high: float


def minimum_readings(window: int, min_points: int = 12) -> int:
    """Return the fewest readings an inverse-velocity forecast can be made from.

    ``n`` readings give ``n - 1`` interval velocities, of which a causal filter of
    ``window`` samples smooths ``n - window``; the fit needs ``min_points`` of them, so
    ``n >= window + min_points`` (:func:`inverse_velocity_forecast` refuses fewer with a
    ``ValueError``). With the defaults (window 8, 12 points) that is 20 readings.

    Parameters
    ----------
    window : int
        Window (SMA) or span (EMA) of the velocity filter. [samples]
    min_points : int
        Fewest smoothed velocities in the fit. [-]

    Returns
    -------
    int
        ``window + min_points``. [-]

    Raises
    ------
    ValueError
        If ``window < 1`` or ``min_points < 3``.

    Examples
    --------
    >>> minimum_readings(8)
    20
    """
    _check_filter("sma", window)
    _check_counts(min_points, 2)
    return int(window) + int(min_points)


def _judge_fit(
    line: _Fit,
    sv: SmoothedVelocity,
    scales: tuple[float, float, float],
    confidence: float,
    min_points: int,
    min_r2: float,
) -> tuple[str, _Fitted]:
    """Return why a fitted line gives no forecast (empty if it does) and its fitted fields.

    The refusal rules of :func:`inverse_velocity_forecast`, in order: no movement, too few
    positive velocities, no convergence, a slope of 1/v not significantly negative, an r²
    below ``min_r2``. ``scales`` is ``(t0, scale_t, scale_v)`` of the fit.
    """
    t0, scale_t, scale_v = scales
    if not np.any(sv.velocity > 0):
        return "no movement: the smoothed velocity is nowhere positive after the onset", {}
    if line.n < int(min_points) or not math.isfinite(line.sse):
        return (f"too few positive velocities after the onset: {line.n}, "
                f"fewer than min_points = {min_points}"), {}  # fmt: skip
    if not line.converged or not np.all(np.isfinite(line.cov)):
        return "the fit of the inverse-velocity line did not converge", {}
    slope = float(line.a / (scale_t * scale_v))  # 1/v in d/mm per day
    r2 = float(1.0 - line.sse / line.sst) if line.sst > 0 else 0.0
    quantile = float(stats.t.ppf(0.5 + confidence / 2.0, line.n - 2))
    z = (
        line.a / math.sqrt(line.cov[1, 1])
        if line.cov[1, 1] > 0
        else math.copysign(math.inf, line.a)
    )
    if not z < -quantile:
        steady = line.a <= 1e-9 * abs(line.c)  # an exact fit of steady creep has t = ±inf
        kind = "decelerating" if z > quantile and not steady else "not significantly negative"
        reason = (f"no acceleration: the slope of 1/v is {kind} (t = {z:.2f}, "
                  f"needs < {-quantile:.2f} at {confidence:.0%})")  # fmt: skip
        return reason, {"slope": slope, "r2": r2}
    if r2 < min_r2:
        return (f"fit quality too low: r² = {r2:.2f} < min_r2 = {min_r2:.2f}",
                {"slope": slope, "r2": r2})  # fmt: skip
    bounds = _fieller(line, quantile)
    if bounds is None:  # pragma: no cover - bounded whenever the slope is significant
        return "the interval of the failure time is unbounded", {}
    t_failure = t0 - line.c / line.a * scale_t
    # the interval holds the estimate; min/max keep it so through rounding of a tight fit
    t_low = min(t0 + bounds[0] * scale_t, t_failure)
    t_high = max(t0 + bounds[1] * scale_t, t_failure)
    return "", {"slope": slope, "r2": r2, "t_failure": float(t_failure),
                "t_low": float(t_low), "t_high": float(t_high)}  # fmt: skip
