"""Tests of the critical-surface searches: automatic circle grid and non-circular search.

Properties checked, each against a value not computed by the code under test: the published
ACADS 1(a) critical circle, the F of the starting surface built here, a weak-layer band
known from the section's geometry, and the circular F by the (separately verified) circle
search.

References
----------
[ACADS] Giam P. S. K., Donald I. B. (1989). Example problems for testing soil slope
    stability programs. Monash University, problem 1(a); Rocscience Slide2 Verification
    Manual, problem #1 (Bishop 0.987).
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import optimize

import postmine
from postmine.geotech.limit_equilibrium import Method, factors_of_safety
from postmine.geotech.section import Section, SoilLayer
from postmine.geotech.section_file import SlopeFile, read_section_file, slope_faces
from postmine.geotech.slicing import slice_circle, slice_surface
from postmine.geotech.slip_search import (
    CriticalCircle,
    CriticalSurface,
    auto_search_grid,
    critical_circle,
    critical_circles,
    critical_surface,
)

REFERENCE_TOL = 0.015  # issue 6 acceptance: 1.5 % of the published factor
NONCIRCULAR_GAIN = 0.02  # homogeneous slope: non-circular F at most 2 % below the circle
START_TOL = 1e-6  # same polyline built twice; its ends from 801-sample interpolation (2e-8)

ACADS_1A_GROUND = [(20.0, 25.0), (30.0, 25.0), (50.0, 35.0), (70.0, 35.0)]
ACADS_1A = Section(ACADS_1A_GROUND, [SoilLayer(3.0, 19.6, 20.0)])
# Published ACADS 1(a) critical circle: centre (29.6, 48.5) for the slope drawn 5 m lower
# (toe at y = 20), i.e. (29.6, 53.5) here; it is tangent to the toe level y = 25: R = 28.5.
ACADS_1A_CENTRE = (29.6, 53.5)
ACADS_1A_RADIUS = 28.5
ACADS_1A_BISHOP = 0.987  # Slide2 verification manual problem #1

# A 10 m high 2H:1V slope in a strong soil with a 0.5 m weak horizontal layer 2 m below the
# toe (c' = 0, φ' = 10°): the critical surface must run along the layer.
WEAK_TOP, WEAK_BOTTOM = -2.0, -2.5
WEAK_PHI = 10.0
WEAK_SECTION = Section(
    [(0.0, 0.0), (20.0, 0.0), (40.0, 10.0), (70.0, 10.0)],
    [
        SoilLayer(10.0, 32.0, 20.0, bottom=[(0.0, WEAK_TOP), (70.0, WEAK_TOP)], name="upper"),
        SoilLayer(
            0.0, WEAK_PHI, 20.0, bottom=[(0.0, WEAK_BOTTOM), (70.0, WEAK_BOTTOM)], name="weak"
        ),
        SoilLayer(10.0, 32.0, 20.0, name="lower"),
    ],
)
# A vertex may dip a few mm below the layer while the chord bases of its slices stay in it:
# allow 10 % of the layer thickness.
BAND_TOL = 0.05


def auto_circle(section: Section) -> CriticalCircle:
    grid = auto_search_grid(section, 11)
    return critical_circle(section, grid.centre_x, grid.centre_y, grid.radius)


@pytest.fixture(scope="module")
def acads_circle() -> CriticalCircle:
    return auto_circle(ACADS_1A)


@pytest.fixture(scope="module")
def acads_surface(acads_circle: CriticalCircle) -> CriticalSurface:
    return critical_surface(ACADS_1A, acads_circle, max_generations=40)


@pytest.fixture(scope="module")
def weak_circle() -> CriticalCircle:
    return auto_circle(WEAK_SECTION)


@pytest.fixture(scope="module")
def weak_surface(weak_circle: CriticalCircle) -> CriticalSurface:
    return critical_surface(WEAK_SECTION, weak_circle, max_generations=20)


# --------------------------------------------------------------------------------------
# auto_search_grid
# --------------------------------------------------------------------------------------


def test_auto_grid_contains_acads_critical_circle() -> None:
    grid = auto_search_grid(ACADS_1A)
    assert grid.centre_x[0] < ACADS_1A_CENTRE[0] < grid.centre_x[-1]
    assert grid.centre_y[0] < ACADS_1A_CENTRE[1] < grid.centre_y[-1]
    assert grid.radius[0] < ACADS_1A_RADIUS < grid.radius[-1]
    for values in (grid.centre_x, grid.centre_y, grid.radius):
        assert np.all(np.diff(values) > 0)


def test_auto_grid_search_finds_acads_critical_circle() -> None:
    grid = auto_search_grid(ACADS_1A)
    found = critical_circle(ACADS_1A, grid.centre_x, grid.centre_y, grid.radius)
    # Tolerance: 1.5 % (issue 6) on the published Bishop factor.
    assert_allclose(found.factors["bishop"], ACADS_1A_BISHOP, rtol=REFERENCE_TOL)
    # Tolerance: one grid cell of the default 21-point grid in each direction (the published
    # centre is quoted to 0.1 m and the minimum is flat along the line of tangent circles).
    assert abs(found.centre_x - ACADS_1A_CENTRE[0]) <= np.diff(grid.centre_x)[0]
    assert abs(found.centre_y - ACADS_1A_CENTRE[1]) <= np.diff(grid.centre_y)[0]
    assert abs(found.radius - ACADS_1A_RADIUS) <= np.diff(grid.radius)[0]


@pytest.mark.parametrize("n_points", [2, 0, -5])
def test_auto_grid_bad_points(n_points: int) -> None:
    with pytest.raises(ValueError, match=f"n_points must be >= 3, got {n_points}"):
        auto_search_grid(ACADS_1A, n_points)


# --------------------------------------------------------------------------------------
# critical_surface
# --------------------------------------------------------------------------------------


def test_search_never_above_its_start(
    acads_surface: CriticalSurface, weak_surface: CriticalSurface
) -> None:
    for found in (acads_surface, weak_surface):
        assert found.method == "spencer"
        assert np.isfinite(found.factors["spencer"])
        assert found.factors["spencer"] <= found.start_factor  # no tolerance: best-so-far


def test_search_homogeneous_slope_close_to_circle(
    acads_circle: CriticalCircle, acads_surface: CriticalSurface
) -> None:
    # On a homogeneous slope the critical surface is nearly circular: the non-circular
    # Spencer F lies at most 2 % below the critical circle's (measured: 0.13 % below).
    circle_f = acads_circle.factors["spencer"]
    found_f = acads_surface.factors["spencer"]
    assert (1.0 - NONCIRCULAR_GAIN) * circle_f <= found_f <= circle_f
    # the result is a concave-upward polyline with its ends on the ground
    pts = acads_surface.points
    slopes = np.diff(pts[:, 1]) / np.diff(pts[:, 0])
    assert np.all(np.diff(slopes) >= -1e-9)
    ground = np.interp(pts[[0, -1], 0], *np.array(ACADS_1A_GROUND).T)
    assert_allclose(pts[[0, -1], 1], ground, atol=1e-9)


def test_search_follows_weak_layer(
    weak_circle: CriticalCircle, weak_surface: CriticalSurface
) -> None:
    circle_f = weak_circle.factors["spencer"]
    found_f = weak_surface.factors["spencer"]
    # clearly below: at least 10 % lower than the critical circle (about 22 % here)
    assert found_f < 0.9 * circle_f
    pts = weak_surface.points
    in_band = (pts[:, 1] <= WEAK_TOP + 1e-9) & (pts[:, 1] >= WEAK_BOTTOM - BAND_TOL)
    assert in_band.sum() >= 3
    assert in_band[np.argmin(pts[:, 1])]
    # at least a quarter of the base length lies in the weak layer (c' = 0, φ' = 10°; about
    # a third here), more than on the critical circle, which can only cut the 0.5 m layer
    # with its flat lowest arc (about a quarter)
    s = slice_surface(WEAK_SECTION, pts, 80)
    weak = np.isclose(s.tan_phi[0], np.tan(np.radians(WEAK_PHI)))
    length = s.base_length[0]
    assert length[weak].sum() >= 0.25 * length.sum()
    arc = slice_circle(
        WEAK_SECTION, weak_circle.centre_x, weak_circle.centre_y, weak_circle.radius, 80
    )
    arc_weak = np.isclose(arc.tan_phi[0], np.tan(np.radians(WEAK_PHI)))
    arc_fraction = arc.base_length[0][arc_weak].sum() / arc.base_length[0].sum()
    assert length[weak].sum() / length.sum() > arc_fraction


def test_search_reproducible_with_seed(acads_circle: CriticalCircle) -> None:
    # Seeded differential evolution and evolution strategy: bit-identical results.
    first = critical_surface(ACADS_1A, acads_circle, max_generations=8, seed=3)
    second = critical_surface(ACADS_1A, acads_circle, max_generations=8, seed=3)
    assert_array_equal(first.points, second.points)
    assert first.factors == second.factors
    assert first.n_evaluated == second.n_evaluated


# The starting surface. Built here independently: the polyline of n_vertices vertices on the
# circle, equally spaced in x between the circle's entry and its exit on the ground (found
# with brentq on the exact circle), sliced with the section's tension crack.

START_CIRCLE = (35.0, 50.0, 25.0)  # x_c, y_c, R [m], cuts the ACADS 1(a) face and crest


def circle_ground_crossings() -> tuple[float, float]:
    xc, yc, r = START_CIRCLE
    gx, gy = np.array(ACADS_1A_GROUND).T

    def gap(x: float) -> float:
        return float(np.interp(x, gx, gy) - (yc - np.sqrt(r**2 - (x - xc) ** 2)))

    return (
        float(optimize.brentq(gap, xc - r + 1e-9, xc, xtol=1e-12)),
        float(optimize.brentq(gap, xc, xc + r - 1e-9, xtol=1e-12)),
    )


def inscribed_polyline(n_vertices: int) -> npt.NDArray[np.float64]:
    xc, yc, r = START_CIRCLE
    x_in, x_out = circle_ground_crossings()
    xs = np.linspace(x_in, x_out, n_vertices)
    return np.column_stack([xs, yc - np.sqrt(r**2 - (xs - xc) ** 2)])


@pytest.mark.parametrize("start_kind", ["circle", "polyline"])
@pytest.mark.parametrize("crack", [0.0, 2.0])
def test_search_starts_from_the_given_surface(start_kind: str, crack: float) -> None:
    section = Section(ACADS_1A_GROUND, [SoilLayer(3.0, 19.6, 20.0)], tension_crack_depth=crack)
    n_vertices, n_slices = 9, 40
    xc, yc, r = START_CIRCLE
    start: CriticalCircle | npt.NDArray[np.float64]
    if start_kind == "circle":
        start = CriticalCircle(xc, yc, r, factors={}, lambdas={}, n_evaluated=0)
    else:  # the circle as a dense polyline from 0.5 m outside both ends
        x_in, x_out = circle_ground_crossings()
        xs = np.linspace(x_in - 0.5, x_out + 0.5, 2001)
        start = np.column_stack([xs, yc - np.sqrt(r**2 - (xs - xc) ** 2)])
    found = critical_surface(
        section, start, n_vertices=n_vertices, n_slices=n_slices, max_generations=1
    )
    expected, _ = factors_of_safety(
        slice_surface(section, inscribed_polyline(n_vertices), n_slices), ("spencer",)
    )
    # With a crack the starting surface must still be the circle (ending on the ground,
    # then cut by the crack), not the circle's part up to the crack lifted to the ground.
    assert_allclose(found.start_factor, expected["spencer"][0], rtol=START_TOL)
    assert found.factors["spencer"] <= found.start_factor


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "fellenius"}, "method must be one of"),
        ({"n_vertices": 2}, "n_vertices must be >= 3, got 2"),
        ({"population": 3}, "population must be >= 4, got 3"),
        ({"max_generations": 0}, "max_generations must be >= 1, got 0"),
        ({"start": [(20.0, 40.0), (70.0, 45.0)]}, "does not cut the ground"),
    ],
)
def test_search_bad_arguments(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        critical_surface(ACADS_1A, **kwargs)  # type: ignore[arg-type]


def test_grid_search_speed_shape() -> None:
    # 9 261 circles × 50 slices are evaluated in chunks of (2000, 50) arrays, every one counted.
    grid = np.linspace(25, 50, 21), np.linspace(35, 60, 21), np.linspace(10, 35, 21)
    found = critical_circle(ACADS_1A, *grid, refine=False)
    assert found.n_evaluated == 21**3
    assert_allclose(found.factors["bishop"], 0.987, rtol=REFERENCE_TOL)


def test_no_circle_of_the_grid_cuts_the_ground() -> None:
    with pytest.raises(ValueError, match="no circle"):
        critical_circle(ACADS_1A, [40.0], [200.0], [5.0])


# --------------------------------------------------------------------------------------
# each method's own critical circle (circle_search), bounded memory, progress
# --------------------------------------------------------------------------------------

VERIFICATION_DIR = Path(postmine.__file__).parent / "data" / "geotech" / "verification"
SEARCHED = [
    p for p in sorted(VERIFICATION_DIR.glob("*.toml")) if read_section_file(p).search is not None
]
DEFAULT_TOL = 0.003  # issue 14: the default search within 0.3 % of the converged minimum
OWN_TOL = 0.001  # issue 14 brief: Spencer / M–P's own search within 0.1 % of brute force
MEMORY_LIMIT = 300e6  # issue 14: peak memory < 300 MB for any grid size, bytes


def _face_file(path: Path) -> SlopeFile:
    """The first face of a verification file, in the engine's convention."""
    return slope_faces(read_section_file(path))[0][1]


