r"""Limit-equilibrium factors of safety of sliced slip surfaces, vectorised with numpy.

Five methods on :class:`~postmine.geotech.slicing.Slices` of shape ``(n_surfaces,
n_slices)``, all surfaces at once: Ordinary (Fellenius), Bishop simplified, Janbu simplified
(uncorrected), Spencer (parallel interslice forces) and Morgenstern–Price (half-sine
interslice function); :func:`factors_of_safety` runs any of them, :func:`factor_of_safety`
one circle by name, :func:`effective_normal_force` gives N' of a solution. Moments are taken
about the centre of a circle (also when an impenetrable layer cuts it into a composite
surface), or about the axis of a polyline (:func:`~postmine.geotech.slicing.slice_surface`).
Slice bases are straight (the chords of a circle), so on a circle the base normal passes
through the centre and the base shear acts at a_s = R cos(Δθ/2), Δθ the angle the slice's
chord subtends; slices need not be of equal width.

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
from typing import Literal

import numpy as np
import numpy.typing as npt

from postmine.geotech.section import FloatArray, Section
from postmine.geotech.slicing import Slices, slice_circle

__all__ = [
    "METHODS",
    "Method",
    "bishop_factor",
    "effective_normal_force",
    "factor_of_safety",
    "factors_of_safety",
    "janbu_factor",
    "morgenstern_price_factor",
    "ordinary_factor",
    "spencer_factor",
]

Method = Literal["ordinary", "bishop", "janbu", "spencer", "morgenstern_price"]
METHODS: tuple[Method, ...] = ("ordinary", "bishop", "janbu", "spencer", "morgenstern_price")

_ITER_TOL = 1e-9
_MAX_ITER = 200
_MAX_RETRIES = 16  # surfaces retried one by one when the batched Newton solve fails


def ordinary_factor(slices: Slices) -> FloatArray:
    r"""Factor of safety by the Ordinary (Fellenius) method, one per circle.

    .. math:: F = \frac{\sum [c' l + N' \tan φ'] a_s}
                       {\sum [W(x - x_c) + k_h W (y_c - y_m)] - \sum N a_n},\qquad
              N' = W\cos α - k_h W \sin α - u l

    Interslice forces are ignored (Fellenius 1936); the effective normal force is not
    clipped at zero. On a circle the normal arm a_n is 0 and the shear arm a_s is the
    distance of the slice's chord from the centre (R as the slices get thin), the classical
    form; on a polyline moments are about the axis of
    :func:`~postmine.geotech.slicing.slice_surface`.

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
    >>> from postmine.geotech.section import SoilLayer
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> ordinary_factor(slice_circle(sec, 30.0, 52.5, 27.5)).round(3)
    array([0.948])
    """
    s = slices
    normal = s.load * np.cos(s.alpha) - s.seismic_coefficient * s.weight * np.sin(s.alpha)
    strength = s.cohesion * s.base_length + (normal - s.pore_force) * s.tan_phi
    resisting = np.sum(strength * s.shear_arm, axis=1)
    factor: FloatArray = resisting / (s.driving_moment() - np.sum(normal * s.normal_arm, axis=1))
    return factor


def _iterate(
    f0: FloatArray, step: Callable[[npt.NDArray[np.intp], FloatArray], FloatArray]
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Fixed-point iteration F ← step(rows, F) on the rows not yet converged.

    Returns F and whether each row converged (relative change ≤ 1e-9).
    """
    f = f0.copy()
    done = np.zeros(f.shape, dtype=bool)
    active = np.arange(f.size)
    for _ in range(_MAX_ITER):
        f_new = np.asarray(step(active, f[active]), dtype=float)
        f_new = np.where(np.isfinite(f_new) & (f_new > 0.0), f_new, np.nan)
        conv = np.isnan(f_new) | (np.abs(f_new - f[active]) <= _ITER_TOL * np.abs(f_new))
        f[active] = f_new
        done[active[conv & ~np.isnan(f_new)]] = True
        active = active[~conv]
        if active.size == 0:
            break
    return f, done


class _BishopTerms:
    """Per-slice constants of Bishop's and Janbu's iterations, computed once."""

    def __init__(self, s: Slices) -> None:
        self.cos = np.cos(s.alpha)
        self.sin = np.sin(s.alpha)
        self.tan_phi = s.tan_phi
        u_b = s.pore_force * self.cos
        # numerator c' b + (W − u b) tan φ'; N' m_α = W − u b − c' b tan α / F
        self.strength = s.cohesion * s.width + (s.load - u_b) * s.tan_phi
        self.vertical = s.load - u_b
        self.cohesion_lift = s.cohesion * s.width * self.sin / self.cos
        self.pore_force = s.pore_force

    def m_alpha(self, rows: npt.NDArray[np.intp], f: FloatArray) -> FloatArray:
        m: FloatArray = self.cos[rows] + self.sin[rows] * self.tan_phi[rows] / f[:, None]
        return m

    def start(self, s: Slices) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            f = ordinary_factor(s)
        return np.where(np.isfinite(f) & (f > 0.05), f, 1.0)

    def admissible(self, f: FloatArray) -> npt.NDArray[np.bool_]:
        """m_α > 0 on every slice at the converged F (the normal force keeps its sign)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            m = self.cos + self.sin * self.tan_phi / f[:, None]
        ok: npt.NDArray[np.bool_] = np.min(m, axis=1) > 0.0
        return ok


def bishop_factor(slices: Slices) -> FloatArray:
    r"""Factor of safety by Bishop's simplified method, one per circle (vectorised).

    Moment equilibrium about the centre, interslice shear neglected:

    .. math:: F = \frac{\sum a_s [c' b + (W - u b)\tan φ'] / m_α}
                       {\sum [W(x - x_c) + k_h W (y_c - y_m)]},\qquad
              m_α = \cos α + \sin α \tan φ' / F

    (Bishop 1955), a_s the distance of each slice's straight base from the centre
    (R cos(Δθ/2), R as the slices get thin), solved by fixed-point iteration from the
    Ordinary factor for all circles at once. Circles that do not converge, or where m_α ≤ 0
    on a slice (steep exit), get NaN.
    On a polyline, and on a circle cut by an impenetrable layer (the slices on the bedrock
    do not point at the centre), the moment of the base normal forces about the axis,
    Σ N a_n with N = N' + u l from the vertical equilibrium of each slice, is subtracted
    from the driving moment.

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

    >>> from postmine.geotech.section import SoilLayer
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> bishop_factor(slice_circle(sec, [30.0, 35.0], [52.5, 50.0], [27.5, 25.0])).round(3)
    array([0.985, 1.096])
    """
    s = slices
    t = _BishopTerms(s)
    driving = s.driving_moment()
    circular = bool(np.all(s.circular))  # else a polyline or a circle cut by bedrock

    def step(rows: npt.NDArray[np.intp], f: FloatArray) -> FloatArray:
        m = t.m_alpha(rows, f)
        resisting = np.sum(t.strength[rows] / m * s.shear_arm[rows], axis=1)
        if circular:  # normal forces pass through the centre
            on_circle: FloatArray = resisting / driving[rows]
            return on_circle
        normal = (t.vertical[rows] - t.cohesion_lift[rows] / f[:, None]) / m
        moment_n = np.sum((normal + t.pore_force[rows]) * s.normal_arm[rows], axis=1)
        general: FloatArray = resisting / (driving[rows] - moment_n)
        return general

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        f, done = _iterate(t.start(s), step)
        ok = done & t.admissible(f)
    return np.where(ok, f, np.nan)


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
    >>> from postmine.geotech.section import SoilLayer
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> janbu_factor(slice_circle(sec, 30.0, 52.5, 27.5)).round(3)
    array([0.943])
    """
    s = slices
    t = _BishopTerms(s)
    driving = s.driving_force()

    def step(rows: npt.NDArray[np.intp], f: FloatArray) -> FloatArray:
        m = t.m_alpha(rows, f)
        value: FloatArray = np.sum(t.strength[rows] / (m * t.cos[rows]), axis=1) / driving[rows]
        return value

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        f, done = _iterate(t.start(s), step)
        ok = done & t.admissible(f)
    return np.where(ok, f, np.nan)


class _GleTerms:
    """Per-slice constants of the Spencer / Morgenstern–Price sweep, computed once."""

    def __init__(self, s: Slices, shape: FloatArray) -> None:
        self.sin = np.sin(s.alpha)
        self.cos = np.cos(s.alpha)
        self.cl = s.cohesion * s.width / self.cos
        self.tan_phi = s.tan_phi
        self.pore = s.pore_force
        self.seismic = s.seismic_coefficient * s.weight
        self.load = s.load
        self.thrust = s.thrust
        self.shear_arm = s.shear_arm
        self.normal_arm = s.normal_arm
        self.driving = s.driving_moment()
        self.scale = np.sum(s.load, axis=1)
        self.length = np.maximum(s.exit_x - s.entry_x, 1e-9)
        self.shape = shape
        self.last_effective_normal = np.empty((0, 0))

    def residuals(
        self, rows: npt.NDArray[np.intp], f: FloatArray, lam: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """Force (E_n) and moment residuals of the given surfaces, scaled by Σ W."""
        sa, ca, cl, tp = self.sin[rows], self.cos[rows], self.cl[rows], self.tan_phi[rows]
        big_u, kw, wt = self.pore[rows], self.seismic[rows], self.load[rows]
        n_slices = sa.shape[1]
        e_left = np.zeros_like(f)
        x_left = np.zeros_like(f)
        shear = np.empty_like(sa)
        normal = np.empty_like(sa)
        for i in range(n_slices):
            coef_a = -sa[:, i] + tp[:, i] * ca[:, i] / f
            e0 = e_left - kw[:, i] - big_u[:, i] * sa[:, i] + cl[:, i] * ca[:, i] / f
            if i == n_slices - 1:
                e0 = e0 - self.thrust[rows]
            lf = lam * self.shape[rows, i + 1]
            n_eff = (
                wt[:, i] - x_left + lf * e0 - big_u[:, i] * ca[:, i] - cl[:, i] * sa[:, i] / f
            ) / (ca[:, i] + tp[:, i] * sa[:, i] / f - lf * coef_a)
            shear[:, i] = (cl[:, i] + n_eff * tp[:, i]) / f
            normal[:, i] = n_eff + big_u[:, i]
            e_left = e0 + coef_a * n_eff
            x_left = lf * e_left
        moment = (
            np.sum(shear * self.shear_arm[rows], axis=1)
            + np.sum(normal * self.normal_arm[rows], axis=1)
            - self.driving[rows]
        )
        scale = self.scale[rows]
        self.last_effective_normal = normal - big_u
        return e_left / scale, moment / (scale * self.length[rows])


def _interslice_shape(s: Slices, shape_of: Literal["constant", "half_sine"]) -> FloatArray:
    """Interslice function f(x) on the slice boundaries, shape (n_surfaces, n_slices + 1).

    The half-sine is f = sin(π (x − x_entry)/(x_exit − x_entry)) at each boundary's x (the
    slices need not be of equal width).
    """
    edges = s.edges
    if shape_of == "constant":
        return np.ones_like(edges)
    span = np.maximum(s.exit_x - s.entry_x, 1e-12)[:, None]
    shape: FloatArray = np.sin(np.pi * np.clip((edges - s.entry_x[:, None]) / span, 0.0, 1.0))
    return shape


def _gle_factor(
    s: Slices, shape_of: Literal["constant", "half_sine"], retry: bool = True
) -> tuple[FloatArray, FloatArray]:
    """Solve force and moment equilibrium for (F, λ) of every surface.

    Damped Newton iterations with a forward-difference Jacobian run on all unconverged
    surfaces at once, started from Bishop's F and λ = 0; when only a few surfaces fail,
    they are retried one by one with scipy.optimize.root from several starting λ.
    """
    from scipy import optimize  # on use: it adds ~0.15 s to every command's start

    n_surf = s.alpha.shape[0]
    t = _GleTerms(s, _interslice_shape(s, shape_of))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        f = bishop_factor(s)
        f = np.where(np.isfinite(f) & (f > 0.05), f, 1.0)
        lam = np.zeros(n_surf)
        good = np.zeros(n_surf, dtype=bool)
        active = np.nonzero(s.valid)[0]
        for _ in range(40):
            if active.size == 0:
                break
            fa, la = f[active], lam[active]
            r0, r1 = t.residuals(active, fa, la)
            finite = np.isfinite(r0) & np.isfinite(r1)
            conv = finite & (np.abs(r0) < 1e-11) & (np.abs(r1) < 1e-11)
            good[active[conv]] = True
            keep = finite & ~conv
            active, fa, la, r0, r1 = active[keep], fa[keep], la[keep], r0[keep], r1[keep]
            if active.size == 0:
                break
            hf = 1e-7 * np.maximum(fa, 1.0)
            hl = 1e-7
            a0, a1 = t.residuals(active, fa + hf, la)
            b0, b1 = t.residuals(active, fa, la + hl)
            j00, j10 = (a0 - r0) / hf, (a1 - r1) / hf
            j01, j11 = (b0 - r0) / hl, (b1 - r1) / hl
            det = j00 * j11 - j01 * j10
            df = -(j11 * r0 - j01 * r1) / det
            dl = -(-j10 * r0 + j00 * r1) / det
            damp = np.maximum(1.0, np.maximum(np.abs(df) / (0.3 * fa), np.abs(dl) / 0.3))
            ok = np.isfinite(df) & np.isfinite(dl)
            f[active] = np.where(ok, fa + df / damp, fa)
            lam[active] = np.where(ok, la + dl / damp, la)
            f[active] = np.where(f[active] > 1e-3, f[active], 1e-3)
            active = active[ok]
        rows = np.nonzero(good)[0]
        if rows.size:
            r0, r1 = t.residuals(rows, f[rows], lam[rows])
            good[rows] = (np.abs(r0) < 1e-8) & (np.abs(r1) < 1e-8) & (f[rows] > 0)
    factors = np.where(good, f, np.nan)
    lambdas = np.where(good, lam, np.nan)
    failed = np.nonzero(~good & s.valid)[0]
    if not retry or failed.size > _MAX_RETRIES:  # a search batch: no root, skipped
        return factors, lambdas
    for row in failed:
        one = np.array([row])
        f0 = float(f[row]) if np.isfinite(f[row]) and f[row] > 0.05 else 1.0
        for lam0 in (0.0, 0.2, -0.2, 0.5):
            sol = optimize.root(
                lambda v, one=one: np.concatenate(t.residuals(one, v[:1], v[1:])),
                x0=[f0, lam0],
                method="hybr",
                options={"xtol": 1e-12},
            )
            # a thin sliver leaves λ undetermined: hybr then reports no progress although the
            # residuals vanish, so the residuals decide
            if sol.x[0] > 0 and np.max(np.abs(sol.fun)) < 1e-8:
                factors[row], lambdas[row] = sol.x
                break
    return factors, lambdas


def effective_normal_force(
    slices: Slices,
    factor: npt.ArrayLike,
    interslice_ratio: npt.ArrayLike = 0.0,
    interslice_function: Literal["constant", "half_sine"] = "constant",
) -> FloatArray:
    """Effective normal force N' on each slice base at a given F and λ, kN/m.

    From the vertical and horizontal equilibrium of each slice swept from the toe, as in
    :func:`spencer_factor`; with λ = 0 it is the N' of Bishop's and Janbu's methods. A
    negative N' means the solution needs tension across the base — such a solution is not
    physically admissible and the surface searches reject it.

    Parameters
    ----------
    slices : Slices
        Slices of one or many surfaces.
    factor : float or array_like
        F of each surface. [-]
    interslice_ratio : float or array_like
        λ of each surface. [-]
    interslice_function : {"constant", "half_sine"}
        f(x) of the interslice forces X = λ f(x) E (Spencer, Morgenstern–Price).

    Returns
    -------
    ndarray
        N', shape (n_surfaces, n_slices). [kN/m]

    Raises
    ------
    ValueError
        If a factor is not positive.

    Examples
    --------
    >>> from postmine.geotech.section import SoilLayer
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> s = slice_circle(sec, 30.0, 52.5, 27.5)
    >>> f, lam = spencer_factor(s)
    >>> bool(effective_normal_force(s, f, lam).min() > 0)
    True
    """
    n_surf = slices.alpha.shape[0]
    f = np.broadcast_to(np.asarray(factor, dtype=float), (n_surf,)).copy()
    lam = np.broadcast_to(np.asarray(interslice_ratio, dtype=float), (n_surf,)).copy()
    if np.any(~(f > 0)):
        raise ValueError(f"factor must be > 0, got {f.tolist()}")
    terms = _GleTerms(slices, _interslice_shape(slices, interslice_function))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        terms.residuals(np.arange(n_surf), f, lam)
    return terms.last_effective_normal


def spencer_factor(slices: Slices, *, retry: bool = True) -> tuple[FloatArray, FloatArray]:
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
    retry : bool
        Retry surfaces where the batched Newton solve fails one by one with
        scipy.optimize.root from several starting λ (only when at most 16 fail).

    Returns
    -------
    tuple of ndarray
        F, factor of safety [-], and λ, interslice force ratio X/E [-], each of shape
        (n_circles,); NaN where no root is found.

    Examples
    --------
    >>> from postmine.geotech.section import SoilLayer
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> f, lam = spencer_factor(slice_circle(sec, 30.0, 52.5, 27.5))
    >>> f.round(3), lam.round(2)
    (array([0.984]), array([0.43]))
    """
    return _gle_factor(slices, "constant", retry)


def morgenstern_price_factor(
    slices: Slices, *, retry: bool = True
) -> tuple[FloatArray, FloatArray]:
    r"""Factor of safety by Morgenstern–Price with a half-sine interslice function.

    X = λ f(x) E with f(x) = sin(π (x − x_entry)/(x_exit − x_entry)); solved as in
    :func:`spencer_factor`.

    Parameters
    ----------
    slices : Slices
        Slices of one or many circles from :func:`slice_circle`.
    retry : bool
        Retry surfaces where the batched Newton solve fails one by one with
        scipy.optimize.root from several starting λ (only when at most 16 fail).

    Returns
    -------
    tuple of ndarray
        F, factor of safety [-], and λ, scale of the interslice function [-], each of
        shape (n_circles,); NaN where no root is found.

    Examples
    --------
    >>> from postmine.geotech.section import SoilLayer
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> morgenstern_price_factor(slice_circle(sec, 30.0, 52.5, 27.5))[0].round(3)
    array([0.984])
    """
    return _gle_factor(slices, "half_sine", retry)


def factor_of_safety(
    section: Section,
    centre_x: float,
    centre_y: float,
    radius: float,
    method: Method = "bishop",
    n_slices: int = 50,
    *,
    split_at_water: bool = True,
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
    split_at_water : bool
        Cut slices where the piezometric line crosses the circle and at its vertices
        (:func:`~postmine.geotech.slicing.slice_circle`).

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

    >>> from postmine.geotech.section import SoilLayer
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> round(factor_of_safety(sec, 30.0, 52.5, 27.5, "bishop"), 3)
    0.985
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    s = slice_circle(section, centre_x, centre_y, radius, n_slices, split_at_water=split_at_water)
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


def factors_of_safety(
    slices: Slices, methods: Sequence[Method] = METHODS, *, retry: bool = True
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """Factors of safety of every surface by each of the given methods.

    Parameters
    ----------
    slices : Slices
        Slices of one or many surfaces from :func:`slice_circle` or
        :func:`~postmine.geotech.slicing.slice_surface`.
    methods : sequence of {"ordinary", "bishop", "janbu", "spencer", "morgenstern_price"}
        Methods to run.
    retry : bool
        Retry surfaces where Spencer / Morgenstern–Price's batched Newton solve fails one by
        one with scipy.optimize.root (slow; searches switch it off).

    Returns
    -------
    tuple of dict
        F by method, arrays of shape (n_surfaces,) [-]; λ of Spencer and
        Morgenstern–Price [-]. NaN where a method finds no factor of safety.

    Raises
    ------
    ValueError
        If a method name is unknown.

    Examples
    --------
    >>> from postmine.geotech.section import SoilLayer
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> f, lam = factors_of_safety(slice_circle(sec, 30.0, 52.5, 27.5), ("bishop", "spencer"))
    >>> {k: v.round(3).tolist() for k, v in f.items()}
    {'bishop': [0.985], 'spencer': [0.984]}
    """
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"methods must be among {METHODS}, got {unknown}")
    factors: dict[str, FloatArray] = {}
    lambdas: dict[str, FloatArray] = {}
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for method in methods:
            if method == "ordinary":
                factors[method] = ordinary_factor(slices)
            elif method == "bishop":
                factors[method] = bishop_factor(slices)
            elif method == "janbu":
                factors[method] = janbu_factor(slices)
            else:
                solve = spencer_factor if method == "spencer" else morgenstern_price_factor
                factors[method], lambdas[method] = solve(slices, retry=retry)
    for name, f in factors.items():
        factors[name] = np.where(slices.valid & np.isfinite(f) & (f > 0), f, np.nan)
    return factors, lambdas
