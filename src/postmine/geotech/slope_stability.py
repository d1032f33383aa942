r"""Limit-equilibrium slope stability on circular slip surfaces, vectorised with numpy.

A section (ground surface, soil layers, pore pressure, seismic coefficient, crest surcharge)
is cut by a circular slip surface into vertical slices of equal width; the factor of safety
is found by the Ordinary (Fellenius), Bishop simplified, Janbu simplified (uncorrected),
Spencer and Morgenstern–Price (half-sine interslice function) methods. Slices and trial
circles are numpy arrays of shape ``(n_circles, n_slices)``, so a grid of circles is
evaluated at once; :func:`critical_circle` searches a grid of centres and radii with
Bishop's method and refines the best one with Nelder–Mead.

Conventions
-----------
The ground surface must rise from left to right (toe on the left, crest on the right), so
the sliding mass moves towards −x. Slice base inclination α = arcsin((x − x_c)/R) is
positive under the crest. The horizontal seismic force k_h·W acts towards the toe at
mid-height of the slice. Pore pressure acts on the slice base.

References
----------
[Fellenius] Fellenius W. (1936). Calculation of the stability of earth dams.
[Bishop] Bishop A. W. (1955). The use of the slip circle in the stability analysis of
    slopes. Géotechnique 5(1), 7–17.
[Janbu] Janbu N. (1954/1973). Slope stability computations.
[Spencer] Spencer E. (1967). A method of analysis of the stability of embankments assuming
    parallel inter-slice forces. Géotechnique 17(1), 11–26.
[M-P] Morgenstern N. R., Price V. E. (1965). The analysis of the stability of general slip
    surfaces. Géotechnique 15(1), 79–93.
[ACADS] Giam P. S. K., Donald I. B. (1989). ACADS soil slope stability programs review,
    problem 1(a).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import constants, optimize

__all__ = [
    "METHODS",
    "CriticalCircle",
    "Section",
    "Slices",
    "SoilLayer",
    "bishop_factor",
    "critical_circle",
    "factor_of_safety",
    "janbu_factor",
    "morgenstern_price_factor",
    "ordinary_factor",
    "slice_circle",
    "spencer_factor",
]

FloatArray = npt.NDArray[np.float64]
Method = Literal["ordinary", "bishop", "janbu", "spencer", "morgenstern_price"]
METHODS: tuple[Method, ...] = ("ordinary", "bishop", "janbu", "spencer", "morgenstern_price")

#: Unit weight of water, ρ_w·g with ρ_w = 1000 kg/m³. [kN/m³]
WATER_UNIT_WEIGHT = 1000.0 * constants.g / 1000.0

_ITER_TOL = 1e-9
_MAX_ITER = 200


def _polyline(name: str, points: npt.ArrayLike) -> FloatArray:
    """Return an (N, 2) array of a polyline with strictly increasing x, or raise."""
    arr = np.asarray(points, dtype=float)
    if arr.ndim != 2 or arr.shape[1] != 2 or arr.shape[0] < 2:
        raise ValueError(f"{name} must be a list of at least two (x, y) points [m]")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must hold finite coordinates, got {arr.tolist()}")
    if np.any(np.diff(arr[:, 0]) <= 0):
        raise ValueError(f"{name} x coordinates must increase strictly, got {arr[:, 0].tolist()}")
    return arr


def _interp(line: FloatArray, x: npt.ArrayLike) -> FloatArray:
    """Return the elevation of a polyline at x (m), extended flat beyond its ends."""
    y: FloatArray = np.interp(np.asarray(x, dtype=float), line[:, 0], line[:, 1])
    return y


class SoilLayer:
    """One soil layer of a section, with Mohr–Coulomb effective strength.

    Parameters
    ----------
    cohesion : float
        c', effective cohesion. [kPa]
    friction_angle : float
        φ', effective angle of internal friction, in [0°, 90°). [°]
    unit_weight : float
        γ, bulk unit weight. [kN/m³]
    bottom : array_like of (x, y) or None
        Polyline of the layer's lower boundary; ``None`` for the lowest layer, which extends
        downwards without limit. [m]
    name : str
        Label of the layer.
    """

    def __init__(
        self,
        cohesion: float,
        friction_angle: float,
        unit_weight: float,
        bottom: npt.ArrayLike | None = None,
        name: str = "soil",
    ) -> None:
        self.cohesion = float(cohesion)
        self.friction_angle = float(friction_angle)
        self.unit_weight = float(unit_weight)
        self.name = name
        self.bottom: FloatArray | None = None
        if not np.isfinite(self.cohesion) or self.cohesion < 0:
            raise ValueError(f"cohesion must be >= 0 kPa, got {self.cohesion}")
        if not 0.0 <= self.friction_angle < 90.0:
            raise ValueError(f"friction_angle must be in [0, 90) °, got {self.friction_angle}")
        if not np.isfinite(self.unit_weight) or self.unit_weight <= 0:
            raise ValueError(f"unit_weight must be > 0 kN/m³, got {self.unit_weight}")
        if bottom is not None:
            self.bottom = _polyline(f"bottom of {name}", bottom)

    def __repr__(self) -> str:
        return (
            f"SoilLayer({self.cohesion}, {self.friction_angle}, {self.unit_weight}, "
            f"name={self.name!r})"
        )


class Section:
    """A two-dimensional slope section for limit-equilibrium analysis.

    Parameters
    ----------
    ground : array_like of (x, y)
        Ground surface polyline, x strictly increasing, rising from the toe (left) to the
        crest (right). [m]
    layers : sequence of SoilLayer
        Layers from the top down; every layer but the last has a ``bottom`` polyline, the
        last has none. Boundaries must not cross. [-]
    pore_pressure_ratio : float
        r_u = u/(γ h), in [0, 1); not together with ``piezometric_line``. [-]
    piezometric_line : array_like of (x, y) or None
        Piezometric line; pore pressure u = γ_w (y_piezo − y_base) where positive, the
        vertical head (no cos² correction for inclined seepage), γ_w = 9.807 kN/m³. [m]
    seismic_coefficient : float
        k_h, horizontal pseudo-static seismic coefficient, in [0, 1). [-]
    surcharge : float
        q, vertical surcharge on the ground surface between ``surcharge_start`` and
        ``surcharge_end``. [kPa]
    surcharge_start, surcharge_end : float or None
        x-range of the surcharge; default from the crest (first ground vertex whose
        elevation equals the maximum) to the right end of the ground. [m]
    """

    def __init__(
        self,
        ground: npt.ArrayLike,
        layers: Sequence[SoilLayer],
        pore_pressure_ratio: float = 0.0,
        piezometric_line: npt.ArrayLike | None = None,
        seismic_coefficient: float = 0.0,
        surcharge: float = 0.0,
        surcharge_start: float | None = None,
        surcharge_end: float | None = None,
    ) -> None:
        self.ground = ground = _polyline("ground", ground)
        self.pore_pressure_ratio = float(pore_pressure_ratio)
        self.seismic_coefficient = float(seismic_coefficient)
        self.surcharge = float(surcharge)
        self.surcharge_start = surcharge_start
        self.surcharge_end = surcharge_end
        self.piezometric_line: FloatArray | None = None
        if ground[-1, 1] <= ground[0, 1]:
            raise ValueError(
                "ground must rise from left (toe) to right (crest), got elevations "
                f"{ground[0, 1]} m at the left end and {ground[-1, 1]} m at the right end"
            )
        self.layers = layers = tuple(layers)
        if not layers:
            raise ValueError("layers must hold at least one SoilLayer")
        if layers[-1].bottom is not None:
            raise ValueError("the last layer must have bottom=None (it extends downwards)")
        if any(layer.bottom is None for layer in layers[:-1]):
            raise ValueError("every layer but the last must have a bottom polyline")
        xs = [ground[:, 0]] + [lay.bottom[:, 0] for lay in layers[:-1] if lay.bottom is not None]
        x_all = np.unique(np.concatenate(xs))
        previous: FloatArray | None = None
        for k, layer in enumerate(layers[:-1]):
            assert layer.bottom is not None
            lower = _interp(layer.bottom, x_all)
            if previous is not None and np.any(lower > previous + 1e-9):
                bad = float(x_all[np.argmax(lower > previous + 1e-9)])
                raise ValueError(
                    f"layer boundaries cross: bottom of {layer.name!r} rises above the bottom "
                    f"of {layers[k - 1].name!r} at x = {bad} m"
                )
            previous = lower
        if not 0.0 <= self.pore_pressure_ratio < 1.0:
            raise ValueError(
                f"pore_pressure_ratio must be in [0, 1), got {self.pore_pressure_ratio}"
            )
        if piezometric_line is not None:
            if self.pore_pressure_ratio > 0:
                raise ValueError(
                    "give either pore_pressure_ratio or piezometric_line, not both "
                    f"(got pore_pressure_ratio = {self.pore_pressure_ratio})"
                )
            self.piezometric_line = _polyline("piezometric_line", piezometric_line)
        if not 0.0 <= self.seismic_coefficient < 1.0:
            raise ValueError(
                f"seismic_coefficient must be in [0, 1), got {self.seismic_coefficient}"
            )
        if not np.isfinite(self.surcharge) or self.surcharge < 0:
            raise ValueError(f"surcharge must be >= 0 kPa, got {self.surcharge}")
        top = ground[:, 1].max()
        crest = float(ground[np.nonzero(np.isclose(ground[:, 1], top))[0][0], 0])
        self._crest_x = crest
        start, end = self.surcharge_range
        if not start <= end:
            raise ValueError(f"surcharge_start must be <= surcharge_end m, got {start} > {end}")

    @property
    def x_range(self) -> tuple[float, float]:
        """Left and right ends of the section, in m."""
        return float(self.ground[0, 0]), float(self.ground[-1, 0])

    @property
    def surcharge_range(self) -> tuple[float, float]:
        """Range of x loaded by the surcharge, in m."""
        start = self._crest_x if self.surcharge_start is None else self.surcharge_start
        end = self.x_range[1] if self.surcharge_end is None else self.surcharge_end
        return float(start), float(end)


@dataclass(frozen=True)
class Slices:
    """Slices of one or more circular slip surfaces; arrays of shape (n_circles, n_slices).

    Attributes: ``width`` b [m], ``x`` mid-x [m], ``base_y`` [m], ``top_y`` [m], ``alpha``
    base inclination α [rad], ``weight`` W of soil [kN/m], ``load`` W + surcharge [kN/m],
    ``pore_force`` u·l on the base [kN/m], ``cohesion`` c' [kPa], ``tan_phi`` tan φ' [-],
    ``centre_x``, ``centre_y``, ``radius`` (shape (n_circles,)) [m], ``seismic_coefficient``
    k_h [-], ``valid`` whether the circle cuts the ground within the section [-].
    """

    width: FloatArray
    x: FloatArray
    base_y: FloatArray
    top_y: FloatArray
    alpha: FloatArray
    weight: FloatArray
    load: FloatArray
    pore_force: FloatArray
    cohesion: FloatArray
    tan_phi: FloatArray
    centre_x: FloatArray
    centre_y: FloatArray
    radius: FloatArray
    seismic_coefficient: float
    valid: npt.NDArray[np.bool_]

    @property
    def base_length(self) -> FloatArray:
        """Length of the slice base l = b / cos α, in m."""
        return self.width / np.cos(self.alpha)

    def driving_moment(self) -> FloatArray:
        """Moment of the loads about the centre, Σ (W+Q)(x − x_c) + k_h W (y_c − y_m), kN·m/m."""
        arm_v = self.x - self.centre_x[:, None]
        arm_h = self.centre_y[:, None] - 0.5 * (self.base_y + self.top_y)
        total: FloatArray = np.sum(
            self.load * arm_v + self.seismic_coefficient * self.weight * arm_h, axis=1
        )
        return total


def _entry_exit(
    section: Section, xc: FloatArray, yc: FloatArray, r: FloatArray, samples: int = 801
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Find x of entry and exit of each circle's lower arc through the ground, and validity."""
    lo, hi = section.x_range
    start = np.maximum(xc - r, lo)
    stop = np.maximum(np.minimum(xc + r, hi), start)
    t = np.linspace(0.0, 1.0, samples)
    xs = start[:, None] + (stop - start)[:, None] * t[None, :]
    arc = yc[:, None] - np.sqrt(np.clip(r[:, None] ** 2 - (xs - xc[:, None]) ** 2, 0.0, None))
    g = _interp(section.ground, xs) - arc
    inside = g > 0
    any_in = inside.any(axis=1)
    first = np.argmax(inside, axis=1)
    last = samples - 1 - np.argmax(inside[:, ::-1], axis=1)
    rows = np.arange(xc.size)
    i0 = np.clip(first - 1, 0, samples - 1)
    i1 = np.clip(last + 1, 0, samples - 1)

    def root(ia: npt.NDArray[np.intp], ib: npt.NDArray[np.intp]) -> FloatArray:
        ga, gb = g[rows, ia], g[rows, ib]
        xa, xb = xs[rows, ia], xs[rows, ib]
        denom = np.where(gb != ga, gb - ga, 1.0)
        return np.asarray(xa - ga * (xb - xa) / denom, dtype=float)

    x_in = root(i0, first)
    x_out = root(last, i1)
    valid = any_in & (first > 0) & (last < samples - 1)
    valid &= (x_out - x_in) > 1e-6
    return x_in, x_out, valid


