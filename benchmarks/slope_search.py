"""Critical-circle search at DEFAULT settings: postmine against xslope, in one run (issue 14).

Problems: ACADS 1(a) (homogeneous) and 1(c) (three soils), as shipped in
``postmine/data/geotech/verification/acads_1a.toml`` and ``acads_1c.toml`` (Giam & Donald
1989; Slide2 verification problems #1 and #3). For each problem and for Bishop and Spencer
the benchmark runs

* **xslope** ``search.circular_search(model, method)`` with every option at its default
  (``seed="circles"``: the adaptive 9-point centre grid from the starting circle that
  xslope's own ``generate_starting_circles`` gives, 40 slices, ``fs_tol`` 5e-4), and
* **postmine** ``critical_circle(section, method=method)`` with every option at its default
  (the coarse automatic grid of 11³ circles in chunks of 2 000, then the batched pattern
  search of :mod:`postmine.geotech.circle_search`, 50 slices),

checks that both report the same minimum within 0.2 % (equal accuracy), and prints CPU
(``time.process_time``) and wall (``time.perf_counter``) times of the search call, their
ratios (xslope / postmine; target ≥ 10×), and the whole-process time of one search run as a
fresh ``python`` process (imports included). A two-faced dam is then searched on both
faces by postmine alone (xslope takes one facing per model). It also times
``analyse_slope`` on the file with its ``[search]`` grid removed — postmine's default
analysis, every method's own critical circle in one call — and reports postmine's peak
traced memory (``tracemalloc``, which counts numpy's buffers) for each call.

xslope needs a model floor: it is put at the problems' firm base, y = 20 m, 5 m below the
toe; postmine's lowest layer of 1(c) is the file's impenetrable base at y = 20 m, 1(a) is
unbounded below (its critical circle is tangent near the toe level, so the floor is idle).
xslope's progress messages go to an in-memory buffer.

Benchmark environment
---------------------
xslope is a benchmark-only dependency, never a dependency of the package (not in
pyproject.toml)::

    .venv/bin/pip install xslope        # into the venv, for this benchmark only

Run: .venv/bin/python benchmarks/slope_search.py [--repeat N] [--no-process]
Without xslope the postmine half still runs and xslope is skipped with a message.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import postmine
from postmine.geotech.section_file import SlopeFile, parse_section_file, read_section_file
from postmine.geotech.slip_search import critical_circle
from postmine.geotech.slope_analysis import analyse_slope

VERIFICATION = Path(postmine.__file__).parent / "data" / "geotech" / "verification"
PROBLEMS = ("acads_1a", "acads_1c")
METHODS = ("bishop", "spencer")
FLOOR_Y = 20.0  # model floor for xslope: the problems' firm base, m
SAME_MINIMUM = 0.002  # equal accuracy: both minima within 0.2 %
TARGET_RATIO = 10.0  # issue 14: at least 10× faster than xslope at defaults


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Least CPU and least wall time of ``repeat`` calls [s], and the last result."""
    cpu, wall, out = [], [], None
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        out = fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return min(cpu), min(wall), out


def traced_peak(fn: Callable[[], Any]) -> float:
    """Peak traced memory of one call, MB (tracemalloc counts numpy's allocations)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def import_xslope() -> Any | None:
    """Import xslope, or print that it is skipped and how to install it; None then."""
    try:
        import xslope.fileio
        import xslope.search
    except ImportError:
        print("xslope is not installed: its half of the benchmark is skipped.")
        print("    install it for the benchmark only: .venv/bin/pip install xslope")
        return None
    return xslope


def _material(name: str, c: float, phi: float, gamma: float) -> dict[str, Any]:
    """One row of xslope's material sheet (Mohr–Coulomb, dry); the other columns inert."""
    return {
        "name": name,
        "gamma": gamma,
        "gamma_sat": gamma,
        "option": "mc",
        "c": c,
        "phi": phi,
        "u": "none",
        "ru": 0.0,
        **dict.fromkeys(("cp", "r_elev", "d", "psi", "sigma_gamma", "sigma_c"), 0.0),
        **dict.fromkeys(("sigma_phi", "sigma_cp", "sigma_d", "sigma_psi", "k1", "k2"), 0.0),
        **dict.fromkeys(("alpha", "kr0", "h0", "vg_a", "vg_n", "E", "nu"), 0.0),
        **dict.fromkeys(("t_cut", "phi_b", "s_cap", "Ss", "Sy", "unsat"), None),
        **dict.fromkeys(("pow_a", "pow_b", "pow_c", "pow_d"), None),
        **dict.fromkeys(("hb_sci", "hb_gsi", "hb_mi", "hb_d"), None),
        "vg_l": 0.5,
    }