def _file_grid(part: SlopeFile, refine: int = 1) -> list[npt.NDArray[np.float64]]:
    """The file's [search] grid lines (the automatic ones where it gives none), ``refine``×."""
    assert part.search is not None
    auto = auto_search_grid(part.section, 21)
    lines = []
    for spec, default in zip(
        (part.search.centre_x, part.search.centre_y, part.search.radius),
        (auto.centre_x, auto.centre_y, auto.radius),
        strict=True,
    ):
        lo, hi, n = (default[0], default[-1], default.size) if spec is None else spec
        lines.append(np.linspace(lo, hi, (int(n) - 1) * refine + 1))
    return lines


def _brute_force(
    section: Section, lines: list[npt.NDArray[np.float64]], n_slices: int, method: Method
) -> float:
    """Least F by ``method`` over every circle of the grid, in chunks, no refinement."""
    gx, gy, gr = (g.ravel() for g in np.meshgrid(*lines, indexing="ij"))
    best = np.inf
    for lo in range(0, gx.size, 4000):
        rows = slice(lo, lo + 4000)
        s = slice_circle(section, gx[rows], gy[rows], gr[rows], n_slices, strict=False)
        f, _ = factors_of_safety(s, (method,), retry=False)
        best = min(best, float(np.nanmin(np.where(np.isfinite(f[method]), f[method], np.inf))))
    return best


