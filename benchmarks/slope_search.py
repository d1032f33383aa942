"""Critical-circle search: postmine against xslope on ACADS 1(a), in one run (issue 6).

Builds the ACADS 1(a) homogeneous slope (Giam & Donald 1989; c' = 3 kPa, φ' = 19.6°,
γ = 20 kN/m³; ground (20, 25) – (30, 25) – (50, 35) – (70, 35) m with a firm base at
y = 20 m, the published geometry, as in ``data/geotech/verification/acads_1a.toml``) in
xslope and in postmine, runs each program's circular search with Bishop's simplified
method, and prints the trial circles and slices each evaluated, the best-of-N time per
search (warm-up excluded, ``time.perf_counter``), the speed ratio, and the factors of
safety by Bishop and Spencer with their deviation from the ACADS reference 1.00 and from
Slide2's Bishop 0.987.

How the search resolution is matched
------------------------------------
xslope's circular search (``xslope.search.circular_search``) needs at least one starting
circle in the model; the benchmark takes it from xslope's own generator
(``generate_starting_circles``, one circle here), as its Studio remedy does. Two xslope
modes are timed, both with Bishop's simplified method and 40 slices (its default):

* **seeded** (``seed="circles"``, the default of ``run_lem_analysis``) — an adaptive
  9-point centre grid around the starting circle, halved until the factor of safety stops
  improving, with a 3-point line search of the depth (radius) at every centre;
* **grid** (``seed="grid"``, its global search) — first a 10 × 5 grid of centres over a
  box derived from the slope (x from 0.75 H_m before the toe to 0.75 H_m past the crest,
  y from 0.25 H_m to 2.5 H_m above the crest, H_m = crest − model floor) against 6
  tangent elevations from the floor to mid-slope (300 circles at 20 slices), then the
  seeded refinement from the best circle of each tangent family and the starting circle.

postmine (``critical_circle``) evaluates a Cartesian grid of centre x, centre y and radius
at once, then refines the best circle with Nelder–Mead. Two postmine runs are printed:

* **same grid** — the same 10 × 5 centres as xslope's global sweep and 6 radii spanning
  the same circles (R from the lowest centre to mid-slope up to the highest centre to the
  floor; a Cartesian radius grid cannot repeat xslope's per-centre tangent radii exactly);
* **same budget** — that grid scaled up in each direction until grid + Nelder–Mead
  evaluate about as many trial circles as xslope's global search did.

Both postmine runs use 40 slices for every trial (xslope uses 20 in its sweep), and their
timed call also computes Ordinary, Janbu, Spencer and Morgenstern–Price on the critical
circle, which xslope's search does not; xslope's Spencer factor is computed afterwards on
its critical circle, outside the timing. Trial circles are counted in a separate, untimed
run by wrapping each program's slicer. xslope needs a model floor: it is put at
ACADS 1(a)'s firm base, y = 20 m, 5 m below the toe; postmine's lowest layer is
unbounded. The critical circle of both is tangent near the toe level (y ≈ 25 m), so the
floor is not active. xslope's progress
messages are sent to an in-memory buffer while it runs.

Benchmark environment
---------------------
xslope is installed into a separate environment, never into the package or the project's
``.venv`` (issue 6)::

    python -m venv .venv-bench
    .venv-bench/bin/pip install -e . xslope

Run: .venv-bench/bin/python benchmarks/slope_search.py [--repeat N]
"""

from __future__ import annotations

import contextlib
import io
import math
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import postmine.geotech as ss
import postmine.geotech.slip_search as search

INSTALL = (
    "python -m venv .venv-bench",
    ".venv-bench/bin/pip install -e . xslope",
)