def xslope_model(xslope: Any, slope: SlopeFile, tmp: Path) -> dict[str, Any]:
    """The problem as xslope's slope_data (written to and read back from xlsx).

    Each soil layer of the file above the floor is a material whose profile line is its top
    (the ground for the first, the previous layer's bottom for the others).
    """
    from xslope.search import generate_starting_circles

    sec = slope.section
    sd = xslope.fileio.load_slope_data(xslope.fileio.default_template_path())
    materials, lines = [], []
    top = [tuple(map(float, p)) for p in sec.ground]
    for k, layer in enumerate(sec.layers):
        if k > 0 and min(y for _, y in top) <= FLOOR_Y:
            break  # at or below the floor: xslope's model ends there
        c, phi, gamma = layer.cohesion, layer.friction_angle, layer.unit_weight
        materials.append(_material(layer.name, c, phi, gamma))
        lines.append({"mat_id": len(materials) - 1, "coords": top})
        if layer.bottom is None:
            break
        top = [tuple(map(float, p)) for p in layer.bottom]
    sd.update(
        materials=materials,
        profile_lines=lines,
        max_depth=FLOOR_Y,
        gamma_water=9.81,
        unit_system="si",
        circular=True,
        circles=[],
    )
    path = tmp / "model.xlsx"
    with contextlib.redirect_stdout(io.StringIO()):
        xslope.fileio.save_slope_data_to_xlsx(sd, str(path))
        model: dict[str, Any] = xslope.fileio.load_slope_data(str(path))
    model["circles"] = generate_starting_circles(model)  # xslope's own starting circles
    return model


def xslope_search(xslope: Any, model: dict[str, Any], method: str) -> float:
    """xslope's circular search at its defaults; the least F."""
    with contextlib.redirect_stdout(io.StringIO()):
        cache, *_ = xslope.search.circular_search(model, method)
    return float(cache[0]["FS"])


