r"""Plot of a designed dump's section: both profiles, the layers and the critical circles.

References
----------
[004] Practical works on rational nature use in mining, PR1, Fig. 1.3 (flattening schemes).
"""

from __future__ import annotations

import numpy as np

from postmine.chains.dump import DumpDesign

__all__ = ["plot_design"]


def plot_design(design: DumpDesign, *, title: str = "") -> bytes:
    r"""Plot the section of a design: both profiles, the layers and the critical circles.

    Parameters
    ----------
    design : DumpDesign
        The design.
    title : str, optional
        Title of the figure.

    Returns
    -------
    bytes
        The figure as PNG (Agg canvas, no pyplot state).

    Examples
    --------
    >>> from postmine.chains.dump import design_dump
    >>> from postmine.chains.dump_stability import Material
    >>> d = design_dump(2.0e6, "circle", Material(20.0, 30.0, 19.0), height=20.0)
    >>> plot_design(d)[:4]
    b'\x89PNG'
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    final, working = design.final, design.working
    sec = final.section
    left, right = sec.x_range
    H = max(design.height_m, design.flattened_height_m)
    bottom = -1.6 * H
    top = max(H * 1.2, max(final.centre_y_m, working.centre_y_m) * 1.05)
    # true scale (equal axes): the figure's height follows the section's proportions
    tall = float(np.clip(10.0 * (top - bottom) / (right - left) + 1.5, 3.5, 8.0))
    fig = Figure(figsize=(10.0, tall), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    g = sec.ground
    ax.fill_between(g[:, 0], 0.0, g[:, 1], color="#c8a97e",
                    alpha=0.8, label=f"dump rock ({final.section.layers[0].name})")  # fmt: skip
    if len(sec.layers) > 1:
        ax.fill_between([left, right], [bottom, bottom], [0.0, 0.0], color="#9db37a", alpha=0.6,
                        label=f"foundation ({sec.layers[-1].name})")  # fmt: skip
    else:
        ax.fill_between([left, right], [bottom, bottom], [0.0, 0.0], color="#c8a97e",
                        alpha=0.45)  # fmt: skip
    wg = working.profile.ground(left)
    ax.plot(wg[:, 0], wg[:, 1], "--", color="0.25", lw=1.2,
            label=f"working slope α = {design.slope_angle_deg:g}°")  # fmt: skip
    ax.plot(g[:, 0], g[:, 1], "-", color="k", lw=1.6,
            label=f"flattened ({design.scheme}) β = {design.flattened_angle_deg:g}°")  # fmt: skip
    if sec.piezometric_line is not None:
        p = sec.piezometric_line
        ax.plot(p[:, 0], p[:, 1], "-", color="C0", lw=1.0, label="piezometric line")
    t = np.linspace(0.0, 2.0 * np.pi, 721)
    for res, colour, name in ((final, "C3", "flattened"), (working, "C1", "working")):
        cx, cy, r = res.centre_x_m, res.centre_y_m, res.radius_m
        xs, ys = cx + r * np.cos(t), cy + r * np.sin(t)
        below = ys <= np.interp(xs, res.section.ground[:, 0], res.section.ground[:, 1]) + 1e-9
        below &= (xs >= left) & (xs <= right)
        arc_x, arc_y = np.where(below, xs, np.nan), np.where(below, ys, np.nan)
        ax.plot(arc_x, arc_y, "-", color=colour, lw=1.4,
                label=f"critical circle, {name}: F_Bishop = {res.factor_bishop:.3f}")  # fmt: skip
        ax.plot([cx], [cy], "+", color=colour)
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel("x from the toe as built [m]")
    ax.set_ylabel("elevation above the foundation [m]")
    ax.set_title(
        title
        or f"{design.shape} dump {design.volume_m3:,.0f} m³, h = {design.height_m:g} m; "
        f"{design.method} F = {design.factor:.3f} (required {design.required_factor:g})",
        fontsize=10,
    )
    ax.legend(loc="lower right", fontsize=7)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