# ACADS 1(a) (Giam & Donald 1989); Slide2 verification problem #1.
GROUND = [(20.0, 25.0), (30.0, 25.0), (50.0, 35.0), (70.0, 35.0)]
COHESION_KPA = 3.0
FRICTION_DEG = 19.6
UNIT_WEIGHT_KN_M3 = 20.0
FLOOR_Y = 20.0  # model floor for xslope: ACADS 1(a)'s firm base, m
REFERENCE_F = 1.00  # ACADS referee consensus
SLIDE_BISHOP_F = 0.987  # Slide2 verification manual, problem #1
N_SLICES = 40  # xslope's default in circular_search
TARGET_RATIO = 10.0


def best_of(fn: Callable[[], Any], repeat: int) -> float:
    """Least wall time of ``repeat`` calls, in s (the caller has already warmed up)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def import_xslope() -> Any:
    """Import xslope, or print how to install it into the benchmark env and exit 2."""
    try:
        import xslope.search
        import xslope.slice
        import xslope.solve
    except ImportError:
        print(
            "xslope is not importable; create the benchmark environment and run there:",
            file=sys.stderr,
        )
        for line in INSTALL:
            print(f"    {line}", file=sys.stderr)
        print("    .venv-bench/bin/python benchmarks/slope_search.py", file=sys.stderr)
        sys.exit(2)
    return xslope


def xslope_model(tmp: Path) -> dict[str, Any]:
    """The ACADS 1(a) model as xslope's slope_data, written to and read back from xlsx."""
    from xslope.fileio import default_template_path, load_slope_data, save_slope_data_to_xlsx
    from xslope.search import generate_starting_circles

    sd = load_slope_data(default_template_path())  # empty template: every key present
    material = {
        "name": "ACADS 1(a)",
        "gamma": UNIT_WEIGHT_KN_M3,
        "gamma_sat": UNIT_WEIGHT_KN_M3,
        "option": "mc",
        "c": COHESION_KPA,
        "phi": FRICTION_DEG,
        "u": "none",
        "ru": 0.0,
        # the remaining columns of the template's material sheet, inert here
        **dict.fromkeys(("cp", "r_elev", "d", "psi", "sigma_gamma", "sigma_c"), 0.0),
        **dict.fromkeys(("sigma_phi", "sigma_cp", "sigma_d", "sigma_psi", "k1", "k2"), 0.0),
        **dict.fromkeys(("alpha", "kr0", "h0", "vg_a", "vg_n", "E", "nu"), 0.0),
        **dict.fromkeys(("t_cut", "phi_b", "s_cap", "Ss", "Sy", "unsat"), None),
        **dict.fromkeys(("pow_a", "pow_b", "pow_c", "pow_d"), None),
        **dict.fromkeys(("hb_sci", "hb_gsi", "hb_mi", "hb_d"), None),
        "vg_l": 0.5,
    }
    sd.update(
        materials=[material],
        profile_lines=[{"mat_id": 0, "coords": GROUND}],
        max_depth=FLOOR_Y,
        gamma_water=9.81,
        unit_system="si",
        circular=True,
        circles=[],
    )
    path = tmp / "acads_1a.xlsx"
    with contextlib.redirect_stdout(io.StringIO()):
        save_slope_data_to_xlsx(sd, str(path))
        model: dict[str, Any] = load_slope_data(str(path))
    model["circles"] = generate_starting_circles(model)  # xslope's own starting circles
    return model


def xslope_search(xslope: Any, model: dict[str, Any], seed: str) -> tuple[Any, ...]:
    """xslope's circular search by Bishop; its messages go to a buffer."""
    with contextlib.redirect_stdout(io.StringIO()):
        result: tuple[Any, ...] = xslope.search.circular_search(
            model, "bishop", seed=seed, num_slices=N_SLICES
        )
    return result