@pytest.mark.parametrize("path", SEARCHED, ids=[p.stem for p in SEARCHED])
def test_default_search_reaches_the_converged_minimum(path: Path) -> None:
    """Default search (coarse 11³ grid + refinement, 2–5 k circles) vs the file's fine grid
    (17–60 k circles) refined the same way: Bishop within 0.3 % (measured: within 0.1 %;
    against the file's grid at twice its resolution too, by a script run once)."""
    part = _face_file(path)
    assert part.search is not None
    n_slices = part.search.n_slices
    default = critical_circle(part.section, n_slices=n_slices)
    fine = critical_circle(part.section, *_file_grid(part), n_slices=n_slices)
    converged = min(fine.factors["bishop"], default.factors["bishop"])
    assert default.factors["bishop"] <= (1.0 + DEFAULT_TOL) * converged
    assert default.n_evaluated < 0.5 * fine.n_evaluated  # far fewer trial circles


@pytest.mark.parametrize("name", ["acads_1a", "acads_1c"])
@pytest.mark.parametrize("method", ["bishop", "spencer", "morgenstern_price"])
def test_own_search_matches_brute_force(name: str, method: Method) -> None:
    """Each method's own default search vs the least of brute force over the file's grid
    (17–22 k circles, every one solved by that method) and a search of that grid at twice
    its resolution refined the same way: within 0.1 %. (On 1(c) the brute-force grid misses
    the narrow valley by 0.4 % for Bishop; the refined searches agree.)"""
    part = _face_file(VERIFICATION_DIR / f"{name}.toml")
    assert part.search is not None
    n_slices = part.search.n_slices
    own = critical_circles(part.section, n_slices=n_slices, methods=(method,))[method]
    brute = _brute_force(part.section, _file_grid(part), n_slices, method)
    fine = critical_circles(part.section, *_file_grid(part, 2), n_slices, methods=(method,))
    best = min(brute, fine[method].factors[method])
    assert own.method == method
    assert abs(own.factors[method] / best - 1.0) <= OWN_TOL


