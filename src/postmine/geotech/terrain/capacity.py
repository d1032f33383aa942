"""Elevation–area–capacity table of a void: capacity by tier elevation, pit-lake area and volume.

With the cells of a void's ground surface at their centres (the convention of
:mod:`~postmine.geotech.terrain.surface`), A(L) = N(z < L)·A_cell and
V(L) = Σ_{z < L} (L − z)·A_cell for each level L; :func:`elevation_capacity` builds the
table, optionally for the lake connected to the deepest cell only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from postmine.core.extras import require
from postmine.geotech.terrain.surface import FloatArray, Surface, check_metric

__all__ = ["DEFAULT_CAPACITY_INTERVALS", "CapacityTable", "elevation_capacity"]

#: Number of intervals of the default capacity table. [-]
DEFAULT_CAPACITY_INTERVALS = 50


@dataclass(frozen=True, eq=False)
class CapacityTable:
    """Elevation–area–capacity table of a void.

    Attributes
    ----------
    level_m : numpy.ndarray
        Levels, increasing. [m]
    area_m2 : numpy.ndarray
        Water surface area at each level: area of the cells whose ground is below it. [m²]
    volume_m3 : numpy.ndarray
        Capacity below each level: Σ (level − z)·A_cell over those cells. [m³]
    nodata_area_m2 : float
        Area of the cells without data, left out of every row. [m²]
    """

    level_m: FloatArray
    area_m2: FloatArray
    volume_m3: FloatArray
    nodata_area_m2: float

    @property
    def tier_volume_m3(self) -> FloatArray:
        """Capacity between consecutive levels (a tier each), length n − 1 [m³]."""
        return np.diff(self.volume_m3)

    def to_dict(self) -> dict[str, Any]:
        """Return the columns as lists and the nodata area, JSON-ready (units in the keys)."""
        return {
            "level_m": self.level_m.tolist(),
            "area_m2": self.area_m2.tolist(),
            "volume_m3": self.volume_m3.tolist(),
            "tier_volume_m3": self.tier_volume_m3.tolist(),
            "nodata_area_m2": self.nodata_area_m2,
        }


def elevation_capacity(
    surface: Surface,
    levels: npt.ArrayLike | None = None,
    step: float | None = None,
    *,
    connected: bool = False,
) -> CapacityTable:
    """Elevation–area–capacity table of a void (pit, pit lake, tiers of a backfill).

    Parameters
    ----------
    surface : Surface
        Ground surface of the void, in a metric CRS; clip it to the void's rim first
        (:func:`~postmine.geotech.terrain.reprojection.clip_surface`) so that ground
        outside the void is not counted. [m]
    levels : array_like, optional
        Levels of the table, strictly increasing, within the surface's elevation range
        (e.g. tier bottoms and tops). [m]
    step : float, optional
        Level spacing from the lowest cell upward (> 0); the last row is at the highest
        cell. Give ``levels`` or ``step``, not both; with neither the range is split into
        50 equal intervals. [m]
    connected : bool, optional
        If true, count only the cells connected (through shared edges) to the deepest cell
        below each level — the lake that fills from the bottom; separate hollows stay dry.
        Default false: every cell below the level counts.

    Returns
    -------
    CapacityTable
        Level [m], water surface area [m²], capacity below the level [m³] (non-decreasing;
        at the highest cell it is the whole void volume below that level), capacity per
        tier between consecutive levels [m³], and the area without data [m²].

    Raises
    ------
    ValueError
        If the surface is all NaN, the CRS is not metric, both ``levels`` and ``step`` are
        given, ``step`` is not > 0, or a level is outside the elevation range or the levels
        do not increase.

    Notes
    -----
    A(L) = N(z < L)·A_cell, V(L) = Σ_{z < L} (L − z)·A_cell with z at cell centres (the
    Conventions of :mod:`~postmine.geotech.terrain.surface`). dV/dL = A(L), so the table is
    monotone.

    Examples
    --------
    >>> from postmine.geotech.terrain.surface import surface_from_function
    >>> box = surface_from_function(lambda x, y: np.where(x < 5, 90.0, 100.0), (0, 0, 10, 2), 1.0)
    >>> t = elevation_capacity(box, levels=[90.0, 95.0, 100.0])
    >>> t.volume_m3.tolist(), t.area_m2.tolist()
    ([0.0, 50.0, 100.0], [0.0, 10.0, 10.0])
    """
    check_metric(surface, "surface")
    z_all = surface.elevation
    valid = np.isfinite(z_all)
    if not valid.any():
        raise ValueError("surface has no cell with data (all NaN)")
    z = z_all[valid]
    z_min, z_max = float(z.min()), float(z.max())
    if levels is not None and step is not None:
        raise ValueError(f"give levels or step, not both; got levels and step={step!r}")
    if levels is not None:
        lv = np.atleast_1d(np.asarray(levels, dtype=np.float64))
        if lv.ndim != 1 or lv.size == 0 or not np.isfinite(lv).all():
            raise ValueError(
                f"levels must be a non-empty list of finite numbers [m], got {levels!r}"
            )
        slack = 1e-9 * max(1.0, abs(z_min), abs(z_max))
        outside = lv[(lv < z_min - slack) | (lv > z_max + slack)]
        if outside.size:
            raise ValueError(
                f"levels must lie within the surface's elevation range {z_min:g}..{z_max:g} m, "
                f"got {outside[0]:g}"
            )
        if np.any(np.diff(lv) <= 0):
            raise ValueError(f"levels must increase strictly, got {lv.tolist()}")
    elif step is not None:
        if not (math.isfinite(step) and step > 0):
            raise ValueError(f"step must be > 0 m, got {step!r}")
        n = math.floor((z_max - z_min) / step * (1 + 1e-12))
        lv = z_min + step * np.arange(n + 1, dtype=np.float64)
        if lv[-1] < z_max:
            lv = np.append(lv, z_max)
    else:
        lv = np.linspace(z_min, z_max, DEFAULT_CAPACITY_INTERVALS + 1)
        lv = np.unique(lv)
    cell_area = surface.cell_area
    if connected:
        area, volume = _connected_capacity(z_all, lv)
    else:
        zs = np.sort(z)
        csum = np.concatenate(([0.0], np.cumsum(zs)))
        k = np.searchsorted(zs, lv, side="left")  # number of cells strictly below each level
        area = k.astype(np.float64)
        volume = k * lv - csum[k]
    return CapacityTable(
        level_m=lv,
        area_m2=area * cell_area,
        volume_m3=np.maximum(volume, 0.0) * cell_area,
        nodata_area_m2=float((~valid).sum()) * cell_area,
    )


def _connected_capacity(z: FloatArray, levels: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Cell count and Σ(L − z) of the region below each level connected to the deepest cell."""
    ndimage = require("scipy.ndimage")
    deepest = np.unravel_index(np.nanargmin(z), z.shape)
    count = np.zeros(levels.size)
    depth_sum = np.zeros(levels.size)
    with np.errstate(invalid="ignore"):
        for j, level in enumerate(levels):
            wet = z < level
            if not wet[deepest]:
                continue
            labels, _ = ndimage.label(wet)
            lake = labels == labels[deepest]
            count[j] = lake.sum()
            depth_sum[j] = float((level - z[lake]).sum())
    return count, depth_sum
