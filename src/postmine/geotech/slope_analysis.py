"""Slope analysis workflow: a section file in, factors of safety, critical surface and plot out.

:func:`analyse_slope` runs what a :class:`~postmine.geotech.section_file.SlopeFile` asks
for — the factors of one given surface, or a critical-circle search (its grid or
:func:`~postmine.geotech.slip_search.auto_search_grid`) optionally followed by the
non-circular search — and compares the result with the file's published reference.
:func:`plot_slope` draws the section with its layers, water, loads and the slip surface.
"""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from postmine.core.files import write_atomic
from postmine.geotech.section_file import SlopeFile
from postmine.geotech.slip_search import auto_search_grid, critical_surface
from postmine.geotech.slope_stability import (
    METHODS,
    FloatArray,
    Section,
    Slices,
    critical_circle,
    factors_of_safety,
    slice_circle,
    slice_surface,
)

__all__ = ["ReferenceCheck", "SlopeAnalysis", "analyse_slope", "plot_slope"]

Kind = Literal["given circle", "given polyline", "circular search", "noncircular search"]


@dataclass(frozen=True)
class ReferenceCheck:
    """One published factor against ours.

    ``method``, ``published`` and ``computed`` [-], ``difference`` relative [-],
    ``tolerance`` relative [-], ``passed``.
    """

    method: str
    published: float
    computed: float
    difference: float
    tolerance: float
    passed: bool