def count_xslope(xslope: Any, model: dict[str, Any], seed: str) -> tuple[int, dict[int, int]]:
    """Trial circles xslope slices during one search, and how many at each slice count."""
    calls: dict[int, int] = {}
    original = xslope.search.generate_slices

    def counting(*args: Any, **kwargs: Any) -> Any:
        n = int(kwargs.get("num_slices", 40))
        calls[n] = calls.get(n, 0) + 1
        return original(*args, **kwargs)

    xslope.search.generate_slices = counting
    try:
        xslope_search(xslope, model, seed)
    finally:
        xslope.search.generate_slices = original
    return sum(calls.values()), calls


def count_postmine(section: ss.Section, grid: tuple[np.ndarray, ...]) -> tuple[int, int]:
    """Trial circles postmine slices in one search: (in the grid, in all)."""
    total = 0
    original = search.slice_circle

    def counting(*args: Any, **kwargs: Any) -> ss.Slices:
        nonlocal total
        slices = original(*args, **kwargs)
        total += slices.width.shape[0]
        return slices

    search.slice_circle = counting  # type: ignore[assignment]
    try:
        found = ss.critical_circle(section, *grid, n_slices=N_SLICES)
    finally:
        search.slice_circle = original  # type: ignore[assignment]
    return found.n_evaluated, total


def search_box() -> tuple[np.ndarray, np.ndarray, float, float]:
    """xslope's sweep box (search._grid_seed_circles): centre x and y lines, floor, mid-slope."""
    ys_g = [y for _, y in GROUND]
    y_hi, y_lo = max(ys_g), min(ys_g)
    x_toe = max(x for x, y in GROUND if y == y_lo)
    x_crest = min(x for x, y in GROUND if y == y_hi)
    h_m = max(y_hi - y_lo, y_hi - FLOOR_Y)
    xs = np.linspace(x_toe - 0.75 * h_m, x_crest + 0.75 * h_m, 10)
    ys = np.linspace(y_hi + 0.25 * h_m, y_hi + 2.5 * h_m, 5)
    return xs, ys, FLOOR_Y, 0.5 * (y_lo + y_hi)


