"""The slope section drawn to a PNG: layers, water, loads, tension crack and the slip surface.

:func:`plot_slope` draws a :class:`~postmine.geotech.section.Section` and, when given, the
result of :func:`~postmine.geotech.slope_analysis.analyse_slope` (slip surface, slices,
circle centre and the factors of safety) with matplotlib (Agg), and writes the PNG
atomically.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np

from postmine.core.files import write_atomic
from postmine.geotech.section import FloatArray, Section
from postmine.geotech.slope_analysis import SlopeAnalysis

__all__ = ["plot_slope"]


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

    x, top, height, floor = _outline(section, analysis)
    fig, ax = plt.subplots(figsize=(10, 5.5), dpi=110)
    colours = plt.get_cmap("YlOrBr")(np.linspace(0.25, 0.65, max(len(section.layers), 2)))
    _draw_layers(ax, section, x, top, floor, colours)
    _draw_water_and_loads(ax, section, height)
    if analysis is not None:
        _draw_analysis(ax, section, analysis)
    lo, hi = section.x_range
    ax.set_xlim(lo, hi)
    ax.set_ylim(floor, float(section.ground[:, 1].max()) + 0.6 * height)
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


def _outline(
    section: Section, analysis: SlopeAnalysis | None
) -> tuple[FloatArray, FloatArray, float, float]:
    """Vertex x of ground and layers (m), ground elevation there (m), height (m), floor (m)."""
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
    return x, top, height, floor


def _draw_layers(
    ax: Any, section: Section, x: FloatArray, top: FloatArray, floor: float, colours: Any
) -> None:
    """Fill each layer between its top and bottom, labelled with its strength; the ground."""
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
    ground = section.ground
    ax.plot(ground[:, 0], ground[:, 1], color="saddlebrown", lw=1.5)


def _draw_water_and_loads(ax: Any, section: Section, height: float) -> None:
    """Piezometric line or r_u, k_h and the surcharge arrows."""
    ground = section.ground
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


def _draw_analysis(ax: Any, section: Section, analysis: SlopeAnalysis) -> None:
    """Slip surface, slice boundaries, tension crack, circle centre, factors and the title."""
    ground = section.ground
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