def slice_circle(
    section: Section,
    centre_x: npt.ArrayLike,
    centre_y: npt.ArrayLike,
    radius: npt.ArrayLike,
    n_slices: int = 50,
    *,
    strict: bool = True,
) -> Slices:
    """Cut the sliding mass above one or many circular slip surfaces into vertical slices.

    Parameters
    ----------
    section : Section
        The slope section.
    centre_x, centre_y : float or array_like
        Centre of the slip circle(s). [m]
    radius : float or array_like
        Radius of the slip circle(s). [m]
    n_slices : int
        Number of slices of equal width between entry and exit, at least 5. [-]
    strict : bool
        Raise when a circle does not cut the ground inside the section; otherwise mark it
        invalid (``Slices.valid``), as the grid search does.

    Returns
    -------
    Slices
        Arrays of shape (n_circles, n_slices).

    Raises
    ------
    ValueError
        If ``radius`` is not positive, ``n_slices < 5``, or (``strict``) a circle does not
        cut the ground or leaves the section (the sliding mass must lie between the ends of
        the ground polyline).

    Examples
    --------
    >>> sec = Section([(0, 0), (10, 0), (20, 5), (40, 5)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> s = slice_circle(sec, 15.0, 15.0, 16.0, n_slices=10)
    >>> s.width.shape
    (1, 10)
    """
    xc, yc, r = (
        np.atleast_1d(np.asarray(v, dtype=float)).ravel() for v in (centre_x, centre_y, radius)
    )
    xc, yc, r = np.broadcast_arrays(xc, yc, r)
    if np.any(~np.isfinite(r)) or np.any(r <= 0):
        raise ValueError(f"radius must be > 0 m, got {r.tolist()}")
    if n_slices < 5:
        raise ValueError(f"n_slices must be >= 5, got {n_slices}")
    x_in, x_out, valid = _entry_exit(section, xc, yc, r)
    if strict and not np.all(valid):
        k = int(np.argmin(valid))
        raise ValueError(
            f"slip circle (x_c={xc[k]}, y_c={yc[k]}, R={r[k]}) m does not cut the ground "
            f"inside the section x in {section.x_range} m"
        )
    x_in = np.where(valid, x_in, xc - 0.5 * r)
    x_out = np.where(valid, x_out, xc + 0.5 * r)
    b = (x_out - x_in) / n_slices
    xm = x_in[:, None] + b[:, None] * (np.arange(n_slices) + 0.5)
    width = np.broadcast_to(b[:, None], xm.shape).copy()
    dx = np.clip((xm - xc[:, None]) / r[:, None], -1.0, 1.0)
    alpha = np.arcsin(dx)
    base = yc[:, None] - r[:, None] * np.cos(alpha)
    top = _interp(section.ground, xm)
    top = np.maximum(top, base)

    # Layer boundaries B_0 = ground ≥ B_1 ≥ … ≥ B_L = −∞; layer k spans [B_{k+1}, B_k].
    bounds = [top]
    for layer in section.layers[:-1]:
        assert layer.bottom is not None
        bounds.append(np.minimum(_interp(layer.bottom, xm), bounds[-1]))
    bounds.append(np.full_like(xm, -np.inf))
    weight = np.zeros_like(xm)
    cohesion = np.zeros_like(xm)
    tan_phi = np.zeros_like(xm)
    for k, layer in enumerate(section.layers):
        upper, lower = bounds[k], bounds[k + 1]
        thick = np.clip(upper - np.maximum(lower, base), 0.0, None)
        weight += layer.unit_weight * thick * width
        at_base = (base <= upper) & (base > lower)
        cohesion = np.where(at_base, layer.cohesion, cohesion)
        tan_phi = np.where(at_base, np.tan(np.radians(layer.friction_angle)), tan_phi)

    length = width / np.cos(alpha)
    if section.piezometric_line is not None:
        u = WATER_UNIT_WEIGHT * np.clip(_interp(section.piezometric_line, xm) - base, 0.0, None)
    else:
        u = section.pore_pressure_ratio * weight / width
    s0, s1 = section.surcharge_range
    loaded = (xm >= s0) & (xm <= s1)
    load = weight + np.where(loaded, section.surcharge * width, 0.0)
    return Slices(
        width=width,
        x=xm,
        base_y=base,
        top_y=top,
        alpha=alpha,
        weight=weight,
        load=load,
        pore_force=u * length,
        cohesion=cohesion,
        tan_phi=tan_phi,
        centre_x=xc,
        centre_y=yc,
        radius=r,
        seismic_coefficient=section.seismic_coefficient,
        valid=valid,
    )


