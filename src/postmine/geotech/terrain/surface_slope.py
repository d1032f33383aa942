r"""Slope and aspect of an elevation raster by Horn's (1981) 3×3 method, as GDAL ``gdaldem``.

References
----------
----------
[Horn] Horn B. K. P. (1981). Hill shading and the reflectance map. Proceedings of the IEEE
    69(1), 14–47. (The 3×3 gradient used by GDAL ``gdaldem slope/aspect`` and ArcGIS.)
[GDAL] GDAL ``gdaldem`` documentation and ``apps/gdaldem_lib.cpp`` (Horn slope and aspect).
[Esri] Esri, ArcGIS Pro tool reference: "How Slope works", "How Aspect works" (worked
    examples of the same 3×3 method).
"""

from __future__ import annotations

import numpy as np

from postmine.geotech.terrain.surface import FloatArray, Surface, check_metric

__all__ = ["slope_aspect"]


def slope_aspect(surface: Surface) -> tuple[FloatArray, FloatArray]:
    r"""Slope and aspect of every cell by Horn's (1981) 3×3 method, as GDAL ``gdaldem``.

    Parameters
    ----------
    surface : Surface
        Elevation raster in a metric CRS. [m]

    Returns
    -------
    slope : numpy.ndarray
        Slope angle from the horizontal, 0–90, of the grid's shape. [°]
    aspect : numpy.ndarray
        Downslope direction (the way the slope faces), clockwise from grid north, in
        [0, 360); NaN where the cell is flat. [°]

    Raises
    ------
    ValueError
        If the CRS is geographic, not in metres, or distorts areas by more than 1 %.

    Notes
    -----
    With the 3×3 window ``a b c / d e f / g h i`` (first row to the north) and cell sizes
    Δx, Δy [Horn; GDAL; Esri]:

    .. math::

        \partial z/\partial x = \frac{(c + 2f + i) - (a + 2d + g)}{8 Δx}, \qquad
        \partial z/\partial y = \frac{(a + 2b + c) - (g + 2h + i)}{8 Δy}

    (y towards north), slope = arctan √((∂z/∂x)² + (∂z/∂y)²) and aspect =
    atan2(−∂z/∂x, −∂z/∂y) as an azimuth. For square cells this is GDAL's result; for
    rectangular cells GDAL's aspect ignores the cell sizes, this one does not.

    Edge handling: cells of the outer rows and columns, and every cell whose window holds a
    cell without data, get NaN (GDAL's default without ``-compute_edges``); nothing is
    extrapolated. Grids with fewer than 3 rows or columns are all NaN.

    Examples
    --------
    >>> from postmine.geotech.terrain.surface import surface_from_function
    >>> plane = surface_from_function(lambda x, y: 0.5 * x, (0, 0, 5, 5), 1.0)
    >>> slope, aspect = slope_aspect(plane)
    >>> round(float(slope[2, 2]), 4), float(aspect[2, 2])  # rises to the east, faces west
    (26.5651, 270.0)
    """
    check_metric(surface, "surface")
    z = surface.elevation
    rows, cols = z.shape
    slope = np.full(z.shape, np.nan)
    aspect = np.full(z.shape, np.nan)
    if rows < 3 or cols < 3:
        return slope, aspect
    a, b, c = z[:-2, :-2], z[:-2, 1:-1], z[:-2, 2:]
    d, e, f = z[1:-1, :-2], z[1:-1, 1:-1], z[1:-1, 2:]
    g, h, i = z[2:, :-2], z[2:, 1:-1], z[2:, 2:]
    dz_dx = ((c + 2.0 * f + i) - (a + 2.0 * d + g)) / (8.0 * surface.cell_width) + 0.0 * e
    dz_dy = ((a + 2.0 * b + c) - (g + 2.0 * h + i)) / (8.0 * surface.cell_height)
    slope[1:-1, 1:-1] = np.degrees(np.arctan(np.hypot(dz_dx, dz_dy)))
    with np.errstate(invalid="ignore"):
        azimuth = np.mod(np.degrees(np.arctan2(-dz_dx, -dz_dy)), 360.0)
    azimuth[azimuth >= 360.0] -= 360.0
    azimuth[(dz_dx == 0.0) & (dz_dy == 0.0)] = np.nan
    aspect[1:-1, 1:-1] = azimuth
    return slope, aspect
