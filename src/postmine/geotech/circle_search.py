r"""Critical-circle search of every limit-equilibrium method, in bounded memory.

:func:`critical_circles` finds, for each requested method, the circle of least factor of
safety *by that method* (each method its own minimum and its own circle, as Slide2, SLOPE/W
and xslope report), in three stages:

1. **Grid pass.** A Cartesian grid of centre x, centre y and radius (by default
   :func:`auto_search_grid` with ``DEFAULT_POINTS`` = 11 values per axis, 1 331 circles) is
   sliced and solved in chunks of ``chunk_size`` circles (``CHUNK_SIZE`` = 2 000), so peak
   memory does not grow with the grid. Ordinary, Bishop and Janbu (cheap) are evaluated on
   every grid circle; Bishop always, as it guides the next stage.
2. **Spencer and Morgenstern–Price** (several times the cost of Bishop per circle) are
   evaluated on a coarse global sub-grid (every ``k``-th value on each axis, ``k`` the least
   that keeps the sub-grid within ``COSTLY_GRID`` = 500 circles: ``k`` = 2 for the default
   grid) plus the ``NEIGHBOURHOOD`` = 200 grid circles of least Bishop factor (the Bishop
   minimum's neighbourhood, where the rigorous minima lie on every problem we know of).
3. **Local refinement** of each method from its ``N_STARTS`` = 3 best grid circles in
   distinct places (grid indices more than two steps apart) — for Spencer and
   Morgenstern–Price from Bishop's refined circle, with a quarter of the grid step, and
   their own ``N_STARTS_COSTLY`` = 2 best grid circles (a third start changed no minimum
   of the verification set by more than 0.001 % and cost 40 % more):
   a batched pattern search in (x_c, y_c, y_t = y_c − R), the centre and the elevation of
   the circle's lowest point, coordinates in which the valley of circles through the toe
   runs along an axis (as xslope's tangent-line search). Each iteration evaluates the 26
   neighbours v + s·h·d (d ∈ {−1, 0, 1}³ \ {0}, s ∈ {1, ½, ¼}) of every active start as one
   batch; a start moves to its best trial when that is lower (its step becoming s·h, or
   1.5 h for s = 1, at most twice the initial step), otherwise its step is divided by 8;
   it stops when the step is below ``TOLERANCE`` = 1e-4 times the grid's extent on every
   axis (the pattern search of Hooke & Jeeves 1961 with the full stencil of a coordinate
   grid; Torczon 1997 proves convergence to a stationary point), or when it is 1 % above
   the best start once its step is below a quarter of the initial one.

The grid only has to put a circle in the basin of the global minimum: the refinement
reaches the minimum (to about 1e-5 in F) whatever the grid's resolution. On the shipped
verification problems the default search (2 900–8 800 trial circles for Bishop) is within
0.11 % of a search of the file's grid at twice its resolution (8 times its circles, 140–370 k)
refined the same way (0.104 % on Arai & Tagyo example 2, under 0.06 % on the others;
measured 2026-12-08); tests/geotech/test_slip_search.py checks 0.3 % against the file's own
grid refined, and 0.1 % for Spencer and Morgenstern–Price against brute force on
ACADS 1(a) and 1(c).

``progress(done, total)`` is called after every chunk of the grid pass, after the Spencer /
Morgenstern–Price pass and after every method's refinement; the last call has
``done == total``.

References
----------
Hooke R., Jeeves T. A. (1961). "Direct search" solution of numerical and statistical
    problems. J. ACM 8(2), 212–229.
Torczon V. (1997). On the convergence of pattern search algorithms. SIAM J. Optim. 7(1),
    1–25.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from postmine.geotech.limit_equilibrium import METHODS, Method, factors_of_safety
from postmine.geotech.section import FloatArray, Section
from postmine.geotech.slicing import slice_circle

__all__ = [
    "CHUNK_SIZE",
    "DEFAULT_POINTS",
    "CriticalCircle",
    "Progress",
    "SearchGrid",
    "auto_search_grid",
    "critical_circle",
    "critical_circles",
]

Progress = Callable[[int, int], None]

CHUNK_SIZE = 2000  # circles sliced and solved at a time (≈ 30 MB at 50 slices)
DEFAULT_POINTS = 11  # values per axis of the default (coarse) grid
COSTLY_GRID = 500  # largest global sub-grid solved by Spencer / Morgenstern–Price
NEIGHBOURHOOD = 200  # least-Bishop grid circles also solved by Spencer / M–P
N_STARTS = 3  # distinct grid minima refined per method
N_STARTS_COSTLY = 2  # and per Spencer / M–P search, besides Bishop's refined circle
TOLERANCE = 1e-4  # final pattern step, relative to the grid's extent
MAX_ITERATIONS = 200  # pattern-search iterations per method
_CHEAP: tuple[Method, ...] = ("ordinary", "bishop", "janbu")
_SCALES = np.array([1.0, 0.35])  # steps tried together, times h
_AXES = np.array([d for d in itertools.product((-1, 0, 1), repeat=3) if any(d)], dtype=float)
# the 26 directions of the coordinate stencil, and the same turned by a fixed rotation (an
# orthonormal basis drawn once with seed 0): valleys that run obliquely to the axes (a circle
# grazing a dipping strong layer) are followed instead of stalling the search
_ROTATION, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((3, 3)))
_STENCIL = np.concatenate([_AXES, _AXES @ _ROTATION])


@dataclass(frozen=True)
class SearchGrid:
    """Grid values of circle centres and radii, m: ``centre_x``, ``centre_y``, ``radius``."""

    centre_x: FloatArray
    centre_y: FloatArray
    radius: FloatArray


def slope_extent(section: Section) -> tuple[float, float, float, float]:
    """X and y of the toe and the crest of the slope, m.

    The toe is the lowest vertex next to the highest one, the crest the highest vertex next
    to the lowest one (so a slope facing either way has its toe and crest); when the ground
    undulates (the nearest highest and lowest vertices are the section's ends both ways),
    the ends of the section.
    """
    g = section.ground
    low = np.nonzero(np.isclose(g[:, 1], g[:, 1].min()))[0]
    high = np.nonzero(np.isclose(g[:, 1], g[:, 1].max()))[0]
    if low[-1] < high[0]:  # rises to the right: toe on the left
        toe, crest = int(low[-1]), int(high[0])
    elif high[-1] < low[0]:  # falls to the right: toe on the right
        toe, crest = int(low[0]), int(high[-1])
    else:  # ground undulates; take the whole section
        toe, crest = 0, len(g) - 1
    return float(g[toe, 0]), float(g[toe, 1]), float(g[crest, 0]), float(g[crest, 1])


def auto_search_grid(section: Section, n_points: int = 21) -> SearchGrid:
    """Size a grid of circle centres and radii from the slope's toe, crest and height.

    With the toe (x_t, y_t), crest (x_k, y_k), height H = y_k − y_t and run L = x_k − x_t:
    centres x in [x_t − (L+H)/4, x_k], y in [y_k, y_k + 1.5 (L+H)]; radii in
    [H/3, √(L² + H²) + 1.5 (L+H) + H] (a slope whose toe is on the right is mirrored:
    x in [x_k, x_t + (L+H)/4]). Circles that do not cut the ground inside the section are
    skipped by the search.

    Parameters
    ----------
    section : Section
        The slope section.
    n_points : int
        Values per grid axis, at least 3 (n³ circles). [-]

    Returns
    -------
    SearchGrid
        Grid values of centre x, centre y and radius. [m]

    Raises
    ------
    ValueError
        If ``n_points < 3``.

    Examples
    --------
    >>> from postmine.geotech.section import SoilLayer
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> g = auto_search_grid(sec, 5)
    >>> float(g.centre_x[0]), float(g.centre_y[-1]), float(g.radius[0]).__round__(2)
    (22.5, 80.0, 3.33)
    """
    if n_points < 3:
        raise ValueError(f"n_points must be >= 3, got {n_points}")
    x_t, y_t, x_k, y_k = slope_extent(section)
    height = max(abs(y_k - y_t), 1e-3)
    run = abs(x_k - x_t)
    size = run + height
    behind = size / 4.0 if x_t <= x_k else -size / 4.0  # beyond the toe, away from the crest
    return SearchGrid(
        centre_x=np.sort(np.linspace(x_t - behind, x_k, n_points)),
        centre_y=np.linspace(max(y_k, y_t), max(y_k, y_t) + 1.5 * size, n_points),
        radius=np.linspace(height / 3.0, np.hypot(run, height) + 1.5 * size + height, n_points),
    )


@dataclass(frozen=True)
class CriticalCircle:
    """Result of the critical-circle search of one method.

    ``centre_x``, ``centre_y``, ``radius`` [m] of the circle with the least factor by
    ``method``; ``factors`` maps each method name to its F [-] on that circle (so
    ``factors[method]`` is the minimum); ``lambdas`` the λ [-] of Spencer and
    Morgenstern–Price on it; ``n_evaluated`` trial circles of the whole search (grid and
    refinement, shared by the methods searched together) [-].
    """

    centre_x: float
    centre_y: float
    radius: float
    factors: dict[str, float]
    lambdas: dict[str, float]
    n_evaluated: int
    method: str = "bishop"


class _Evaluator:
    """F by given methods of batches of circles, sliced and solved ``chunk_size`` at a time."""

    def __init__(self, section: Section, n_slices: int, chunk_size: int) -> None:
        self.section = section
        self.n_slices = n_slices
        self.chunk_size = chunk_size
        self.evaluated = 0

    def __call__(
        self, xc: FloatArray, yc: FloatArray, r: FloatArray, methods: Sequence[Method]
    ) -> dict[str, FloatArray]:
        out: dict[str, FloatArray] = {m: np.full(xc.size, np.nan) for m in methods}
        for lo in range(0, xc.size, self.chunk_size):
            self._chunk(xc, yc, r, methods, slice(lo, lo + self.chunk_size), out)
        return out

    def _chunk(
        self,
        xc: FloatArray,
        yc: FloatArray,
        r: FloatArray,
        methods: Sequence[Method],
        rows: slice,
        out: dict[str, FloatArray],
    ) -> None:
        ok = np.isfinite(r[rows]) & (r[rows] > 0)
        if not np.any(ok):
            return
        idx = np.arange(xc.size)[rows][ok]
        self.evaluated += idx.size
        s = slice_circle(self.section, xc[idx], yc[idx], r[idx], self.n_slices, strict=False)
        f, _ = factors_of_safety(s, methods, retry=False)
        for m in methods:
            out[m][idx] = np.where(f[m] > 0, f[m], np.nan)


def _costly_rows(shape: tuple[int, int, int], bishop: FloatArray) -> FloatArray:
    """Flat indices solved by Spencer / M–P: a coarse sub-grid and the Bishop neighbourhood."""
    k = max(1, int(np.ceil((np.prod(shape) / COSTLY_GRID) ** (1.0 / 3.0))))
    ii, jj, ll = np.meshgrid(*(np.arange(0, n, k) for n in shape), indexing="ij")
    sub = np.ravel_multi_index((ii.ravel(), jj.ravel(), ll.ravel()), shape)
    order = np.argsort(np.where(np.isfinite(bishop), bishop, np.inf))[:NEIGHBOURHOOD]
    near = order[np.isfinite(bishop[order])]
    rows: FloatArray = np.union1d(sub, near)
    return rows


def _starts(f: FloatArray, shape: tuple[int, int, int], n_starts: int = N_STARTS) -> list[int]:
    """Up to ``n_starts`` flat indices of least F, each > 2 grid steps from the others."""
    starts: list[int] = []
    picked: list[FloatArray] = []
    for k in np.argsort(np.where(np.isfinite(f), f, np.inf)):
        if not np.isfinite(f[k]) or len(starts) == n_starts:
            break
        at = np.array(np.unravel_index(int(k), shape), dtype=float)
        if all(np.max(np.abs(at - p)) > 2 for p in picked):
            starts.append(int(k))
            picked.append(at)
    return starts


def _pattern_search(
    evaluate: _Evaluator,
    method: Method,
    start: FloatArray,
    start_f: FloatArray,
    step: FloatArray,
    tolerance: FloatArray,
) -> tuple[FloatArray, float]:
    """Batched pattern search of several starts in (x_c, y_c, y_t); the best point and F.

    Every iteration tries the 52 stencil directions of each active start at the steps h and
    0.35 h together (one batch: the solvers' cost is mostly per call, not per circle);
    a start moves to its best trial when that is lower, the step becoming the step that won
    (times 1.5 for the longest, at most twice the initial step); otherwise the step is
    divided by 8. A start stops when its step is below ``tolerance`` on every axis, or when
    it is 1 % above the best start once its step is below a quarter of the initial step.
    """
    v, fv = start.copy(), start_f.copy()
    step = np.broadcast_to(step, v.shape)
    h = step.copy()
    largest = 2.0 * step
    stencil = np.concatenate([_STENCIL * scale for scale in _SCALES])
    scale_of = np.repeat(_SCALES, _STENCIL.shape[0])
    for _ in range(MAX_ITERATIONS):
        going = np.any(h >= tolerance, axis=1)
        going &= ~((fv > 1.01 * np.min(fv)) & np.all(h < 0.25 * step, axis=1))
        active = np.nonzero(going)[0]
        if active.size == 0:
            break
        trial = v[active, None, :] + h[active, None, :] * stencil[None, :, :]
        flat = trial.reshape(-1, 3)
        f = evaluate(flat[:, 0], flat[:, 1], flat[:, 1] - flat[:, 2], (method,))[method]
        f = np.where(np.isfinite(f), f, np.inf).reshape(active.size, -1)
        best = np.argmin(f, axis=1)
        lower = f[np.arange(active.size), best] < fv[active] - 1e-12
        moved, kept = active[lower], active[~lower]
        v[moved] = trial[lower, best[lower]]
        fv[moved] = f[lower, best[lower]]
        won = scale_of[best[lower]][:, None]
        h[moved] = np.minimum(h[moved] * np.where(won == 1.0, 1.5, won), largest[moved])
        h[kept] *= 0.125
    k = int(np.argmin(fv))
    return v[k], float(fv[k])


def _grid_values(
    section: Section, grid: tuple[npt.ArrayLike | None, ...]
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return the given grid lines, or the default coarse grid's where a line is None."""
    auto = auto_search_grid(section, DEFAULT_POINTS)
    lines = [
        np.atleast_1d(np.asarray(given if given is not None else default, dtype=float)).ravel()
        for given, default in zip(grid, (auto.centre_x, auto.centre_y, auto.radius), strict=True)
    ]
    if lines[2].size == 0 or np.any(~np.isfinite(lines[2])) or np.any(lines[2] <= 0):
        raise ValueError(f"radius grid must hold values > 0 m, got {lines[2].tolist()}")
    if lines[0].size == 0 or lines[1].size == 0:
        raise ValueError("centre_x and centre_y grids must hold at least one value [m]")
    return lines[0], lines[1], lines[2]


def critical_circles(
    section: Section,
    centre_x: npt.ArrayLike | None = None,
    centre_y: npt.ArrayLike | None = None,
    radius: npt.ArrayLike | None = None,
    n_slices: int = 50,
    *,
    methods: Sequence[Method] = METHODS,
    refine: bool = True,
    chunk_size: int = CHUNK_SIZE,
    progress: Progress | None = None,
) -> dict[str, CriticalCircle]:
    """Search the critical circle of each method: its own minimum and its own circle.

    Grid pass in chunks, Spencer / Morgenstern–Price on a coarse sub-grid plus the Bishop
    neighbourhood, then a batched pattern search per method (the module's docstring gives
    the strategy). Peak memory is bounded by ``chunk_size`` whatever the grid size.

    Parameters
    ----------
    section : Section
        The slope section.
    centre_x, centre_y : array_like or None
        Grid values of the centre coordinates; None for the default coarse grid of
        :func:`auto_search_grid` (``DEFAULT_POINTS`` values). [m]
    radius : array_like or None
        Grid values of the radius, all > 0; None for the default grid. [m]
    n_slices : int
        Number of slices of every trial circle. [-]
    methods : sequence of {"ordinary", "bishop", "janbu", "spencer", "morgenstern_price"}
        Methods to search, each for its own minimum.
    refine : bool
        Refine each method's best grid circles by the pattern search (False: the grid's
        best circle of each method).
    chunk_size : int
        Circles sliced and solved at a time, at least 1. [-]
    progress : callable (done, total) or None
        Called after each chunk of work with the chunks done and the total. [-]

    Returns
    -------
    dict of str to CriticalCircle
        One entry per method, in the order given.

    Raises
    ------
    ValueError
        If a method is unknown, a grid is empty or a radius not positive, ``chunk_size < 1``,
        or no circle of the grid cuts the ground inside the section (or a method finds no
        factor of safety on any of them).

    Examples
    --------
    ACADS 1(a) (Slide2: Bishop 0.987, Spencer 0.986), the default search:

    >>> from postmine.geotech.section import SoilLayer
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> found = critical_circles(sec, methods=("bishop", "spencer"))
    >>> round(found["bishop"].factors["bishop"], 3), round(found["spencer"].factors["spencer"], 3)
    (0.985, 0.984)
    """
    wanted = list(dict.fromkeys(methods))
    unknown = [m for m in wanted if m not in METHODS]
    if unknown or not wanted:
        raise ValueError(f"methods must be a non-empty subset of {METHODS}, got {list(methods)}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
    lines = _grid_values(section, (centre_x, centre_y, radius))
    shape = (lines[0].size, lines[1].size, lines[2].size)
    gx, gy, gr = (g.ravel() for g in np.meshgrid(*lines, indexing="ij"))
    evaluate = _Evaluator(section, n_slices, chunk_size)
    cheap = [m for m in _CHEAP if m in wanted]
    if "bishop" not in cheap:  # the grid's Bishop F picks the neighbourhood (and checks)
        cheap.append("bishop")
    costly = [m for m in wanted if m not in _CHEAP]
    n_chunks = -(-gx.size // chunk_size)
    total = n_chunks + (n_chunks if costly else 0) + (len(wanted) if refine else 0)
    done = 0

    def tick(step: int = 1) -> None:
        nonlocal done
        done = min(done + step, total)
        if progress is not None:
            progress(done, total)

    grid_f: dict[str, FloatArray] = {}
    for lo in range(0, gx.size, chunk_size):
        rows = slice(lo, lo + chunk_size)
        for m, f in evaluate(gx[rows], gy[rows], gr[rows], cheap).items():
            grid_f.setdefault(m, np.full(gx.size, np.nan))[rows] = f
        tick()
    if np.all(np.isnan(grid_f["bishop"])):
        raise ValueError("no circle of the search grid cuts the ground inside the section")
    if costly:
        idx = _costly_rows(shape, grid_f["bishop"])
        for m in costly:
            grid_f[m] = np.full(gx.size, np.nan)
        for lo in range(0, idx.size, chunk_size):
            part = idx[lo : lo + chunk_size]
            for m, f in evaluate(gx[part], gy[part], gr[part], costly).items():
                grid_f[m][part] = f
        tick(n_chunks)
    spacing = np.array([np.ptp(v) / max(v.size - 1, 1) for v in lines])
    grid = _Grid(gx, gy, gr, shape, spacing)
    found: dict[str, CriticalCircle] = {}
    # cheap methods first: Bishop's refined circle also starts Spencer's and M–P's search
    for m in sorted(wanted, key=lambda m: m not in _CHEAP):
        seed = None
        if m not in _CHEAP and refine:
            if "bishop" not in found:
                found["bishop"] = _refined(
                    section, evaluate, "bishop", grid, grid_f["bishop"], True
                )
            seed = found["bishop"]
        found[m] = _refined(section, evaluate, m, grid, grid_f[m], refine, seed)
        if refine:
            tick()
    if progress is not None and done < total:
        progress(total, total)
    return {m: _with_count(found[m], evaluate.evaluated) for m in wanted}


def _with_count(circle: CriticalCircle, n: int) -> CriticalCircle:
    return CriticalCircle(
        circle.centre_x,
        circle.centre_y,
        circle.radius,
        circle.factors,
        circle.lambdas,
        n,
        circle.method,
    )


@dataclass(frozen=True)
class _Grid:
    """The flattened search grid: centre x, centre y, radius [m], its shape and spacing [m]."""

    x: FloatArray
    y: FloatArray
    r: FloatArray
    shape: tuple[int, int, int]
    spacing: FloatArray


def _refined(
    section: Section,
    evaluate: _Evaluator,
    method: Method,
    grid: _Grid,
    f: FloatArray,
    refine: bool,
    seed: CriticalCircle | None = None,
) -> CriticalCircle:
    """Pattern search of ``method`` from its best grid circles (and ``seed``, a quarter step).

    Every method's F on the circle found.
    """
    starts = _starts(f, grid.shape, N_STARTS if seed is None else N_STARTS_COSTLY)
    if not starts:
        raise ValueError(
            f"{method} found no factor of safety on any circle of the search grid that cuts "
            "the ground inside the section"
        )
    k = np.array(starts)
    v0 = np.column_stack([grid.x[k], grid.y[k], grid.y[k] - grid.r[k]])
    f0 = f[k]
    best = v0[0]
    if refine:
        # a single-valued axis (a one-circle "grid") gets 5 % of the radius
        step = np.where(grid.spacing > 0, grid.spacing, 0.05 * float(grid.r[k[0]]))
        steps = np.tile(step, (k.size, 1))
        if seed is not None:
            at = np.array([seed.centre_x, seed.centre_y, seed.centre_y - seed.radius])
            seed_f = evaluate(at[:1], at[1:2], at[1:2] - at[2:], (method,))[method]
            if np.isfinite(seed_f[0]):
                v0, f0 = np.vstack([at, v0]), np.concatenate([seed_f, f0])
                steps = np.vstack([0.25 * step, steps])
        extent = np.array([np.ptp(grid.x), np.ptp(grid.y), np.ptp(grid.y - grid.r)])
        extent = np.where(extent > 0, extent, 20.0 * step)
        best, _ = _pattern_search(evaluate, method, v0, f0, steps, TOLERANCE * extent)
    xc, yc, r = float(best[0]), float(best[1]), float(best[1] - best[2])
    final = slice_circle(section, xc, yc, r, evaluate.n_slices)
    all_f, all_lam = factors_of_safety(final)
    return CriticalCircle(
        centre_x=xc,
        centre_y=yc,
        radius=r,
        factors={m: float(v[0]) for m, v in all_f.items()},
        lambdas={m: float(v[0]) for m, v in all_lam.items()},
        n_evaluated=evaluate.evaluated,
        method=method,
    )


def critical_circle(
    section: Section,
    centre_x: npt.ArrayLike | None = None,
    centre_y: npt.ArrayLike | None = None,
    radius: npt.ArrayLike | None = None,
    n_slices: int = 50,
    *,
    refine: bool = True,
    method: Method = "bishop",
    chunk_size: int = CHUNK_SIZE,
    progress: Progress | None = None,
) -> CriticalCircle:
    """Search the circular slip surface of least factor by ``method``; report every method.

    :func:`critical_circles` for one method: the grid (default: the coarse automatic grid)
    in chunks of ``chunk_size`` circles, then the pattern search from the best three grid
    circles in distinct places.

    Parameters
    ----------
    section : Section
        The slope section.
    centre_x, centre_y : array_like or None
        Grid values of the centre coordinates; None for the default grid. [m]
    radius : array_like or None
        Grid values of the radius; None for the default grid. [m]
    n_slices : int
        Number of slices. [-]
    refine : bool
        Refine the best grid circles with the pattern search.
    method : {"ordinary", "bishop", "janbu", "spencer", "morgenstern_price"}
        Method whose factor is minimised.
    chunk_size : int
        Circles sliced and solved at a time. [-]
    progress : callable (done, total) or None
        Called after each chunk of work with the chunks done and the total. [-]

    Returns
    -------
    CriticalCircle

    Raises
    ------
    ValueError
        If no circle of the grid cuts the ground inside the section, or an argument is out
        of range (see :func:`critical_circles`).

    Examples
    --------
    ACADS 1(a) (reference 1.00; Slide2 Bishop 0.987):

    >>> from postmine.geotech.section import SoilLayer
    >>> sec = Section([(20, 25), (30, 25), (50, 35), (70, 35)], [SoilLayer(3.0, 19.6, 20.0)])
    >>> grid = np.linspace(25, 50, 6), np.linspace(35, 60, 6), np.linspace(10, 35, 6)
    >>> found = critical_circle(sec, *grid)
    >>> round(found.factors["bishop"], 2), round(found.factors["spencer"], 2)
    (0.99, 0.98)
    """
    return critical_circles(
        section,
        centre_x,
        centre_y,
        radius,
        n_slices,
        methods=(method,),
        refine=refine,
        chunk_size=chunk_size,
        progress=progress,
    )[method]