def postmine_grid(scale: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centre x, centre y and radius lines over xslope's box, 10 × 5 × 6 times ``scale``."""
    xs, ys, floor, y_mid = search_box()
    n_x, n_y, n_r = (max(2, round(n * scale)) for n in (10, 5, 6))
    return (
        np.linspace(xs[0], xs[-1], n_x),
        np.linspace(ys[0], ys[-1], n_y),
        np.linspace(ys[0] - y_mid, ys[-1] - floor, n_r),
    )


def deviation(f: float) -> str:
    """F with its deviation from the ACADS reference and from Slide2's Bishop, in %."""
    d_ref = 100.0 * (f / REFERENCE_F - 1.0)
    d_slide = 100.0 * (f / SLIDE_BISHOP_F - 1.0)
    return f"{f:6.4f}  {d_ref:+6.2f} % vs 1.00   {d_slide:+6.2f} % vs Slide 0.987"


def main() -> None:
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    warnings.filterwarnings("ignore")
    xslope = import_xslope()
    import xslope as xs_pkg

    with tempfile.TemporaryDirectory() as tmp:
        model = xslope_model(Path(tmp))
    section = ss.Section(GROUND, [ss.SoilLayer(COHESION_KPA, FRICTION_DEG, UNIT_WEIGHT_KN_M3)])

    print("ACADS 1(a): c' = 3 kPa, φ' = 19.6°, γ = 20 kN/m³; reference 1.00, Slide2 Bishop 0.987")
    print(
        f"numpy {np.__version__}, xslope {getattr(xs_pkg, '__version__', '?')}, "
        f"python {sys.version.split()[0]}; best of {repeat} (xslope) / {repeat * 10} "
        "(postmine), warm-up excluded"
    )
    start = model["circles"][0]
    print(
        f"xslope starting circle (generate_starting_circles): x_c = {start['Xo']:.3f}, "
        f"y_c = {start['Yo']:.3f}, R = {start['R']:.3f} m"
    )

    # xslope: warm-up (also the result), count, time; both modes.
    xs_runs = {}
    for seed in ("circles", "grid"):
        sorted_cache, converged, _, _ = xslope_search(xslope, model, seed)
        best = sorted_cache[0]
        ok, spencer = xslope.solve.spencer(best["slices"])
        trials, by_slices = count_xslope(xslope, model, seed)
        t = best_of(lambda s=seed: xslope_search(xslope, model, s), repeat)
        xs_runs[seed] = (t, trials)
        by_n = ", ".join(f"{n} at {k} slices" for k, n in sorted(by_slices.items()))
        mode = "seeded" if seed == "circles" else "global grid"
        print()
        print(f"xslope circular_search(seed={seed!r}) — {mode}, Bishop, converged={converged}")
        print(f"  trial circles      {trials}  ({by_n})")
        print(f"  time per search    {t * 1e3:9.1f} ms   ({t / trials * 1e6:7.1f} µs / circle)")
        print(
            f"  critical circle    x_c = {best['Xo']:.3f}, y_c = {best['Yo']:.3f}, "
            f"R = {best['Yo'] - best['Depth']:.3f} m"
        )
        print(f"  Bishop   F = {deviation(float(best['FS']))}")
        f_spencer = float(spencer["FS"]) if ok else math.nan
        print(f"  Spencer  F = {deviation(f_spencer)}   (on its critical circle, not timed)")
        xs_bishop = float(best["FS"])  # the global search's, compared below
    t_seeded, _ = xs_runs["circles"]
    t_grid, xs_trials = xs_runs["grid"]

    # postmine, same grid and same trial budget as xslope's global search.
    same_grid = postmine_grid(1.0)
    _, pm_total_grid = count_postmine(section, same_grid)
    nm_trials = pm_total_grid - math.prod(g.size for g in same_grid)
    scale = max(1.0, (max(xs_trials - nm_trials, 300) / 300.0) ** (1.0 / 3.0))
    for label, grid in (("same grid", same_grid), ("same budget", postmine_grid(scale))):
        found = ss.critical_circle(section, *grid, n_slices=N_SLICES)  # warm-up
        n_grid, n_total = count_postmine(section, grid)
        t = best_of(lambda g=grid: ss.critical_circle(section, *g, n_slices=N_SLICES), repeat * 10)
        dims = " × ".join(str(g.size) for g in grid)
        print()
        print(f"postmine critical_circle, {label}: grid {dims} (x_c × y_c × R) + Nelder–Mead")
        print(
            f"  trial circles      {n_total}  ({n_grid} in the grid + {n_total - n_grid} "
            f"in the refinement and the report, all at {N_SLICES} slices)"
        )
        print(f"  time per search    {t * 1e3:9.1f} ms   ({t / n_total * 1e6:7.1f} µs / circle)")
        print(
            f"  critical circle    x_c = {found.centre_x:.3f}, y_c = {found.centre_y:.3f}, "
            f"R = {found.radius:.3f} m"
        )
        f_bishop = found.factors["bishop"]
        print(f"  Bishop   F = {deviation(f_bishop)}")
        print(f"  Spencer  F = {deviation(found.factors['spencer'])}   (inside the timed call)")
        for name, t_ref in (("global grid", t_grid), ("seeded", t_seeded)):
            ratio = t_ref / t
            verdict = "meets" if ratio >= TARGET_RATIO else "misses"
            print(
                f"  speed ratio postmine/xslope ({name:11s}) {ratio:6.1f}x  "
                f"({verdict} the 10x target of issue 6)"
            )
        closer = abs(xs_bishop - SLIDE_BISHOP_F) - abs(f_bishop - SLIDE_BISHOP_F)
        print(
            f"  Bishop F − xslope global F = {f_bishop - xs_bishop:+.5f} "
            f"(lower = better minimum); closer to Slide 0.987 by {closer:+.5f}"
        )


if __name__ == "__main__":
    main()