def ordinary_factor(slices: Slices) -> FloatArray:
    r"""Factor of safety by the Ordinary (Fellenius) method, one per circle.

    .. math:: F = \frac{R\sum [c' l + (W\cos α - k_h W \sin α - u l)\tan φ']}
                       {\sum [W(x - x_c) + k_h W (y_c - y_m)]}

    Interslice forces are ignored (Fellenius 1936); the effective normal force is not
    clipped at zero.

    Parameters
    ----------
    slices : Slices
        Slices of one or many circles from :func:`slice_circle`.

    Returns
    -------
    ndarray
        F, factor of safety of each circle, shape (n_circles,). [-]

    Examples
    --------
    >>> sec = Section([(20, 20), (30, 20), (50, 30), (70, 30)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> ordinary_factor(slice_circle(sec, 30.0, 47.5, 27.5)).round(3)
    array([0.948])
    """
    s = slices
    normal = s.load * np.cos(s.alpha) - s.seismic_coefficient * s.weight * np.sin(s.alpha)
    resisting = np.sum(s.cohesion * s.base_length + (normal - s.pore_force) * s.tan_phi, axis=1)
    factor: FloatArray = s.radius * resisting / s.driving_moment()
    return factor


def _bishop_terms(s: Slices, f: FloatArray) -> FloatArray:
    """Bishop terms T = [c' b + (W − u b) tan φ'] / m_α, m_α = cos α + sin α tan φ'/F, kN/m."""
    m_alpha = np.cos(s.alpha) + np.sin(s.alpha) * s.tan_phi / f[:, None]
    u_b = s.pore_force * np.cos(s.alpha)
    terms: FloatArray = (s.cohesion * s.width + (s.load - u_b) * s.tan_phi) / m_alpha
    return terms


