"""Search for the critical slip surface: circle grids, the critical circle, non-circular surfaces.

:func:`auto_search_grid`, :func:`critical_circle` and :func:`critical_circles` (each
method's own critical circle, searched in bounded memory: a coarse grid in chunks, then a
batched pattern search) live in :mod:`~postmine.geotech.circle_search` and are re-exported
here.
:func:`critical_surface` starts from a circle (or any polyline) and moves the vertices of a
polyline slip surface to minimise the factor of safety by the chosen method: a (1+λ)
evolution strategy whose λ trial surfaces per generation are evaluated together as one
``(λ, n_slices)`` batch, with the step size adapted by the 1/5 success rule (Rechenberg
1973) — the counterpart of the "surface altering" optimisation of Slide2 and the
optimisation of SLOPE/W. Trial surfaces must be kinematically admissible: concave upwards
(base inclination non-decreasing from the toe to the crest) and below the ground between
their ends.

References
----------
[Rechenberg] Rechenberg I. (1973). Evolutionsstrategie. Frommann-Holzboog.
[Greco] Greco V. R. (1996). Efficient Monte Carlo technique for locating critical slip
    surface. J. Geotech. Eng. 122(7), 517–525.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from scipy import optimize

from postmine.geotech.circle_search import (
    CriticalCircle,
    Progress,
    SearchGrid,
    auto_search_grid,
    critical_circle,
    critical_circles,
)
from postmine.geotech.circle_search import slope_extent as _slope_extent
from postmine.geotech.limit_equilibrium import (
    METHODS,
    Method,
    effective_normal_force,
    factors_of_safety,
)
from postmine.geotech.section import FloatArray, Section, elevation_at
from postmine.geotech.slicing import slice_circle, slice_surface

__all__ = [
    "CriticalCircle",
    "CriticalSurface",
    "SearchGrid",
    "auto_search_grid",
    "critical_circle",
    "critical_circles",
    "critical_surface",
]

_MIN_M_ALPHA = 0.2  # Whitman & Bailey (1967) lower bound on m_α for an admissible slice
_MAX_TENSION = 0.05  # largest Σ(negative N') / Σ(positive N') of an admissible solution


@dataclass(frozen=True)
class CriticalSurface:
    """Result of the non-circular search.

    ``points`` (m, 2) vertices of the critical polyline [m]; ``factors`` F by each method
    [-] and ``lambdas`` λ of Spencer and Morgenstern–Price [-] on it; ``method`` minimised;
    ``start_factor`` F of the starting surface by that method [-]; ``axis`` moment axis
    (x, y) [m]; ``n_evaluated`` trial surfaces [-]; ``generations`` [-].
    """

    points: FloatArray
    factors: dict[str, float]
    lambdas: dict[str, float]
    method: str
    start_factor: float
    axis: tuple[float, float]
    n_evaluated: int
    generations: int


def _without_crack(section: Section) -> Section:
    """Return the section without its tension crack (to find where a surface meets the ground)."""
    if section.tension_crack_depth == 0.0:
        return section
    dry = copy.copy(section)
    dry.tension_crack_depth = dry.crack_water_depth = 0.0
    return dry


def _arc_points(section: Section, circle: CriticalCircle, n_vertices: int) -> FloatArray:
    s = slice_circle(_without_crack(section), circle.centre_x, circle.centre_y, circle.radius, 20)
    xs = np.linspace(s.entry_x[0], s.exit_x[0], n_vertices)
    ys = circle.centre_y - np.sqrt(np.clip(circle.radius**2 - (xs - circle.centre_x) ** 2, 0, None))
    ys[0], ys[-1] = elevation_at(section.ground, xs[[0, -1]])
    return np.column_stack([xs, ys])


class _TentSurfaces:
    """Concave-upward polylines as parameters (x_in, x_out, β_1 … β_{m−2}), β ≥ 0.

    With f = (x − x_in)/(x_out − x_in) and vertices at f_j = j/(m−1), the surface is the
    chord between the ground points at x_in and x_out minus Σ β_k T_k(f), where the tent
    T_k rises linearly from 0 at the ends to 1 at f_k. Each tent has its only kink at f_k,
    so every β ≥ 0 gives a concave-upward polyline and every such polyline has one β ≥ 0.
    """

    def __init__(self, section: Section, n_vertices: int, method: Method, n_slices: int):
        self.section = section
        self.method = method
        self.n_slices = n_slices
        self.fractions = np.linspace(0.0, 1.0, n_vertices)
        f, fk = self.fractions, self.fractions[1:-1]
        self.tents = np.where(
            f[None, :] <= fk[:, None], f / fk[:, None], (1 - f) / (1 - fk[:, None])
        )
        self.evaluated = 0

    def points(self, params: FloatArray) -> tuple[FloatArray, FloatArray]:
        x_in, x_out = params[:, 0], params[:, 1]
        xs = x_in[:, None] + (x_out - x_in)[:, None] * self.fractions[None, :]
        y_in = elevation_at(self.section.ground, x_in)
        y_out = elevation_at(self.section.ground, x_out)
        chord = y_in[:, None] + (y_out - y_in)[:, None] * self.fractions[None, :]
        ys: FloatArray = chord - np.maximum(params[:, 2:], 0.0) @ self.tents
        return xs, ys

    def params(self, points: FloatArray) -> FloatArray:
        """Parameters of a concave-upward polyline with ends on the ground (least squares)."""
        xs = np.linspace(points[0, 0], points[-1, 0], self.fractions.size)
        ys = np.interp(xs, points[:, 0], points[:, 1])
        y_in, y_out = elevation_at(self.section.ground, xs[[0, -1]])
        depth = y_in + (y_out - y_in) * self.fractions - ys
        beta, *_ = np.linalg.lstsq(self.tents[:, 1:-1].T, depth[1:-1], rcond=None)
        return np.concatenate([[xs[0], xs[-1]], np.maximum(beta, 0.0)])

    def __call__(self, params: FloatArray) -> FloatArray:
        """F of each parameter row; +inf when inadmissible (Whitman & Bailey m_α < 0.2)."""
        params = np.atleast_2d(params)
        self.evaluated += params.shape[0]
        xs, ys = self.points(params)
        lo, hi = self.section.x_range
        ok = (xs[:, -1] - xs[:, 0] > 1e-3) & (xs[:, 0] >= lo) & (xs[:, -1] <= hi)
        ok &= np.all(ys[:, 1:-1] < elevation_at(self.section.ground, xs[:, 1:-1]), axis=1)
        out = np.full(params.shape[0], np.inf)
        if not np.any(ok):
            return out
        pts = np.stack([xs[ok], ys[ok]], axis=2)
        slices = slice_surface(self.section, pts, self.n_slices, strict=False)
        factors, lambdas = factors_of_safety(slices, (self.method,), retry=False)
        f = factors[self.method]
        lam = lambdas.get(self.method, np.zeros_like(f))
        solved = np.isfinite(f) & (f > 0)
        f = np.where(solved, f, np.nan)
        if np.any(solved):
            shape: Literal["constant", "half_sine"] = (
                "half_sine" if self.method == "morgenstern_price" else "constant"
            )
            with np.errstate(divide="ignore", invalid="ignore"):
                m_alpha = (
                    np.cos(slices.alpha)
                    + np.sin(slices.alpha) * slices.tan_phi / np.where(solved, f, 1.0)[:, None]
                )
                normal = effective_normal_force(
                    slices, np.where(solved, f, 1.0), np.where(solved, lam, 0.0), shape
                )
            tension = -np.sum(np.minimum(normal, 0.0), axis=1)
            compression = np.sum(np.maximum(normal, 0.0), axis=1)
            admissible = (np.min(m_alpha, axis=1) >= _MIN_M_ALPHA) & (
                tension <= _MAX_TENSION * compression
            )
            f = np.where(admissible, f, np.nan)
        out[ok] = np.where(np.isfinite(f), f, np.inf)
        return out


def _ray_to_ground(section: Section, x0: float, y0: float, angle_deg: float, left: bool) -> float:
    """Return the x where a ray from (x0, y0) rising at ``angle_deg`` meets the ground."""
    lo, hi = section.x_range
    end = lo if left else hi
    xs = np.linspace(x0, end, 400)
    ys = y0 + np.abs(xs - x0) * np.tan(np.radians(angle_deg))
    above = ys >= elevation_at(section.ground, xs)
    if not above.any():
        return float("nan")
    k = int(np.argmax(above))
    return float(xs[k])


def _block_candidates(section: Section, objective: _TentSurfaces) -> FloatArray:
    """Block surfaces along the base of every layer, as parameters of ``objective``.

    For each layer boundary below the crest (a trial surface runs just above it, in the layer
    over it) and several pairs of block ends, a passive wedge at 45° − φ'/2 to the toe side,
    a flat base and an active wedge at 45° + φ'/2 to the crest side (Rankine) — the shape of
    sliding along a weak seam (block search of Slide2 / SLOPE/W).
    """
    x_t, y_t, x_k, y_k = _slope_extent(section)
    height = max(y_k - y_t, 1e-3)
    lo, hi = section.x_range
    out: list[FloatArray] = []
    for k, layer in enumerate(section.layers[:-1]):
        assert layer.bottom is not None
        below = section.layers[k + 1]
        for lay, offset in ((layer, 0.02), (below, -0.02)):
            phi = lay.friction_angle
            for x1 in np.linspace(x_t - height, x_k, 12):
                for x2 in np.linspace(x_t, x_k + 2.0 * height, 12):
                    if not lo < x1 < x2 < hi:
                        continue
                    y1 = float(elevation_at(layer.bottom, x1)) + offset * height
                    y2 = float(elevation_at(layer.bottom, x2)) + offset * height
                    if y1 >= float(elevation_at(section.ground, x1)) or y2 >= float(
                        elevation_at(section.ground, x2)
                    ):
                        continue
                    x_in = _ray_to_ground(section, x1, y1, 45.0 - phi / 2.0, left=True)
                    x_out = _ray_to_ground(section, x2, y2, 45.0 + phi / 2.0, left=False)
                    if not (np.isfinite(x_in) and np.isfinite(x_out)) or x_out - x_in < 1e-3:
                        continue
                    pts = np.array(
                        [
                            [x_in, float(elevation_at(section.ground, x_in))],
                            [x1, y1],
                            [x2, y2],
                            [x_out, float(elevation_at(section.ground, x_out))],
                        ]
                    )
                    if np.any(np.diff(pts[:, 0]) <= 0):
                        continue
                    out.append(objective.params(pts))
    return np.array(out) if out else np.empty((0, 0))


class _Ticker:
    """Calls ``progress(done, total)`` once per unit of work (a generation of a search)."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0

    def __call__(self, *_: object, **__: object) -> None:
        self.done = min(self.done + 1, self.total)
        if self.progress is not None:
            self.progress(self.done, self.total)

    def finish(self) -> None:
        if self.progress is not None and self.done < self.total:
            self.done = self.total
            self.progress(self.total, self.total)


