"""Drainage-water chemistry: limit exceedance, trend tests, multivariate anomaly detection.

Three questions a reclamation site answers about its drainage water (mine water, dump and
tailings seepage):

1. *Is a limit exceeded?* -- :func:`read_water_limits` returns the packaged table of limit
   values (``data/water_limits.toml``: Russian drinking-water norms, СанПиН 1.2.3685-21,
   and fishery MPC, Order of the Ministry of Agriculture № 552 of 13.12.2016, each value
   with its document and table); :func:`exceeds_limit`, :func:`exceedance_ratio` and
   :func:`limit_exceedances` compare samples with them.
2. *Is it getting worse?* -- :func:`mann_kendall` (trend test with the tie correction) and
   :func:`sens_slope` (the trend's rate with its confidence interval), the non-parametric
   pair used for water-quality trends (Hirsch et al. 1982; Gilbert 1987).
3. *Is something unusual happening?* -- :func:`detect_chemistry_anomalies` flags samples
   whose joint chemistry departs from the site's own baseline (acid rock drainage: pH
   down, sulphate and metals up together), robustly and online; :func:`robust_baseline`
   and :func:`update_baseline` are its two steps for a live stream.

Concentrations are in mg/L (the canonical unit of postmine's monitoring store), pH in pH
units, conductance in µS/cm.

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
Rousseeuw P.J., Van Driessen K. (1999) A fast algorithm for the minimum covariance
    determinant estimator. Technometrics 41:212-223.
Finch T. (2009) Incremental calculation of weighted mean and variance. University of
    Cambridge Computing Service.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from postmine.core.checks import in_range, non_negative, positive

__all__ = [
    "PARAMETER_ALIASES",
    "ChemistryAnomalies",
    "ChemistryBaseline",
    "Exceedance",
    "MannKendallResult",
    "SensSlope",
    "WaterLimit",
    "describe_anomaly",
    "detect_chemistry_anomalies",
    "exceedance_ratio",
    "exceeds_limit",
    "limit_exceedances",
    "mann_kendall",
    "read_water_limits",
    "robust_baseline",
    "sens_slope",
    "update_baseline",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
FloatLike = float | FloatArray

FORMAT_VERSION = 1
STANDARDS: tuple[str, ...] = ("drinking", "fishery")

PARAMETER_ALIASES: dict[str, str] = {
    "ph": "ph",
    "sulfate": "sulphate",
    "so4": "sulphate",
    "fe": "iron",
    "mn": "manganese",
    "cu": "copper",
    "zn": "zinc",
    "as": "arsenic",
    "cd": "cadmium",
    "pb": "lead",
    "ni": "nickel",
    "ec": "electrical_conductivity",
}
"""Other spellings of parameter names (element symbols, US spelling) and the name used in
the limits table; names are compared in lower case."""


def _canonical(name: str) -> str:
    key = name.strip().lower()
    return PARAMETER_ALIASES.get(key, key)


# --- limit values ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WaterLimit:
    """A limit value of one water-quality parameter under one standard.

    Attributes
    ----------
    parameter : str
        Parameter name (``"sulphate"``, ``"iron"``, ``"ph"`` ...).
    standard : str
        ``"drinking"`` or ``"fishery"``.
    low, high : float or None
        Lowest and highest allowed value; None where the limit is one-sided. [unit]
    unit : str
        Unit of the limit (``"mg/L"``, ``"pH"``).
    document : str
        Title of the document that sets the limit.
    location : str
        Table or part of the document.
    note : str
        Form of the substance and remarks.
    """

    parameter: str
    standard: str
    low: float | None
    high: float | None
    unit: str
    document: str
    location: str
    note: str = ""

    @property
    def source(self) -> str:
        """The document and the table, in one line."""
        first = self.document.split("«")[0].strip()
        return f"{first}, {self.location}"


def _parse_limits(data: Mapping[str, Any]) -> tuple[WaterLimit, ...]:
    if data.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"water limits format_version must be {FORMAT_VERSION}, "
            f"got {data.get('format_version')!r}"
        )
    documents = data.get("documents", {})
    limits = []
    for i, row in enumerate(data.get("limit", [])):
        where = f"limit #{i + 1} ({row.get('parameter', '?')}, {row.get('standard', '?')})"
        doc = documents.get(row.get("document"))
        if doc is None:
            raise ValueError(f"{where}: unknown document {row.get('document')!r}")
        if row.get("standard") not in STANDARDS or doc.get("standard") != row["standard"]:
            raise ValueError(f"{where}: standard must be one of {STANDARDS} and match its document")
        low, high = row.get("min"), row.get("max")
        if low is None and high is None:
            raise ValueError(f"{where}: needs min or max")
        if low is not None and high is not None and not low < high:
            raise ValueError(f"{where}: min must be < max, got {low} and {high}")
        for bound in (low, high):
            if bound is not None:
                non_negative(f"{where} bound", float(bound), row.get("unit", ""))
        limits.append(
            WaterLimit(
                parameter=_canonical(row["parameter"]),
                standard=row["standard"],
                low=None if low is None else float(low),
                high=None if high is None else float(high),
                unit=row["unit"],
                document=" ".join(doc["title"].split()),
                location=row["location"],
                note=row.get("note", ""),
            )
        )
    return tuple(limits)


@cache
def _packaged_limits() -> tuple[WaterLimit, ...]:
    text = resources.files("postmine.data").joinpath("water_limits.toml").read_text("utf-8")
    return _parse_limits(tomllib.loads(text))


def read_water_limits(standard: str | None = None) -> tuple[WaterLimit, ...]:
    """Limit values of water quality shipped with postmine, with their sources.

    Reads the packaged table ``postmine/data/water_limits.toml``: СанПиН 1.2.3685-21
    (``"drinking"``) and the fishery MPC of Order № 552 of 13.12.2016 (``"fishery"``). Only
    values whose reading the authors are sure of are included; the file's header lists the
    parameters left out and why.

    Parameters
    ----------
    standard : {"drinking", "fishery"}, optional
        Return only the limits of this standard; all when omitted.

    Returns
    -------
    tuple of WaterLimit
        The limits, each with its document and table.

    Raises
    ------
    ValueError
        If ``standard`` is unknown.

    Examples
    --------
    >>> [(w.parameter, w.high) for w in read_water_limits("fishery") if w.parameter != "ph"]
    [('sulphate', 100.0), ('iron', 0.1), ('manganese', 0.01), ('copper', 0.001), ('zinc', 0.01)]
    >>> ph = next(w for w in read_water_limits("drinking") if w.parameter == "ph")
    >>> ph.low, ph.high, ph.location
    (6.0, 9.0, 'Section III, Table 3.3 (generalised indicators, водородный показатель)')
    """
    limits = _packaged_limits()
    if standard is None:
        return limits
    if standard not in STANDARDS:
        raise ValueError(f"standard must be one of {STANDARDS}, got {standard!r}")
    return tuple(w for w in limits if w.standard == standard)


def exceedance_ratio(concentration: FloatLike, limit: FloatLike) -> FloatLike:
    """Concentration as a multiple of its limit value (C / ПДК).

    Parameters
    ----------
    concentration : float or ndarray
        Measured concentration. [mg/L]
    limit : float or ndarray
        Limit value (ПДК) in the same unit. [mg/L]

    Returns
    -------
    float or ndarray
        C / ПДК; above 1 the limit is exceeded. [-]

    Raises
    ------
    ValueError
        If a concentration is negative or NaN, or a limit is not positive.

    Notes
    -----
    The multiple of the MPC is how Russian water-quality reports state an exceedance
    ("превышение ПДК в 3,2 раза").

    Examples
    --------
    >>> exceedance_ratio(0.0032, 0.001)
    3.2
    """
    non_negative("concentration", concentration, "mg/L")
    positive("limit", limit, "mg/L")
    ratio: FloatLike = np.asarray(concentration, dtype=float) / np.asarray(limit, dtype=float)
    return float(ratio) if np.ndim(ratio) == 0 else ratio


def exceeds_limit(values: npt.ArrayLike, limit: WaterLimit) -> BoolArray:
    """Which values break a limit (above ``high`` or below ``low``).

    Parameters
    ----------
    values : array_like
        Measured values of the limit's parameter, in the limit's unit. [mg/L or pH]
    limit : WaterLimit
        The limit (from :func:`read_water_limits`).

    Returns
    -------
    ndarray of bool
        True where the value is outside the allowed range; the bound itself is allowed
        ("не более" / "не менее").

    Raises
    ------
    ValueError
        If a value is NaN or infinite, or a concentration is negative.

    Examples
    --------
    >>> ph = next(w for w in read_water_limits("fishery") if w.parameter == "ph")
    >>> exceeds_limit([5.9, 6.5, 7.2, 8.6], ph).tolist()
    [True, False, False, True]
    """
    x = np.asarray(values, dtype=float)
    in_range(limit.parameter, x, unit=limit.unit)
    if limit.unit != "pH":
        non_negative(limit.parameter, x, limit.unit)
    bad = np.zeros(x.shape, dtype=bool)
    if limit.high is not None:
        bad |= x > limit.high
    if limit.low is not None:
        bad |= x < limit.low
    return bad


@dataclass(frozen=True)
class Exceedance:
    """One parameter of one sample outside its limit.

    Attributes
    ----------
    parameter, standard : str
        Parameter and standard of the limit.
    value : float
        Measured value. [unit]
    limit : float
        The bound broken: ``high`` for a value above, ``low`` for one below. [unit]
    side : str
        ``"above"`` or ``"below"``.
    ratio : float or None
        value / limit for a value above a concentration limit (C / ПДК); None otherwise. [-]
    unit : str
        Unit of value and limit.
    source : str
        Document and table of the limit.
    """

    parameter: str
    standard: str
    value: float
    limit: float
    side: str
    ratio: float | None
    unit: str
    source: str


def limit_exceedances(
    sample: Mapping[str, float],
    limits: Sequence[WaterLimit] | None = None,
    *,
    standard: str | None = None,
) -> list[Exceedance]:
    """Every limit one water sample breaks.

    Parameters
    ----------
    sample : mapping of str to float
        Measured values by parameter name (``{"ph": 3.9, "sulphate": 1450.0, "zn": 2.1}``;
        element symbols and "sulfate" are understood, see :data:`PARAMETER_ALIASES`), in the
        unit of the limits. [mg/L or pH]
    limits : sequence of WaterLimit, optional
        Limits to check; the packaged table (:func:`read_water_limits`) when omitted.
    standard : {"drinking", "fishery"}, optional
        Check only the limits of this standard.

    Returns
    -------
    list of Exceedance
        One entry per broken limit, in the order of ``limits``; empty when none is broken.
        Parameters without a limit are ignored.

    Raises
    ------
    ValueError
        If ``standard`` is unknown, or a value is NaN, infinite or (for a concentration)
        negative.

    Examples
    --------
    >>> found = limit_exceedances({"pH": 3.9, "sulfate": 1450.0, "Zn": 2.1}, standard="fishery")
    >>> [(e.parameter, e.side, e.ratio) for e in found]
    [('ph', 'below', None), ('sulphate', 'above', 14.5), ('zinc', 'above', 210.0)]
    """
    chosen = read_water_limits(standard) if limits is None else tuple(limits)
    if limits is not None and standard is not None:
        if standard not in STANDARDS:
            raise ValueError(f"standard must be one of {STANDARDS}, got {standard!r}")
        chosen = tuple(w for w in chosen if w.standard == standard)
    values = {_canonical(k): float(v) for k, v in sample.items()}
    found = []
    for limit in chosen:
        if limit.parameter not in values:
            continue
        value = values[limit.parameter]
        if not exceeds_limit(value, limit):
            continue
        above = limit.high is not None and value > limit.high
        bound = limit.high if above else limit.low
        assert bound is not None
        ratio = value / bound if above and limit.unit != "pH" and bound > 0 else None
        found.append(
            Exceedance(
                parameter=limit.parameter,
                standard=limit.standard,
                value=value,
                limit=bound,
                side="above" if above else "below",
                ratio=ratio,
                unit=limit.unit,
                source=limit.source,
            )
        )
    return found


# --- trend: Mann-Kendall and Sen's slope ---------------------------------------------------


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


# --- multivariate anomaly detection -------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ChemistryBaseline:
    """The site's normal drainage chemistry: location and covariance on the working scale.

    Attributes
    ----------
    parameters : tuple of str
        Parameter names, in column order.
    log_scale : tuple of bool
        Whether each parameter is compared as log10 of its value (concentrations,
        conductance) or as measured (pH).
    mean : ndarray
        Baseline location on the working scale, shape (p,).
    covariance : ndarray
        Baseline covariance on the working scale, shape (p, p).
    n_effective : float
        Effective number of samples behind the estimate (for the threshold). [-]
    halflife : float
        Half-life of the exponential forgetting of the online update. [samples]
    false_alarm_rate : float
        Chance that a normal sample is flagged. [-]
    """

    parameters: tuple[str, ...]
    log_scale: tuple[bool, ...]
    mean: FloatArray
    covariance: FloatArray
    n_effective: float
    halflife: float
    false_alarm_rate: float

    @property
    def forgetting(self) -> float:
        """Weight λ of a new sample in the exponentially weighted update (dimensionless)."""
        return float(1.0 - 2.0 ** (-1.0 / self.halflife))

    def threshold(self, measured: int) -> float:
        """Return the flagging limit of D² for a sample with ``measured`` parameters.

        The (1 - false_alarm_rate) prediction limit of Hotelling's T² for a new sample
        given a baseline of ``n_effective`` samples; it tends to the χ² quantile.
        """
        p = float(measured)
        n = max(self.n_effective, p + 2.0)
        factor = p * (n - 1.0) * (n + 1.0) / (n * (n - p))
        return float(factor * stats.f.ppf(1.0 - self.false_alarm_rate, p, n - p))


@dataclass(frozen=True, eq=False)
class ChemistryAnomalies:
    """Anomaly scores of a series of drainage-water samples.

    Attributes
    ----------
    parameters : tuple of str
        Parameter names, in column order.
    distance_squared : ndarray
        Squared Mahalanobis distance of each sample from the baseline before it, on the
        working scale, over the parameters measured in it. [-]
    threshold : ndarray
        Flagging limit of each sample's D² (depends on how many parameters it has). [-]
    flagged : ndarray of bool
        Samples whose D² exceeds the threshold.
    scores : ndarray
        Standardised deviation of every parameter of every sample from the baseline,
        (x - μ)/σ on the working scale, shape (n, p); NaN where not measured. [-]
    ratios : ndarray
        Each value relative to the baseline: value / baseline geometric mean for
        log-scale parameters, value - baseline mean for the others; NaN where not
        measured. [-]
    warmup : int
        Samples used to estimate the initial (robust) baseline; they are judged against
        it after the fact. [-]
    baseline : ChemistryBaseline
        The baseline after the last sample (to continue online).
    """

    parameters: tuple[str, ...]
    distance_squared: FloatArray
    threshold: FloatArray
    flagged: BoolArray
    scores: FloatArray
    ratios: FloatArray
    warmup: int
    baseline: ChemistryBaseline


def _matrix(
    samples: Mapping[str, npt.ArrayLike], linear_scale: Collection[str]
) -> tuple[tuple[str, ...], tuple[bool, ...], FloatArray]:
    if not samples:
        raise ValueError("samples must hold at least one parameter, got none")
    names = tuple(samples)
    columns = [np.asarray(samples[k], dtype=float) for k in names]
    lengths = {c.shape for c in columns}
    if len(lengths) != 1 or columns[0].ndim != 1:
        raise ValueError(
            "samples must be 1-D series of the same length, got shapes "
            + ", ".join(f"{k}: {c.shape}" for k, c in zip(names, columns, strict=True))
        )
    linear = {_canonical(k) for k in linear_scale}
    unknown = linear - {_canonical(k) for k in names}
    if unknown:
        raise ValueError(f"linear_scale names parameters not in samples: {sorted(unknown)}")
    logs = tuple(_canonical(k) not in linear for k in names)
    x = np.column_stack(columns)
    finite_or_nan = np.isfinite(x) | np.isnan(x)
    if not finite_or_nan.all():
        r, c = np.argwhere(~finite_or_nan)[0]
        raise ValueError(f"{names[c]} must be finite or NaN (not measured), got {x[r, c]:g}")
    for c, (name, log) in enumerate(zip(names, logs, strict=True)):
        col = x[:, c]
        measured = col[~np.isnan(col)]
        if log and np.any(measured <= 0):
            bad = measured[measured <= 0][0]
            raise ValueError(
                f"{name} must be > 0 on the log scale (enter values below the detection "
                f"limit as a positive value such as half the limit), got {bad:g}"
            )
    z = x.copy()
    for c, log in enumerate(logs):
        if log:
            z[:, c] = np.log10(x[:, c])
    return names, logs, z


def _mcd(z: FloatArray, rng: np.random.Generator) -> tuple[FloatArray, FloatArray]:
    """Reweighted minimum covariance determinant location and scatter (FastMCD C-steps)."""
    n, p = z.shape
    h = (n + p + 1) // 2
    ridge = 1e-12 * max(float(np.trace(np.cov(z, rowvar=False, ddof=1)).real), 1e-300)

    def fit(idx: npt.NDArray[np.intp]) -> tuple[FloatArray, FloatArray, float]:
        sub = z[idx]
        mu = sub.mean(axis=0)
        cov = np.atleast_2d(np.cov(sub, rowvar=False, ddof=1)) + ridge * np.eye(p)
        sign, logdet = np.linalg.slogdet(cov)
        return mu, cov, logdet if sign > 0 else math.inf

    def distances(mu: FloatArray, cov: FloatArray) -> FloatArray:
        diff = z - mu
        sol = np.linalg.solve(cov, diff.T).T
        d2: FloatArray = np.einsum("ij,ij->i", diff, sol)
        return d2

    median = np.median(z, axis=0)
    mad = np.median(np.abs(z - median), axis=0) * 1.4826
    starts = [np.argsort(np.sum(((z - median) / mad) ** 2, axis=1))[:h]]
    classical = distances(
        z.mean(axis=0), np.atleast_2d(np.cov(z, rowvar=False)) + ridge * np.eye(p)
    )
    starts.append(np.argsort(classical)[:h])
    for _ in range(10):  # random elemental subsets, as FastMCD (fixed seed: reproducible)
        elemental = rng.choice(n, size=min(p + 1, n), replace=False)
        mu, cov, _ = fit(elemental)
        starts.append(np.argsort(distances(mu, cov))[:h])
    best: tuple[float, FloatArray, FloatArray] | None = None
    for idx in starts:
        mu, cov, logdet = fit(idx)
        for _ in range(100):  # C-steps: each lowers det(cov) until a fixed point
            new = np.argsort(distances(mu, cov))[:h]
            mu_new, cov_new, logdet_new = fit(new)
            if logdet_new >= logdet - 1e-12:
                break
            mu, cov, logdet = mu_new, cov_new, logdet_new
        if best is None or logdet < best[0]:
            best = (logdet, mu, cov)
    assert best is not None
    _, mu, cov = best
    chi2_median = float(stats.chi2.ppf(0.5, p))
    cov = cov * float(np.median(distances(mu, cov))) / chi2_median  # consistency
    keep = distances(mu, cov) <= stats.chi2.ppf(0.975, p)  # reweighting step
    mu = z[keep].mean(axis=0)
    cov = np.atleast_2d(np.cov(z[keep], rowvar=False, ddof=1)) + ridge * np.eye(p)
    cov = cov * float(np.median(distances(mu, cov))) / chi2_median
    return mu, cov


def robust_baseline(
    samples: Mapping[str, npt.ArrayLike],
    *,
    linear_scale: Collection[str] = ("ph",),
    halflife: float = 30.0,
    false_alarm_rate: float = 1e-3,
) -> ChemistryBaseline:
    """Robust baseline of drainage chemistry from a block of the site's own samples.

    Minimum covariance determinant (MCD) estimate of location and covariance: the mean
    and covariance of the half of the samples with the smallest covariance determinant,
    made consistent and reweighted (Rousseeuw & Van Driessen 1999). Up to about half the
    samples may be anomalous without moving it, so no clean training period is needed.

    Parameters
    ----------
    samples : mapping of str to array_like
        Complete samples (no NaN) by parameter, each series of the same length, at least
        2p + 2 of them for p parameters. [mg/L, pH or µS/cm]
    linear_scale : collection of str
        Parameters compared as measured; all others are compared as log10 (they must be
        positive). pH is already a logarithm.
    halflife : float
        Half-life of the forgetting in later online updates (:func:`update_baseline`). [samples]
    false_alarm_rate : float
        Chance that a normal sample is flagged, in (0, 1). [-]

    Returns
    -------
    ChemistryBaseline
        Location, covariance and settings.

    Raises
    ------
    ValueError
        If the series differ in length, a value is NaN, infinite or (on the log scale) not
        positive, there are fewer than 2p + 2 samples, a parameter does not vary, or an
        argument is outside its range.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> base = robust_baseline({"ph": 6.5 + 0.1 * rng.standard_normal(40),
    ...                         "sulphate": 400.0 * 10 ** (0.05 * rng.standard_normal(40))})
    >>> base.parameters, base.log_scale
    (('ph', 'sulphate'), (False, True))
    """
    positive("halflife", halflife, "samples")
    in_range("false_alarm_rate", false_alarm_rate, 0.0, 1.0, low_inclusive=False,
             high_inclusive=False)  # fmt: skip
    names, logs, z = _matrix(samples, linear_scale)
    n, p = z.shape
    if np.isnan(z).any():
        r, c = np.argwhere(np.isnan(z))[0]
        raise ValueError(f"baseline samples must be complete: {names[c]} is missing in sample {r}")
    if n < 2 * p + 2:
        raise ValueError(f"samples must hold at least 2p + 2 = {2 * p + 2} samples, got {n}")
    spread = np.median(np.abs(z - np.median(z, axis=0)), axis=0)
    if np.any(spread == 0):
        flat = [k for k, s in zip(names, spread, strict=True) if s == 0]
        raise ValueError(
            f"parameters {flat} do not vary in the baseline samples (more than half equal, "
            "e.g. at a detection limit); leave them out of the detector"
        )
    mu, cov = _mcd(z, np.random.default_rng(0))
    h = (n + p + 1) // 2
    return ChemistryBaseline(
        names, logs, mu, cov, float(h), float(halflife), float(false_alarm_rate)
    )


@dataclass(frozen=True)
class _Score:
    distance_squared: float
    threshold: float
    flagged: bool
    scores: FloatArray
    ratios: FloatArray


def _score(baseline: ChemistryBaseline, z: FloatArray) -> _Score:
    seen = ~np.isnan(z)
    if not seen.any():
        raise ValueError("a sample must have at least one measured parameter, got none")
    diff = z[seen] - baseline.mean[seen]
    cov = baseline.covariance[np.ix_(seen, seen)]
    d2 = float(diff @ np.linalg.solve(cov, diff))
    limit = baseline.threshold(int(seen.sum()))
    sd = np.sqrt(np.diag(baseline.covariance))
    scores = (z - baseline.mean) / sd
    logs = np.asarray(baseline.log_scale)
    ratios = np.where(logs, 10.0 ** (z - baseline.mean), z - baseline.mean)
    return _Score(d2, limit, d2 > limit, scores, ratios)


def update_baseline(
    baseline: ChemistryBaseline, sample: Mapping[str, float]
) -> tuple[ChemistryBaseline, float, bool]:
    r"""Judge one new sample against the baseline, then update the baseline with it.

    The online step of :func:`detect_chemistry_anomalies`: the sample's squared
    Mahalanobis distance D² from the baseline (over the parameters measured in it) is
    compared with the flagging limit; a complete sample that is not flagged then enters
    the exponentially weighted mean and covariance, so the baseline follows slow seasonal
    change while an excursion never becomes the new normal.

    Parameters
    ----------
    baseline : ChemistryBaseline
        The current baseline (from :func:`robust_baseline` or a previous update).
    sample : mapping of str to float
        Values of the new sample by parameter; NaN or a missing key means not measured.
        [mg/L, pH or µS/cm]

    Returns
    -------
    tuple of (ChemistryBaseline, float, bool)
        The updated baseline, the sample's D² [-] and whether it is flagged.

    Raises
    ------
    ValueError
        If the sample names an unknown parameter, measures none, or holds an infinite or
        (on the log scale) non-positive value.

    Notes
    -----
    With λ = 1 - 2^(-1/halflife) and d = z - μ (Finch 2009):

    .. math:: μ \leftarrow μ + λ d, \qquad Σ \leftarrow (1 - λ)(Σ + λ\, d d^T).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> base = robust_baseline({"ph": 6.5 + 0.1 * rng.standard_normal(40),
    ...                         "sulphate": 400.0 * 10 ** (0.05 * rng.standard_normal(40))})
    >>> _, d2, flagged = update_baseline(base, {"ph": 3.5, "sulphate": 2400.0})
    >>> flagged
    True
    """
    known = {_canonical(k) for k in baseline.parameters}
    unknown = sorted(k for k in sample if _canonical(k) not in known)
    if unknown:
        raise ValueError(f"sample names parameters not in the baseline: {unknown}")
    by_name = {_canonical(k): float(v) for k, v in sample.items()}
    row = {k: [by_name.get(_canonical(k), math.nan)] for k in baseline.parameters}
    linear = [k for k, log in zip(baseline.parameters, baseline.log_scale, strict=True) if not log]
    _, _, z = _matrix(row, linear)
    score = _score(baseline, z[0])
    return _update(baseline, z[0], score), score.distance_squared, score.flagged


def _update(baseline: ChemistryBaseline, z: FloatArray, score: _Score) -> ChemistryBaseline:
    if score.flagged or np.isnan(z).any():
        return baseline
    lam = baseline.forgetting
    d = z - baseline.mean
    mean = baseline.mean + lam * d
    cov = (1.0 - lam) * (baseline.covariance + lam * np.outer(d, d))
    cap = (2.0 - lam) / lam  # effective size of exponential weights, Σw² = λ/(2 - λ)
    n_eff = baseline.n_effective
    n_eff = min(n_eff + 1.0, cap) if n_eff < cap else cap + (n_eff - cap) * (1.0 - lam)
    return replace(baseline, mean=mean, covariance=cov, n_effective=n_eff)


def detect_chemistry_anomalies(
    samples: Mapping[str, npt.ArrayLike],
    *,
    linear_scale: Collection[str] = ("ph",),
    warmup: int | None = None,
    halflife: float = 30.0,
    false_alarm_rate: float = 1e-3,
) -> ChemistryAnomalies:
    r"""Flag drainage-water samples whose joint chemistry departs from the site's baseline.

    Acid rock drainage shows as pH falling while sulphate, conductance and metals rise
    *together*; dilution by rain moves them all the other way, also together. A limit or
    a univariate control chart sees each parameter alone and either misses a joint shift
    of moderate size or alarms at every rainstorm. This detector measures each sample's
    Mahalanobis distance from the site's own normal chemistry, which knows how the
    parameters usually move together, and flags it beyond a stated false-alarm rate.

    Parameters
    ----------
    samples : mapping of str to array_like
        The series of samples in time order, by parameter (``{"ph": ..., "sulphate": ...,
        "zinc": ...}``), each of the same length; NaN marks a parameter not measured in a
        sample. The first ``warmup`` samples must be complete. [mg/L, pH or µS/cm]
    linear_scale : collection of str
        Parameters compared as measured (pH); all others are compared as log10 and must be
        positive (enter values below a detection limit as a positive value).
    warmup : int, optional
        Samples that form the initial robust baseline; default max(10p, 30) for p
        parameters, at least 2p + 2. They should span the site's normal variation (a
        short warm-up of autocorrelated samples underestimates it and raises false
        alarms at first). [samples]
    halflife : float
        Half-life of the baseline's memory after the warm-up: a normal sample's weight
        halves after this many later samples. [samples]
    false_alarm_rate : float
        Chance that a normal sample is flagged, in (0, 1). [-]

    Returns
    -------
    ChemistryAnomalies
        D², threshold and flag of every sample, per-parameter scores and ratios to the
        baseline (to explain a flag, see :func:`describe_anomaly`) and the final baseline.

    Raises
    ------
    ValueError
        If the series differ in length, a warm-up sample is incomplete, a sample measures
        nothing, a value is infinite or (on the log scale) not positive, a parameter does
        not vary in the warm-up, or an argument is outside its range.

    Notes
    -----
    *Why this detector.* It is chosen to be defensible to a regulator and to run on a
    live stream:

    - explainable: one number per sample, :math:`D^2 = (z - μ)^T Σ^{-1} (z - μ)`, against a
      limit set by a stated false-alarm rate, and the parameters that drove it
      (standardised deviations, ratios to the baseline) for the alert text;
    - no training data: the baseline is the site's own first samples, estimated by the
      minimum covariance determinant, which ignores up to half of them if anomalous;
    - online: afterwards each sample is judged against the baseline *before* it, then
      (if not flagged and complete) updates an exponentially weighted mean and covariance
      at O(p²) cost, so slow seasonal drift is followed while an excursion is not learnt
      as normal. A permanent change therefore stays flagged until people re-baseline,
      which is the intended behaviour for a TARP. Slow deterioration below the flag is
      the job of :func:`mann_kendall` and :func:`sens_slope`;
    - scale: concentrations and conductance are log-normal (multiplicative variation),
      so they are compared as log10; pH is already a logarithm. D² is then unchanged by
      the units of any parameter.

    The limit is the :math:`1 - α` prediction limit of Hotelling's :math:`T^2` for a new
    sample with p measured parameters given a baseline of :math:`n` effective samples,

    .. math:: \frac{p (n-1)(n+1)}{n (n-p)}\, F_{1-α}(p, n - p),

    which tends to :math:`χ^2_{1-α}(p)` as n grows (n: the MCD subset size, then up to the
    exponential weights' effective size (2 - λ)/λ). A machine-learning model (isolation
    forest, autoencoder, an online learner) could see more shapes of anomaly but needs
    training data from the site, is harder to explain, and gives no stated false-alarm
    rate.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> n = 120
    >>> dilution = 0.08 * rng.standard_normal(n)        # rain: all ions down together
    >>> chem = {"ph": 6.8 + 0.3 * dilution + 0.05 * rng.standard_normal(n),
    ...         "sulphate": 450.0 * 10 ** (dilution + 0.03 * rng.standard_normal(n)),
    ...         "zinc": 0.05 * 10 ** (dilution + 0.05 * rng.standard_normal(n))}
    >>> chem["ph"][100:104] -= 2.0                       # acid drainage: pH down,
    >>> chem["sulphate"][100:104] *= 4.0                 # sulphate and zinc up together
    >>> chem["zinc"][100:104] *= 20.0
    >>> res = detect_chemistry_anomalies(chem)
    >>> np.flatnonzero(res.flagged).tolist()
    [100, 101, 102, 103]
    """
    names, logs, z = _matrix(samples, linear_scale)
    n, p = z.shape
    if warmup is None:
        warmup = max(10 * p, 30)
    if isinstance(warmup, bool) or not isinstance(warmup, int | np.integer):
        raise ValueError(f"warmup must be an integer number of samples, got {warmup!r}")
    in_range("warmup", int(warmup), 2 * p + 2, np.inf, "samples")
    if n < warmup:
        raise ValueError(f"samples must hold at least warmup = {warmup} samples, got {n}")
    linear = [k for k, log in zip(names, logs, strict=True) if not log]
    first = {k: np.asarray(samples[k], dtype=float)[:warmup] for k in names}
    baseline = robust_baseline(
        first, linear_scale=linear, halflife=halflife, false_alarm_rate=false_alarm_rate
    )
    d2 = np.empty(n)
    limit = np.empty(n)
    flagged = np.zeros(n, dtype=bool)
    scores = np.empty((n, p))
    ratios = np.empty((n, p))
    for i in range(n):
        score = _score(baseline, z[i])
        d2[i], limit[i], flagged[i] = score.distance_squared, score.threshold, score.flagged
        scores[i], ratios[i] = score.scores, score.ratios
        if i >= warmup:
            baseline = _update(baseline, z[i], score)
    return ChemistryAnomalies(names, d2, limit, flagged, scores, ratios, int(warmup), baseline)


def describe_anomaly(result: ChemistryAnomalies, index: int, *, top: int = 3) -> str:
    """One line saying why sample ``index`` is (or is not) flagged, for an alert message.

    Parameters
    ----------
    result : ChemistryAnomalies
        Result of :func:`detect_chemistry_anomalies`.
    index : int
        Index of the sample. [-]
    top : int
        How many parameters to name, largest deviation first. [-]

    Returns
    -------
    str
        E.g. ``"D² = 412.0 > 26.1: zinc ×21 (+9.6σ), ph -2.0 (-8.1σ), sulphate ×4.1 (+7.4σ)"``.

    Raises
    ------
    ValueError
        If ``index`` is outside the samples or ``top`` is below 1.
    """
    n = result.flagged.size
    if isinstance(index, bool) or not isinstance(index, int | np.integer):
        raise ValueError(f"index must be an integer, got {index!r}")
    in_range("index", int(index), -n, n - 1)
    in_range("top", top, 1, np.inf)
    i = int(index) % n
    order = [
        k
        for k in np.argsort(-np.abs(np.nan_to_num(result.scores[i])))
        if not np.isnan(result.scores[i][k])
    ]
    parts = []
    for k in order[: int(top)]:
        name, s, r = result.parameters[k], result.scores[i][k], result.ratios[i][k]
        change = f"×{r:.2g}" if result.baseline.log_scale[k] else f"{r:+.2g}"
        parts.append(f"{name} {change} ({s:+.1f}σ)")
    sign = ">" if result.flagged[i] else "<="
    return f"D² = {result.distance_squared[i]:.1f} {sign} {result.threshold[i]:.1f}: " + ", ".join(
        parts
    )
