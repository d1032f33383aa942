"""PNG plots of elevation rasters (matplotlib, Agg): hillshade with contours, capacity curves.

Figures are built without pyplot and written whole (a temporary file renamed into place) by
:func:`postmine.core.files.write_atomic`.
"""

from __future__ import annotations

import io
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from postmine.core.files import write_atomic
from postmine.geotech.terrain.capacity import CapacityTable
from postmine.geotech.terrain.surface import FloatArray, Surface

__all__ = ["plot_capacity", "plot_surface"]


def _nice_step(span: float, target: int = 10) -> float:
    """Return a round step (1, 2, 2.5 or 5 × 10^k) giving about ``target`` steps over ``span``."""
    if span <= 0:
        return 1.0
    raw = span / target
    power = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw))


def _write_png(fig: Any, path: str | os.PathLike[str]) -> Path:
    """Render a figure to PNG and write it whole (temporary file renamed into place)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return write_atomic(path, buffer.getvalue())


def plot_surface(
    surface: Surface,
    path: str | os.PathLike[str],
    *,
    overlay: FloatArray | None = None,
    overlay_label: str = "Elevation [m]",
    contour_interval: float | None = None,
    title: str = "",
) -> Path:
    """Draw a surface as a hillshade with elevation contours and write a PNG.

    Parameters
    ----------
    surface : Surface
        Surface to draw. [m]
    path : str or os.PathLike
        PNG file to write. [-]
    overlay : numpy.ndarray, optional
        Values coloured over the hillshade, of the grid's shape (e.g. the slope from
        :func:`~postmine.geotech.terrain.surface_slope.slope_aspect`); by default the
        elevation. [overlay_label]
    overlay_label : str, optional
        Colour-bar label with the overlay's unit.
    contour_interval : float, optional
        Contour spacing (> 0); by default a round number giving about ten contours. [m]
    title : str, optional
        Plot title.

    Returns
    -------
    pathlib.Path
        The PNG written. [-]

    Raises
    ------
    ValueError
        If the surface is all NaN, the overlay has another shape, or the contour interval
        is not > 0.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import LightSource
    from matplotlib.figure import Figure

    z = surface.elevation
    valid = np.isfinite(z)
    if not valid.any():
        raise ValueError("surface has no cell with data (all NaN)")
    if overlay is not None and np.shape(overlay) != z.shape:
        raise ValueError(f"overlay must have the grid's shape {z.shape}, got {np.shape(overlay)}")
    if contour_interval is not None and not (contour_interval > 0):
        raise ValueError(f"contour_interval must be > 0 m, got {contour_interval!r}")
    z_min, z_max = float(np.nanmin(z)), float(np.nanmax(z))
    filled = np.where(valid, z, z_min)
    shade = LightSource(azdeg=315, altdeg=45).hillshade(
        filled, vert_exag=1.0, dx=surface.cell_width, dy=surface.cell_height
    )
    x_min, y_min, x_max, y_max = surface.bounds
    extent = (x_min, x_max, y_min, y_max)
    fig = Figure(figsize=(7.0, 6.0), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.imshow(np.ma.masked_where(~valid, shade), cmap="gray", extent=extent, vmin=0, vmax=1)
    values = z if overlay is None else np.asarray(overlay, dtype=np.float64)
    image = ax.imshow(
        np.ma.masked_invalid(values),
        cmap="terrain" if overlay is None else "magma_r",
        alpha=0.55,
        extent=extent,
    )
    fig.colorbar(image, ax=ax, label=overlay_label, shrink=0.8)
    if z_max > z_min:
        interval = contour_interval or _nice_step(z_max - z_min)
        start = math.ceil(z_min / interval) * interval
        contour_levels = np.arange(start, z_max + 1e-9 * interval, interval)
        if contour_levels.size:
            xx, yy = surface.cell_centres()
            lines = ax.contour(
                xx,
                yy,
                np.ma.masked_where(~valid, z),
                levels=contour_levels,
                colors="black",
                linewidths=0.5,
            )
            ax.clabel(lines, fontsize=6, fmt="%g")
    ax.set_xlabel("Easting [m]")
    ax.set_ylabel("Northing [m]")
    ax.set_aspect("equal")
    ax.ticklabel_format(useOffset=False, style="plain")
    if title:
        ax.set_title(title)
    return _write_png(fig, path)


def plot_capacity(table: CapacityTable, path: str | os.PathLike[str], *, title: str = "") -> Path:
    """Draw the elevation–capacity and elevation–area curves of a void and write a PNG.

    Parameters
    ----------
    table : CapacityTable
        Table from :func:`~postmine.geotech.terrain.capacity.elevation_capacity`. [m, m², m³]
    path : str or os.PathLike
        PNG file to write. [-]
    title : str, optional
        Plot title.

    Returns
    -------
    pathlib.Path
        The PNG written. [-]

    Raises
    ------
    ValueError
        If the table has no rows.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if table.level_m.size == 0:
        raise ValueError("table must have at least one level, got none")
    fig = Figure(figsize=(7.0, 5.0), dpi=120, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(table.volume_m3 / 1e3, table.level_m, color="tab:blue", label="Capacity")
    ax.set_xlabel("Capacity below the level [thousand m³]", color="tab:blue")
    ax.set_ylabel("Level [m]")
    ax.grid(True, alpha=0.3)
    top = ax.twiny()
    top.plot(table.area_m2 / 1e4, table.level_m, color="tab:green", linestyle="--")
    top.set_xlabel("Water surface area [ha]", color="tab:green")
    if title:
        fig.suptitle(title)
    return _write_png(fig, path)