def test_each_method_has_its_own_circle() -> None:
    """Every method's own minimum is at most its F on Bishop's critical circle."""
    found = critical_circles(ACADS_1A)
    bishop = found["bishop"]
    assert list(found) == ["ordinary", "bishop", "janbu", "spencer", "morgenstern_price"]
    for method, circle in found.items():
        assert circle.method == method
        assert circle.factors[method] <= bishop.factors[method] * (1.0 + 1e-9)
    # Janbu (force equilibrium only) and Bishop settle on clearly different circles
    janbu = found["janbu"]
    assert abs(janbu.centre_y - bishop.centre_y) + abs(janbu.radius - bishop.radius) > 1.0


def test_chunk_size_does_not_change_the_result() -> None:
    grid = np.linspace(25, 50, 9), np.linspace(35, 60, 9), np.linspace(10, 35, 9)
    big = critical_circles(ACADS_1A, *grid, methods=("bishop", "spencer"))
    small = critical_circles(ACADS_1A, *grid, methods=("bishop", "spencer"), chunk_size=200)
    for method in ("bishop", "spencer"):
        assert_allclose(small[method].factors[method], big[method].factors[method], rtol=1e-12)
        assert small[method].n_evaluated == big[method].n_evaluated


def test_peak_memory_bounded_on_a_50_cubed_grid() -> None:
    """125 000 circles × 50 slices: tracemalloc (which counts numpy's buffers) peak < 300 MB
    (the unchunked search needed about 3.5 GB)."""
    grid = auto_search_grid(ACADS_1A, 50)
    tracemalloc.start()
    try:
        found = critical_circles(ACADS_1A, *grid.__dict__.values(), methods=("bishop", "spencer"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found["bishop"].n_evaluated >= 50**3
    assert peak < MEMORY_LIMIT, f"peak {peak / 1e6:.0f} MB"
    assert_allclose(found["bishop"].factors["bishop"], ACADS_1A_BISHOP, rtol=REFERENCE_TOL)


def _recorder() -> tuple[list[tuple[int, int]], Callable[[int, int], None]]:
    calls: list[tuple[int, int]] = []
    return calls, lambda done, total: calls.append((done, total))


def _check_progress(calls: list[tuple[int, int]]) -> None:
    assert calls, "progress was never called"
    totals = {total for _, total in calls}
    assert len(totals) == 1
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert done[0] > 0 and done[-1] == calls[-1][1]


def test_progress_of_the_circle_search() -> None:
    calls, progress = _recorder()
    grid = np.linspace(25, 50, 21), np.linspace(35, 60, 21), np.linspace(10, 35, 21)
    critical_circles(ACADS_1A, *grid, methods=("bishop", "spencer"), progress=progress)
    _check_progress(calls)
    # 9 261 circles: 5 grid chunks of 2 000, the Spencer pass, two refinements
    assert calls[-1][1] == 5 + 5 + 2


def test_progress_of_the_noncircular_search(acads_circle: CriticalCircle) -> None:
    calls, progress = _recorder()
    critical_surface(ACADS_1A, acads_circle, max_generations=5, progress=progress)
    _check_progress(calls)
    assert calls[-1][1] == 1 + 5 * 5


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"methods": ("fellenius",)}, "methods must be"),
        ({"methods": ()}, "methods must be"),
        ({"chunk_size": 0}, "chunk_size must be >= 1, got 0"),
        ({"radius": [-1.0, 5.0]}, "radius grid must hold values > 0 m"),
    ],
)
def test_circle_search_bad_arguments(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        critical_circles(ACADS_1A, **kwargs)