@dataclass(frozen=True)
class SlopeAnalysis:
    """Result of :func:`analyse_slope`.

    ``factors`` F by method [-]; ``lambdas`` λ of Spencer / Morgenstern–Price [-];
    ``surface`` (m, 2) slip surface from entry to exit [m]; ``circle`` (x_c, y_c, R) [m] or
    None; ``axis`` moment axis [m]; ``n_slices`` [-]; ``n_evaluated`` trial surfaces [-];
    ``seconds`` wall time [s]; ``checks`` against the published reference.
    """

    title: str
    kind: Kind
    factors: dict[str, float]
    lambdas: dict[str, float]
    surface: FloatArray
    circle: tuple[float, float, float] | None
    axis: tuple[float, float]
    n_slices: int
    n_evaluated: int
    seconds: float
    slices: Slices = field(repr=False)
    checks: tuple[ReferenceCheck, ...] = ()
    minimised: str = "bishop"

    @property
    def minimum(self) -> tuple[str, float]:
        """The lowest factor of safety and its method."""
        finite = {m: f for m, f in self.factors.items() if np.isfinite(f)}
        method = min(finite, key=lambda m: finite[m])
        return method, finite[method]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary with units in the key names."""

        def num(v: float) -> float | None:
            return float(v) if np.isfinite(v) else None

        return {
            "title": self.title,
            "kind": self.kind,
            "minimised_method": self.minimised,
            "factors": {m: num(f) for m, f in self.factors.items()},
            "lambdas": {m: num(v) for m, v in self.lambdas.items()},
            "circle_m": None
            if self.circle is None
            else dict(zip(("centre_x", "centre_y", "radius"), self.circle, strict=True)),
            "surface_m": self.surface.round(4).tolist(),
            "axis_m": list(self.axis),
            "entry_x_m": float(self.slices.entry_x[0]),
            "exit_x_m": float(self.slices.exit_x[0]),
            "n_slices": self.n_slices,
            "n_evaluated": self.n_evaluated,
            "seconds": round(self.seconds, 4),
            "reference_checks": [c.__dict__ for c in self.checks],
        }


def _grid(spec: tuple[float, float, int] | None, default: FloatArray) -> FloatArray:
    return default if spec is None else np.linspace(spec[0], spec[1], int(spec[2]))


def analyse_slope(
    slope: SlopeFile,
    *,
    noncircular: bool | None = None,
    section: Section | None = None,
) -> SlopeAnalysis:
    """Run the analysis a slope file asks for and compare with its published reference.

    With a ``[surface]`` the factors of that surface by every method; otherwise the
    critical circle of the ``[search]`` grid (or of :func:`auto_search_grid`), refined by
    Nelder–Mead, and — for ``kind = "noncircular"`` — the non-circular search started from
    it (:func:`~postmine.geotech.slip_search.critical_surface`).

    Parameters
    ----------
    slope : SlopeFile
        A validated section file.
    noncircular : bool or None
        Override the search kind of the file (True: non-circular, False: circular).
    section : Section or None
        Use this section instead of the file's (e.g. with live pore pressure).

    Returns
    -------
    SlopeAnalysis

    Raises
    ------
    ValueError
        If the given surface does not cut the ground inside the section, or no surface of
        the search has a factor of safety.
    """
    sec = slope.section if section is None else section
    started = time.perf_counter()
    checks: list[ReferenceCheck] = []
    if slope.surface is not None:
        given = slope.surface
        if given.circular:
            assert given.centre_x is not None and given.centre_y is not None
            assert given.radius is not None
            slices = slice_circle(sec, given.centre_x, given.centre_y, given.radius, given.n_slices)
            kind: Kind = "given circle"
            circle: tuple[float, float, float] | None = (
                given.centre_x,
                given.centre_y,
                given.radius,
            )
        else:
            assert given.points is not None
            slices = slice_surface(sec, given.points, given.n_slices)
            kind, circle = "given polyline", None
        all_f, all_lam = factors_of_safety(slices)
        factors = {m: float(v[0]) for m, v in all_f.items()}
        lambdas = {m: float(v[0]) for m, v in all_lam.items()}
        n_evaluated, n_slices, minimised = 1, given.n_slices, "given"
    else:
        spec = slope.search
        auto = auto_search_grid(sec)
        n_slices = 50 if spec is None else spec.n_slices
        found = critical_circle(
            sec,
            _grid(None if spec is None else spec.centre_x, auto.centre_x),
            _grid(None if spec is None else spec.centre_y, auto.centre_y),
            _grid(None if spec is None else spec.radius, auto.radius),
            n_slices,
        )
        want_noncircular = (
            (spec is not None and spec.kind == "noncircular")
            if noncircular is None
            else noncircular
        )
        if want_noncircular:
            method = "spencer" if spec is None else spec.method
            best = critical_surface(
                sec,
                found,
                method=method,
                n_slices=min(n_slices, 40),
                seed=0 if spec is None else spec.seed,
            )
            slices = slice_surface(sec, best.points, n_slices)
            all_f, all_lam = factors_of_safety(slices)
            factors = {m: float(v[0]) for m, v in all_f.items()}
            lambdas = {m: float(v[0]) for m, v in all_lam.items()}
            kind, circle = "noncircular search", None
            n_evaluated, minimised = found.n_evaluated + best.n_evaluated, method
        else:
            slices = slice_circle(sec, found.centre_x, found.centre_y, found.radius, n_slices)
            factors, lambdas = dict(found.factors), dict(found.lambdas)
            kind = "circular search"
            circle = (found.centre_x, found.centre_y, found.radius)
            n_evaluated, minimised = found.n_evaluated, "bishop"
    if slope.reference is not None:
        ref = slope.reference
        for name, published in ref.factors.items():
            ours = factors.get(name, float("nan"))
            diff = ours / published - 1.0
            checks.append(
                ReferenceCheck(
                    name, published, ours, diff, ref.tolerance, bool(abs(diff) <= ref.tolerance)
                )
            )
    return SlopeAnalysis(
        title=slope.title,
        kind=kind,
        factors={m: factors.get(m, float("nan")) for m in METHODS},
        lambdas=lambdas,
        surface=slices.polyline(),
        circle=circle,
        axis=(float(slices.centre_x[0]), float(slices.centre_y[0])),
        n_slices=n_slices,
        n_evaluated=n_evaluated,
        seconds=time.perf_counter() - started,
        slices=slices,
        checks=tuple(checks),
        minimised=minimised,
    )


def plot_slope(section: Section, analysis: SlopeAnalysis | None, path: str | Path) -> Path:
    """Draw the section with its layers, water, loads, crack and slip surface to a PNG.

    Parameters
    ----------
    section : Section
        The slope section.
    analysis : SlopeAnalysis or None
        Result to draw (slip surface, slices, factors); None draws the section only.
    path : str or Path
        PNG file, written atomically (a temporary file renamed into place). [-]

    Returns
    -------
    Path
        The written file.

    Raises
    ------
    OSError
        If the file cannot be written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lo, hi = section.x_range
    ground = section.ground
    x = np.unique(
        np.concatenate(
            [ground[:, 0]] + [lay.bottom[:, 0] for lay in section.layers if lay.bottom is not None]
        )
    )
    x = x[(x >= lo) & (x <= hi)]
    top = np.interp(x, ground[:, 0], ground[:, 1])
    height = float(np.ptp(ground[:, 1])) or 1.0
    floors = [float(ground[:, 1].min()) - 0.5 * height]
    floors += [
        float(lay.bottom[:, 1].min()) - 0.2 * height
        for lay in section.layers
        if lay.bottom is not None
    ]
    floor = min(floors)
    if analysis is not None:
        floor = min(floor, float(analysis.surface[:, 1].min()) - 0.1 * height)
    fig, ax = plt.subplots(figsize=(10, 5.5), dpi=110)
    colours = plt.get_cmap("YlOrBr")(np.linspace(0.25, 0.65, max(len(section.layers), 2)))
    upper = top
    for k, layer in enumerate(section.layers):
        lower = (
            np.minimum(np.interp(x, layer.bottom[:, 0], layer.bottom[:, 1]), upper)
            if layer.bottom is not None
            else np.full_like(x, floor)
        )
        ax.fill_between(
            x,
            lower,
            upper,
            color=colours[k],
            label=f"{layer.name}: c'={layer.cohesion:g} kPa, φ'={layer.friction_angle:g}°, "
            f"γ={layer.unit_weight:g} kN/m³",
        )
        upper = lower
    ax.plot(ground[:, 0], ground[:, 1], color="saddlebrown", lw=1.5)
    if section.piezometric_line is not None:
        p = section.piezometric_line
        ax.plot(p[:, 0], p[:, 1], "--", color="tab:blue", lw=1.2, label="piezometric line")
    elif section.pore_pressure_ratio > 0:
        ax.plot([], [], " ", label=f"r_u = {section.pore_pressure_ratio:g}")
    if section.seismic_coefficient > 0:
        ax.plot([], [], " ", label=f"k_h = {section.seismic_coefficient:g}")
    if section.surcharge > 0:
        s0, s1 = section.surcharge_range
        xs = np.linspace(s0, s1, 6)
        ys = np.interp(xs, ground[:, 0], ground[:, 1])
        for xa, ya in zip(xs, ys, strict=True):
            ax.annotate(
                "",
                (xa, ya),
                (xa, ya + 0.12 * height),
                arrowprops={"arrowstyle": "->", "color": "tab:purple"},
            )
        ax.plot([], [], color="tab:purple", label=f"surcharge {section.surcharge:g} kPa")
    if analysis is not None:
        s = analysis.slices
        surf = analysis.surface
        ax.plot(
            surf[:, 0], surf[:, 1], color="crimson", lw=2.0, label=f"slip surface ({analysis.kind})"
        )
        edges = np.concatenate([[s.entry_x[0]], s.x[0] + 0.5 * s.width[0]])
        base = np.interp(edges, surf[:, 0], surf[:, 1])
        tops = np.interp(edges, ground[:, 0], ground[:, 1])
        ax.vlines(edges, base, tops, color="crimson", lw=0.3, alpha=0.6)
        if section.tension_crack_depth > 0:
            xe = float(s.exit_x[0])
            ye = float(np.interp(xe, ground[:, 0], ground[:, 1]))
            ax.plot(
                [xe, xe],
                [ye - section.tension_crack_depth, ye],
                color="black",
                lw=2.0,
                label="tension crack",
            )
        if analysis.circle is not None:
            xc, yc, _ = analysis.circle
            ax.plot([xc], [yc], "+", color="crimson", ms=10)
        text = "\n".join(
            f"{m.replace('_', '-')}: {f:.3f}" for m, f in analysis.factors.items() if np.isfinite(f)
        )
        ax.text(
            0.01,
            0.98,
            "F\n" + text,
            transform=ax.transAxes,
            va="top",
            family="monospace",
            fontsize=8,
            bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "0.6"},
        )
        ax.set_title(analysis.title or "slope section")
    ax.set_xlim(lo, hi)
    ax.set_ylim(floor, float(ground[:, 1].max()) + 0.6 * height)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x, m")
    ax.set_ylabel("elevation, m")
    ax.legend(loc="lower right", fontsize=7, framealpha=0.9)
    ax.grid(alpha=0.3)
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", bbox_inches="tight")
    finally:
        plt.close(fig)
    return write_atomic(path, buffer.getvalue())