def _fixed_point(s: Slices, update: Callable[[FloatArray], FloatArray]) -> FloatArray:
    """Iterate F ← update(F) from the Ordinary factor; NaN where it does not converge.

    A circle whose m_α = cos α + sin α tan φ'/F is not positive on some slice at the
    converged F (the normal force would change sign) also gets NaN.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        f = ordinary_factor(s)
        f = np.where(np.isfinite(f) & (f > 0.05), f, 1.0)
        done = np.zeros(f.shape, dtype=bool)
        for _ in range(_MAX_ITER):
            f_new = np.asarray(update(f), dtype=float)
            f_new = np.where(np.isfinite(f_new) & (f_new > 0.0), f_new, np.nan)
            done = np.isnan(f_new) | (np.abs(f_new - f) <= _ITER_TOL * np.abs(f_new))
            f = f_new
            if np.all(done):
                break
        m_alpha = np.cos(s.alpha) + np.sin(s.alpha) * s.tan_phi / f[:, None]
        ok = done & (np.min(m_alpha, axis=1) > 0.0)
    return np.where(ok, f, np.nan)


def bishop_factor(slices: Slices) -> FloatArray:
    r"""Factor of safety by Bishop's simplified method, one per circle (vectorised).

    Moment equilibrium about the centre, interslice shear neglected:

    .. math:: F = \frac{R\sum [c' b + (W - u b)\tan φ'] / m_α}
                       {\sum [W(x - x_c) + k_h W (y_c - y_m)]},\qquad
              m_α = \cos α + \sin α \tan φ' / F

    (Bishop 1955), solved by fixed-point iteration from the Ordinary factor for all circles
    at once. Circles that do not converge, or where m_α ≤ 0 on a slice (steep exit), get NaN.

    Parameters
    ----------
    slices : Slices
        Slices of one or many circles from :func:`slice_circle`.

    Returns
    -------
    ndarray
        F, factor of safety of each circle, shape (n_circles,). [-]

    Examples
    --------
    ACADS 1(a), the critical circle (Slide2 Bishop 0.987):

    >>> sec = Section([(20, 20), (30, 20), (50, 30), (70, 30)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> bishop_factor(slice_circle(sec, [30.0, 35.0], [47.5, 45.0], [27.5, 25.0])).round(3)
    array([0.985, 1.096])
    """
    s = slices
    driving = s.driving_moment()
    return _fixed_point(s, lambda f: s.radius * np.sum(_bishop_terms(s, f), axis=1) / driving)


def janbu_factor(slices: Slices) -> FloatArray:
    r"""Factor of safety by Janbu's simplified method, **uncorrected** (no f_0 factor).

    Horizontal force equilibrium, interslice shear neglected:

    .. math:: F = \frac{\sum [c' b + (W - u b)\tan φ'] / (m_α \cos α)}
                       {\sum [W \tan α + k_h W]}

    The uncorrected value is returned: Janbu's empirical correction factor f_0 (about
    1.0–1.1 for this shape) is not applied, so F is usually below Bishop's.

    Parameters
    ----------
    slices : Slices
        Slices of one or many circles from :func:`slice_circle`.

    Returns
    -------
    ndarray
        F, uncorrected factor of safety of each circle, shape (n_circles,). [-]

    Examples
    --------
    >>> sec = Section([(20, 20), (30, 20), (50, 30), (70, 30)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> janbu_factor(slice_circle(sec, 30.0, 47.5, 27.5)).round(3)
    array([0.943])
    """
    s = slices
    driving = np.sum(s.load * np.tan(s.alpha) + s.seismic_coefficient * s.weight, axis=1)
    return _fixed_point(
        s, lambda f: np.sum(_bishop_terms(s, f) / np.cos(s.alpha), axis=1) / driving
    )


def _gle_residuals(s: Slices, row: int, f: float, lam: float, shape: FloatArray) -> FloatArray:
    """Force (E_n) and moment residuals of one circle for F and λ, scaled by Σ W."""
    alpha = s.alpha[row]
    sa, ca = np.sin(alpha), np.cos(alpha)
    cl = s.cohesion[row] * s.width[row] / ca
    tp = s.tan_phi[row]
    big_u = s.pore_force[row]
    w, wt = s.weight[row], s.load[row]
    kh = s.seismic_coefficient
    e_left, x_left = 0.0, 0.0
    shear = np.empty_like(alpha)
    for i in range(alpha.size):
        coef_a = -sa[i] + tp[i] * ca[i] / f
        e0 = e_left - kh * w[i] - big_u[i] * sa[i] + cl[i] * ca[i] / f
        lf = lam * shape[i + 1]
        n_eff = (wt[i] - x_left + lf * e0 - big_u[i] * ca[i] - cl[i] * sa[i] / f) / (
            ca[i] + tp[i] * sa[i] / f - lf * coef_a
        )
        shear[i] = (cl[i] + n_eff * tp[i]) / f
        e_left = e0 + coef_a * n_eff
        x_left = lf * e_left
    scale = float(np.sum(wt))
    moment = s.radius[row] * np.sum(shear) - s.driving_moment()[row]
    return np.array([e_left / scale, moment / (scale * s.radius[row])])


def _gle_factor(
    s: Slices, shape_of: Literal["constant", "half_sine"]
) -> tuple[FloatArray, FloatArray]:
    n_circ, n = s.alpha.shape
    f_start = bishop_factor(s)
    factors = np.full(n_circ, np.nan)
    lambdas = np.full(n_circ, np.nan)
    for row in range(n_circ):
        if shape_of == "constant":
            shape = np.ones(n + 1)
        else:
            edges = np.linspace(0.0, 1.0, n + 1)
            shape = np.sin(np.pi * edges)
        f0 = f_start[row] if np.isfinite(f_start[row]) else 1.0
        for lam0 in (0.0, 0.2, -0.2, 0.5):
            sol = optimize.root(
                lambda v, r=row, sh=shape: _gle_residuals(s, r, v[0], v[1], sh),
                x0=[f0, lam0],
                method="hybr",
                options={"xtol": 1e-12},
            )
            if sol.success and sol.x[0] > 0 and np.max(np.abs(sol.fun)) < 1e-8:
                factors[row], lambdas[row] = sol.x
                break
    return factors, lambdas


def spencer_factor(slices: Slices) -> tuple[FloatArray, FloatArray]:
    r"""Factor of safety by Spencer's method (parallel interslice forces), per circle.

    Interslice shear X = λ E on every boundary. Slice by slice from the toe, the vertical
    and horizontal equilibrium of each slice give N' and the next E; F and λ are the
    root (scipy.optimize.root, hybrid Powell, started from Bishop's F and λ = 0) of the
    two residuals: the interslice force E_n left at the crest end and the moment
    R ΣS − Σ[W(x − x_c) + k_h W (y_c − y_m)] about the centre.

    Per slice i (movement towards −x, X = λ f E):

    .. math:: E_i = E_{i-1} - k_h W - (N' + u l)\sin α + S \cos α,\qquad
              X_{i-1} - X_i - (W + Q) + (N' + u l)\cos α + S \sin α = 0,\qquad
              S = (c' l + N' \tan φ')/F

    Parameters
    ----------
    slices : Slices
        Slices of one or many circles from :func:`slice_circle`.

    Returns
    -------
    tuple of ndarray
        F, factor of safety [-], and λ, interslice force ratio X/E [-], each of shape
        (n_circles,); NaN where no root is found.

    Examples
    --------
    >>> sec = Section([(20, 20), (30, 20), (50, 30), (70, 30)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> f, lam = spencer_factor(slice_circle(sec, 30.0, 47.5, 27.5))
    >>> f.round(3), lam.round(2)
    (array([0.984]), array([0.43]))
    """
    return _gle_factor(slices, "constant")


def morgenstern_price_factor(slices: Slices) -> tuple[FloatArray, FloatArray]:
    r"""Factor of safety by Morgenstern–Price with a half-sine interslice function.

    X = λ f(x) E with f(x) = sin(π (x − x_entry)/(x_exit − x_entry)); solved as in
    :func:`spencer_factor`.

    Parameters
    ----------
    slices : Slices
        Slices of one or many circles from :func:`slice_circle`.

    Returns
    -------
    tuple of ndarray
        F, factor of safety [-], and λ, scale of the interslice function [-], each of
        shape (n_circles,); NaN where no root is found.

    Examples
    --------
    >>> sec = Section([(20, 20), (30, 20), (50, 30), (70, 30)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> morgenstern_price_factor(slice_circle(sec, 30.0, 47.5, 27.5))[0].round(3)
    array([0.984])
    """
    return _gle_factor(slices, "half_sine")


def factor_of_safety(
    section: Section,
    centre_x: float,
    centre_y: float,
    radius: float,
    method: Method = "bishop",
    n_slices: int = 50,
) -> float:
    """Factor of safety of one circular slip surface by the chosen method.

    Parameters
    ----------
    section : Section
        The slope section.
    centre_x, centre_y : float
        Centre of the slip circle. [m]
    radius : float
        Radius of the slip circle. [m]
    method : {"ordinary", "bishop", "janbu", "spencer", "morgenstern_price"}
        Limit-equilibrium method; "janbu" is Janbu simplified without correction factor.
    n_slices : int
        Number of slices. [-]

    Returns
    -------
    float
        F, factor of safety. [-]

    Raises
    ------
    ValueError
        If the method is unknown, the circle is outside the section, or the iteration
        does not converge.

    Examples
    --------
    ACADS 1(a) slope, circle through the toe:

    >>> sec = Section([(20, 20), (30, 20), (50, 30), (70, 30)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> round(factor_of_safety(sec, 30.0, 47.5, 27.5, "bishop"), 3)
    0.985
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    s = slice_circle(section, centre_x, centre_y, radius, n_slices)
    if method == "ordinary":
        f = ordinary_factor(s)
    elif method == "bishop":
        f = bishop_factor(s)
    elif method == "janbu":
        f = janbu_factor(s)
    elif method == "spencer":
        f = spencer_factor(s)[0]
    else:
        f = morgenstern_price_factor(s)[0]
    value = float(f[0])
    if not np.isfinite(value) or value <= 0:
        raise ValueError(
            f"{method} found no factor of safety for this circle (got F = {value}): the "
            "iteration did not converge or no (F, λ) satisfies both equilibria"
        )
    return value


@dataclass(frozen=True)
class CriticalCircle:
    """Result of the critical-circle search.

    ``centre_x``, ``centre_y``, ``radius`` [m] of the circle with the least Bishop factor;
    ``factors`` maps each method name to its F [-] on that circle; ``lambdas`` the λ [-]
    of Spencer and Morgenstern–Price; ``n_evaluated`` circles evaluated in the grid [-].
    """

    centre_x: float
    centre_y: float
    radius: float
    factors: dict[str, float]
    lambdas: dict[str, float]
    n_evaluated: int


def critical_circle(
    section: Section,
    centre_x: npt.ArrayLike,
    centre_y: npt.ArrayLike,
    radius: npt.ArrayLike,
    n_slices: int = 50,
    *,
    refine: bool = True,
) -> CriticalCircle:
    """Search the circular slip surface of least Bishop factor, then report every method.

    All combinations of the given centre x, centre y and radius values are evaluated at
    once with :func:`bishop_factor` on ``(n_circles, n_slices)`` arrays (circles that do
    not cut the ground inside the section are skipped); the best grid circle is refined by
    Nelder–Mead (scipy.optimize.minimize) in (x_c, y_c, R).

    Parameters
    ----------
    section : Section
        The slope section.
    centre_x, centre_y : array_like
        Grid values of the centre coordinates. [m]
    radius : array_like
        Grid values of the radius. [m]
    n_slices : int
        Number of slices. [-]
    refine : bool
        Refine the best grid circle with Nelder–Mead.

    Returns
    -------
    CriticalCircle

    Raises
    ------
    ValueError
        If no circle of the grid cuts the ground inside the section.

    Examples
    --------
    ACADS 1(a) (reference 1.00; Slide2 Bishop 0.987):

    >>> sec = Section([(20, 20), (30, 20), (50, 30), (70, 30)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> grid = np.linspace(25, 50, 6), np.linspace(30, 55, 6), np.linspace(10, 35, 6)
    >>> found = critical_circle(sec, *grid)
    >>> round(found.factors["bishop"], 2), round(found.factors["spencer"], 2)
    (0.99, 0.98)
    """
    gx, gy, gr = np.meshgrid(
        np.asarray(centre_x, dtype=float),
        np.asarray(centre_y, dtype=float),
        np.asarray(radius, dtype=float),
        indexing="ij",
    )
    gx, gy, gr = gx.ravel(), gy.ravel(), gr.ravel()
    if gr.size == 0 or np.any(gr <= 0):
        raise ValueError("radius grid must hold values > 0 m")
    s = slice_circle(section, gx, gy, gr, n_slices, strict=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(s.valid, bishop_factor(s), np.nan)
    f = np.where(f > 0, f, np.nan)
    if np.all(np.isnan(f)):
        raise ValueError("no circle of the search grid cuts the ground inside the section")
    best = int(np.nanargmin(f))
    x0 = np.array([gx[best], gy[best], gr[best]])

    def objective(v: FloatArray) -> float:
        one = slice_circle(section, v[0], v[1], v[2], n_slices, strict=False)
        if not one.valid[0] or v[2] <= 0:
            return 1e6
        value = float(bishop_factor(one)[0])
        return value if np.isfinite(value) and value > 0 else 1e6

    if refine:
        step = np.array([np.ptp(gx), np.ptp(gy), np.ptp(gr)]) / 20.0
        step = np.where(step > 0, step, 0.05 * x0[2])
        simplex = np.vstack([x0, x0 + np.diag(step)])
        res = optimize.minimize(
            objective,
            x0,
            method="Nelder-Mead",
            options={"initial_simplex": simplex, "xatol": 1e-4, "fatol": 1e-7, "maxiter": 2000},
        )
        if res.fun < f[best]:
            x0 = np.asarray(res.x, dtype=float)
    final = slice_circle(section, x0[0], x0[1], x0[2], n_slices)
    spencer, lam_s = spencer_factor(final)
    mp, lam_mp = morgenstern_price_factor(final)
    factors = {
        "ordinary": float(ordinary_factor(final)[0]),
        "bishop": float(bishop_factor(final)[0]),
        "janbu": float(janbu_factor(final)[0]),
        "spencer": float(spencer[0]),
        "morgenstern_price": float(mp[0]),
    }
    return CriticalCircle(
        centre_x=float(x0[0]),
        centre_y=float(x0[1]),
        radius=float(x0[2]),
        factors=factors,
        lambdas={"spencer": float(lam_s[0]), "morgenstern_price": float(lam_mp[0])},
        n_evaluated=int(gx.size),
    )