def process_time_of(args: list[str]) -> tuple[float, float]:
    """Wall and CPU time of a fresh ``python`` process running this file with ``args``, s."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    w0 = time.perf_counter()
    subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True)
    wall = time.perf_counter() - w0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def single(program: str, problem: str, method: str) -> None:
    """One search in this process (for the whole-process timing)."""
    slope = read_section_file(VERIFICATION / f"{problem}.toml")
    if program == "postmine":
        critical_circle(slope.section, method=method)  # type: ignore[arg-type]
        return
    xslope = import_xslope()
    assert xslope is not None
    warnings.filterwarnings("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        xslope_search(xslope, xslope_model(xslope, slope, Path(tmp)), method)


def _row(label: str, f: float, cpu: float, wall: float, extra: str = "") -> None:
    print(f"  {label:34s} F = {f:7.4f}   cpu {cpu:8.3f} s   wall {wall:8.3f} s  {extra}")


def compare(problem: str, xslope: Any | None, repeat: int, whole: bool) -> list[str]:
    """Run both programs on one problem; print the rows; return the verdicts."""
    slope = read_section_file(VERIFICATION / f"{problem}.toml")
    section = slope.section
    print(f"\n{problem}: {slope.title}")
    verdicts = []
    model = None
    if xslope is not None:
        with tempfile.TemporaryDirectory() as tmp:
            model = xslope_model(xslope, slope, Path(tmp))
    for method in METHODS:
        critical_circle(section, method=method)  # type: ignore[arg-type]  # warm-up
        pm_cpu, pm_wall, found = timed(
            lambda m=method: critical_circle(section, method=m),
            repeat,
        )
        peak = traced_peak(lambda m=method: critical_circle(section, method=m))
        f_pm = found.factors[method]
        _row(
            f"postmine {method} (default)",
            f_pm,
            pm_cpu,
            pm_wall,
            f"{found.n_evaluated} circles, peak {peak:.0f} MB",
        )
        if whole:
            w, c = process_time_of(["--single", "postmine", problem, method])
            print(f"  {'':34s} whole process: wall {w:.2f} s, cpu {c:.2f} s")
        if xslope is None or model is None:
            continue
        xs_cpu, xs_wall, f_xs = timed(lambda m=method: xslope_search(xslope, model, m), 1)
        _row(f"xslope {method} (default)", f_xs, xs_cpu, xs_wall)
        if whole:
            w, c = process_time_of(["--single", "xslope", problem, method])
            print(f"  {'':34s} whole process: wall {w:.2f} s, cpu {c:.2f} s")
        same = abs(f_pm / f_xs - 1.0) <= SAME_MINIMUM
        r_cpu, r_wall = xs_cpu / pm_cpu, xs_wall / pm_wall
        ok = same and r_cpu >= TARGET_RATIO
        verdict = (
            f"{problem} {method}: postmine/xslope F {100 * (f_pm / f_xs - 1):+.2f} % "
            f"({'same minimum' if same else 'NOT the same minimum'} within 0.2 %), "
            f"{r_cpu:.1f}x faster (cpu), {r_wall:.1f}x (wall) — "
            f"{'meets' if ok else 'misses'} the 10x target"
        )
        print(f"  => {verdict}")
        verdicts.append(verdict)
    default = dataclasses.replace(slope, search=None)
    cpu, wall, analysis = timed(lambda: analyse_slope(default), repeat)
    peak = traced_peak(lambda: analyse_slope(default))
    own = ", ".join(f"{m} {f:.4f}" for m, f in analysis.factors.items())
    print(
        f"  postmine analyse_slope (default, every method's own circle): {own}\n"
        f"  {'':34s} cpu {cpu:.3f} s, wall {wall:.3f} s, {analysis.n_evaluated} circles, "
        f"peak {peak:.0f} MB"
    )
    return verdicts


DAM = {
    "format_version": 1,
    "title": "two-faced dam: 2H:1V upstream, 1.2H:1V downstream, 10 m high, c' = 5 kPa, 30°",
    "section": {"ground": [[0.0, 0.0], [20.0, 10.0], [25.0, 10.0], [37.0, 0.0]]},
    "layers": [
        {"name": "fill", "cohesion_kpa": 5.0, "friction_angle_deg": 30.0, "unit_weight_kn_m3": 19.0}
    ],
}


def dam(repeat: int) -> None:
    """postmine only: both faces of a dam searched at defaults (xslope takes one facing per
    model, from the ground's end elevations, so it has no two-faced counterpart)."""
    slope = parse_section_file(DAM)
    print(f"\ntwo-faced dam (postmine only): {slope.title}")
    for method in METHODS:
        cpu, wall, analysis = timed(lambda m=method: analyse_slope(slope, methods=(m,)), repeat)
        peak = traced_peak(lambda m=method: analyse_slope(slope, methods=(m,)))
        own = analysis.critical[method]
        assert own.circle is not None
        side = "downstream (right)" if own.circle[0] > 22.5 else "upstream (left)"
        _row(
            f"postmine {method}, both faces",
            own.factor,
            cpu,
            wall,
            f"{analysis.n_evaluated} circles, peak {peak:.0f} MB, critical face {side}",
        )


def main() -> None:
    if "--single" in sys.argv:
        k = sys.argv.index("--single")
        single(*sys.argv[k + 1 : k + 4])
        return
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    whole = "--no-process" not in sys.argv
    warnings.filterwarnings("ignore")
    xslope = import_xslope()
    import numpy as np

    version = "not installed"
    if xslope is not None:
        from importlib.metadata import version as pkg_version

        version = pkg_version("xslope")
    print(
        f"postmine {postmine.__version__}, xslope {version}, numpy {np.__version__}, "
        f"python {sys.version.split()[0]}; postmine best of {repeat}, xslope one run; "
        "both at their default settings"
    )
    verdicts = []
    for problem in PROBLEMS:
        verdicts += compare(problem, xslope, repeat, whole)
    dam(repeat)
    if verdicts:
        print("\nSummary")
        for v in verdicts:
            print(f"  {v}")


if __name__ == "__main__":
    main()