def _polish(
    objective: _TentSurfaces,
    best: FloatArray,
    best_f: float,
    rng: np.random.Generator,
    population: int,
    max_generations: int,
    restarts: int,
    tick: _Ticker,
) -> tuple[FloatArray, float, int]:
    """(1+λ) evolution strategy with the 1/5 success rule, restarted while it gains."""
    span = float(best[1] - best[0])
    generations = 0
    for _ in range(restarts + 1):
        sigma = 0.05 * span
        run_start = best_f
        for _ in range(max_generations):
            generations += 1
            tick()
            trials = best[None, :] + sigma * rng.standard_normal((population, best.size))
            trials[:, 2:] = np.abs(trials[:, 2:])
            f = objective(trials)
            k = int(np.argmin(f))
            if f[k] < best_f - 1e-12:
                best, best_f = trials[k], float(f[k])
                sigma *= 1.5
            else:
                sigma *= 0.8
            if sigma < 1e-5 * span:
                break
        if run_start - best_f < 1e-4 * best_f:
            break
    return best, best_f, generations


def critical_surface(
    section: Section,
    start: CriticalCircle | npt.ArrayLike | None = None,
    method: Method = "spencer",
    n_vertices: int = 9,
    n_slices: int = 40,
    population: int = 12,
    max_generations: int = 150,
    seed: int = 0,
    *,
    progress: Progress | None = None,
) -> CriticalSurface:
    """Search the non-circular slip surface of least factor of safety by ``method``.

    Surfaces are concave-upward polylines of ``n_vertices`` vertices equally spaced in x
    whose ends lie on the ground, parametrised by the x of both ends and the non-negative
    weights β of "tent" functions below the chord (every parameter vector is kinematically
    admissible). Two stages, both evaluating whole generations as one batch:

    0. block surfaces along the base of every layer (passive wedge, flat base, active wedge;
       :func:`_block_candidates`) are tried; the best replaces the start if it is lower;
    1. global: scipy.optimize.differential_evolution (``vectorized=True``, Sobol
       initialisation, the starting surface in the first population) over x_in between
       the section's left end and the middle of the slope, x_out between the middle of the
       slope and the right end, and β in [0, H] (H the slope height);
    2. local: a (1+λ) evolution strategy from the best surface, Gaussian steps of 5 % of
       the span adapted by the 1/5 success rule (Rechenberg 1973), restarted while a run
       lowers F by more than 0.01 %.

    Trial surfaces are rejected when they rise above the ground, when m_α = cos α +
    sin α tan φ'/F falls below 0.2 on a slice (Whitman & Bailey 1967: steep toe exits give
    spurious low F) or when the solution leans on tension across the base: the negative
    effective normal forces N' (:func:`~postmine.geotech.limit_equilibrium.
    effective_normal_force`) add up to more than 5 % of the positive ones (a little tension
    under the crest of a cohesive slope is normal; spurious roots of the equilibrium
    equations need much more).

    Parameters
    ----------
    section : Section
        The slope section.
    start : CriticalCircle or array_like of (x, y) or None
        Starting surface: a circle from :func:`critical_circle`, a polyline that cuts the
        ground, or None for the critical circle of :func:`auto_search_grid`. [m]
    method : {"ordinary", "bishop", "janbu", "spencer", "morgenstern_price"}
        Method whose factor is minimised; Spencer and Morgenstern–Price satisfy moment and
        force equilibrium and are the ones to use for non-circular surfaces.
    n_vertices : int
        Vertices of the polyline, at least 3. [-]
    n_slices : int
        Slices per trial surface. [-]
    population : int
        Population multiplier of differential evolution (popsize × parameters trial
        surfaces per generation) and, times 3, trial surfaces per generation of the local
        stage; at least 4. [-]
    max_generations : int
        Upper bound on generations of each stage. [-]
    seed : int
        Seed of the random generators (the search is reproducible). [-]
    progress : callable (done, total) or None
        Called after the start (and the block surfaces) and after every generation of each
        stage with the units done and ``total`` = 1 + 5 × ``max_generations`` (an upper
        bound: the stages stop early, and the last call has ``done == total``). [-]

    Returns
    -------
    CriticalSurface

    Raises
    ------
    ValueError
        If an argument is out of range or the starting surface has no factor of safety.

    References
    ----------
    Storn R., Price K. (1997). Differential evolution. J. Global Optimization 11, 341–359.
    Whitman R. V., Bailey W. A. (1967). Use of computers for slope stability analysis.
    J. Soil Mech. Found. Div. 93(SM4), 475–498.

    Examples
    --------
    >>> from postmine.geotech.section import SoilLayer
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> found = critical_surface(sec, max_generations=20)
    >>> found.factors["spencer"] <= found.start_factor
    True
    """
    _check_search(method, n_vertices, population, max_generations)
    tick = _Ticker(progress, 1 + 5 * max_generations)
    if start is None:
        start = critical_circle(section, method=method)
    objective = _TentSurfaces(section, n_vertices, method, n_slices)
    x0, start_f = _start_params(section, start, objective, n_vertices, n_slices)
    blocks = _block_candidates(section, objective)
    if blocks.size:
        block_f = objective(blocks)
        k = int(np.argmin(block_f))
        if block_f[k] < start_f:
            x0 = blocks[k]
    x0_f = float(objective(x0)[0])
    tick()
    result = _global_stage(section, objective, x0, population, max_generations, seed, tick)
    best, best_f = (result.x, float(result.fun)) if result.fun < x0_f else (x0, x0_f)
    rng = np.random.default_rng(seed)
    best, best_f, generations = _polish(
        objective, best, best_f, rng, 3 * population, max_generations, 3, tick
    )
    tick.finish()
    xs, ys = objective.points(best[None, :])
    final_points = np.column_stack([xs[0], ys[0]])
    final = slice_surface(section, final_points, n_slices)
    all_f, all_lam = factors_of_safety(final)
    return CriticalSurface(
        points=final_points,
        factors={m: float(v[0]) for m, v in all_f.items()},
        lambdas={m: float(v[0]) for m, v in all_lam.items()},
        method=method,
        start_factor=start_f,
        axis=(float(final.centre_x[0]), float(final.centre_y[0])),
        n_evaluated=objective.evaluated,
        generations=int(result.nit) + generations,
    )


