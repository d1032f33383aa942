"""Cut and fill volumes and areas between two elevation rasters or above a level.

Volumes follow the convention of :mod:`~postmine.geotech.terrain.surface`: V = Σ Δz_ij ·
A_cell at cell centres (the midpoint rule); cells without data enter no sum and their area
is reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from postmine.geotech.terrain.surface import FloatArray, Surface, check_metric, check_same_grid

__all__ = ["CutFill", "volume_above", "volume_between"]


@dataclass(frozen=True)
class CutFill:
    """Cut and fill between a top and a base surface (cell-centre sampling).

    Attributes
    ----------
    fill_volume_m3 : float
        Σ (top − base)·A_cell over cells where top > base (material above the base). [m³]
    cut_volume_m3 : float
        Σ (base − top)·A_cell over cells where top < base (room below the base). [m³]
    fill_area_m2 : float
        Area of the cells where top > base. [m²]
    cut_area_m2 : float
        Area of the cells where top < base. [m²]
    unchanged_area_m2 : float
        Area of the cells where top = base. [m²]
    nodata_area_m2 : float
        Area of the cells where either surface has no data; they enter no volume. [m²]
    cell_area_m2 : float
        Area of one cell. [m²]
    """

    fill_volume_m3: float
    cut_volume_m3: float
    fill_area_m2: float
    cut_area_m2: float
    unchanged_area_m2: float
    nodata_area_m2: float
    cell_area_m2: float

    @property
    def net_volume_m3(self) -> float:
        """Fill minus cut [m³]."""
        return self.fill_volume_m3 - self.cut_volume_m3

    def to_dict(self) -> dict[str, float]:
        """Return the fields and the net volume as a JSON-ready dict (units in the keys)."""
        return {
            "fill_volume_m3": self.fill_volume_m3,
            "cut_volume_m3": self.cut_volume_m3,
            "net_volume_m3": self.net_volume_m3,
            "fill_area_m2": self.fill_area_m2,
            "cut_area_m2": self.cut_area_m2,
            "unchanged_area_m2": self.unchanged_area_m2,
            "nodata_area_m2": self.nodata_area_m2,
            "cell_area_m2": self.cell_area_m2,
        }


def _cut_fill(dz: FloatArray, cell_area: float, what: str) -> CutFill:
    """Sum the height differences ``dz`` (m) above and below zero into cut and fill."""
    valid = np.isfinite(dz)
    if not valid.any():
        raise ValueError(f"{what} has no cell with data (all NaN)")
    d = dz[valid]
    above = d > 0.0
    below = d < 0.0
    return CutFill(
        fill_volume_m3=float(d[above].sum()) * cell_area,
        cut_volume_m3=float(-d[below].sum()) * cell_area,
        fill_area_m2=float(above.sum()) * cell_area,
        cut_area_m2=float(below.sum()) * cell_area,
        unchanged_area_m2=float((d == 0.0).sum()) * cell_area,
        nodata_area_m2=float((~valid).sum()) * cell_area,
        cell_area_m2=cell_area,
    )


def volume_between(top: Surface, base: Surface) -> CutFill:
    """Cut and fill volumes and areas between two surfaces on the same grid.

    Parameters
    ----------
    top : Surface
        Upper (e.g. surveyed or designed) surface, in a metric CRS. [m]
    base : Surface
        Reference surface on the same grid as ``top`` (same shape, transform and CRS);
        resample another grid onto it with
        :func:`~postmine.geotech.terrain.reprojection.align_surface` first. [m]

    Returns
    -------
    CutFill
        Fill (top above base) and cut (top below base) volumes [m³] and areas [m²], the
        area without data [m²]; ``net_volume_m3`` = fill − cut.

    Raises
    ------
    ValueError
        If the grids differ, the CRS is not metric, or no cell has data in both surfaces.

    Notes
    -----
    V_fill = Σ max(z_top − z_base, 0)·A_cell, V_cut = Σ max(z_base − z_top, 0)·A_cell
    over the cells where both surfaces have data, sampled at cell centres (the midpoint
    rule; the Conventions of :mod:`~postmine.geotech.terrain.surface`). Cells where either
    has no data are left out and reported in ``nodata_area_m2``.

    Examples
    --------
    >>> from postmine.geotech.terrain.surface import surface_from_function
    >>> base = surface_from_function(lambda x, y: 0 * x, (0, 0, 10, 10), 1.0)
    >>> top = surface_from_function(lambda x, y: np.where(x < 5, 2.0, -1.0), (0, 0, 10, 10), 1.0)
    >>> r = volume_between(top, base)
    >>> r.fill_volume_m3, r.cut_volume_m3, r.net_volume_m3
    (100.0, 50.0, 50.0)
    """
    check_metric(top, "top")
    check_same_grid(top, base)
    return _cut_fill(top.elevation - base.elevation, top.cell_area, "top − base")


def volume_above(surface: Surface, elevation: float) -> CutFill:
    """Volumes of a surface above and below a horizontal plane.

    Same as :func:`volume_between` with a flat base at ``elevation``: ``fill_volume_m3`` is
    the volume of ground above the plane (a mound, a dump), ``cut_volume_m3`` the empty
    volume below it (a pit or void up to that level).

    Parameters
    ----------
    surface : Surface
        Elevation raster in a metric CRS. [m]
    elevation : float
        Elevation of the plane. [m]

    Returns
    -------
    CutFill
        Volume and area above (fill) and below (cut) the plane, and the area without data.
        [m³, m²]

    Raises
    ------
    ValueError
        If ``elevation`` is not finite, the CRS is not metric, or the surface is all NaN.

    Examples
    --------
    >>> from postmine.geotech.terrain.surface import surface_from_function
    >>> mound = surface_from_function(lambda x, y: np.full(x.shape, 3.0), (0, 0, 4, 5), 1.0)
    >>> volume_above(mound, 1.0).fill_volume_m3
    40.0
    """
    if not math.isfinite(elevation):
        raise ValueError(f"elevation must be a finite number [m], got {elevation!r}")
    check_metric(surface, "surface")
    return _cut_fill(surface.elevation - float(elevation), surface.cell_area, "surface")