def _check_search(method: str, n_vertices: int, population: int, max_generations: int) -> None:
    """Raise ValueError naming the first argument of :func:`critical_surface` out of range."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    if n_vertices < 3:
        raise ValueError(f"n_vertices must be >= 3, got {n_vertices}")
    if population < 4:
        raise ValueError(f"population must be >= 4, got {population}")
    if max_generations < 1:
        raise ValueError(f"max_generations must be >= 1, got {max_generations}")


def _start_params(
    section: Section,
    start: CriticalCircle | npt.ArrayLike,
    objective: _TentSurfaces,
    n_vertices: int,
    n_slices: int,
) -> tuple[FloatArray, float]:
    """Parameters of the starting surface and its factor; raise if it has none."""
    if isinstance(start, CriticalCircle):
        points = _arc_points(section, start, n_vertices)
    else:
        given = np.asarray(start, dtype=float)
        one = slice_surface(_without_crack(section), given, n_slices)
        xs = np.linspace(one.entry_x[0], one.exit_x[0], n_vertices)
        points = np.column_stack([xs, np.interp(xs, given[:, 0], given[:, 1])])
    x0 = objective.params(points)
    start_f = float(objective(x0)[0])
    if not np.isfinite(start_f):
        raise ValueError(
            f"the starting surface has no admissible {objective.method} factor of safety "
            "(no root, or m_α < 0.2 on a slice)"
        )
    return x0, start_f


def _global_stage(
    section: Section,
    objective: _TentSurfaces,
    x0: FloatArray,
    population: int,
    max_generations: int,
    seed: int,
    tick: _Ticker,
) -> optimize.OptimizeResult:
    """Differential evolution over the ends (left and right of the slope's middle) and β ≤ H."""
    from scipy import optimize  # on use: it adds ~0.15 s to every command's start

    x_t, y_t, x_k, y_k = _slope_extent(section)
    lo, hi = section.x_range
    middle = 0.5 * (x_t + x_k)
    height = max(y_k - y_t, 1e-3)
    bounds = [
        (lo, max(middle, x0[0] + 1e-6)),
        (min(middle, x0[1] - 1e-6), hi),
        *[(0.0, max(height, 1.01 * float(b))) for b in x0[2:]],
    ]
    return optimize.differential_evolution(
        lambda v: objective(np.atleast_2d(v.T)),
        bounds,
        vectorized=True,
        updating="deferred",
        popsize=population,
        maxiter=max_generations,
        tol=1e-5,
        init="sobol",
        x0=x0,
        seed=seed,
        polish=False,
        callback=lambda xk, convergence=None: tick(),
    )
