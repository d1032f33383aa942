"""Reprojection, resampling onto another grid and clipping to a polygon of elevation rasters.

:func:`reproject_surface` changes the CRS and :func:`align_surface` the grid (bilinear,
rasterio.warp); :func:`clip_surface` keeps the cells whose centre lies in a polygon such as
an object's footprint from the registry. Rasterio and shapely (the ``geo`` extra) are
imported on use.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from pyproj import CRS, Transformer

from postmine.core.extras import require
from postmine.geotech.terrain.surface import Surface, as_affine, crs_name, rasterio_crs

__all__ = ["align_surface", "clip_surface", "reproject_surface"]


def _warp(
    surface: Surface, dst_shape: tuple[int, int], dst_transform: Any, dst_crs: CRS
) -> Surface:
    """Resample ``surface`` bilinearly onto a grid of shape, transform and CRS given."""
    warp = require("rasterio.warp")
    if surface.crs is None:
        raise ValueError("surface.crs must be set to reproject, got None")
    dst = np.full(dst_shape, np.nan)
    warp.reproject(
        source=surface.elevation,
        destination=dst,
        src_transform=surface.transform,
        src_crs=rasterio_crs(surface.crs),
        src_nodata=np.nan,
        dst_transform=dst_transform,
        dst_crs=rasterio_crs(dst_crs),
        dst_nodata=np.nan,
        resampling=warp.Resampling.bilinear,
    )
    return Surface(dst, dst_transform, dst_crs)


def reproject_surface(surface: Surface, crs: CRS | str, cell_size: float | None = None) -> Surface:
    """Reproject a surface to another CRS with bilinear resampling (rasterio.warp).

    Parameters
    ----------
    surface : Surface
        Surface with a CRS. [m]
    crs : pyproj.CRS or str
        Target CRS, e.g. ``"EPSG:32645"`` (UTM zone 45N). [-]
    cell_size : float, optional
        Square cell size in the target CRS's units (> 0); by default GDAL's choice, which
        keeps about the same number of cells. [m]

    Returns
    -------
    Surface
        The reprojected surface; cells outside the source's footprint are NaN. [m]

    Raises
    ------
    ValueError
        If the surface has no CRS or ``cell_size`` is not > 0.
    """
    if cell_size is not None and not (math.isfinite(cell_size) and cell_size > 0):
        raise ValueError(f"cell_size must be > 0 (target CRS units), got {cell_size!r}")
    if surface.crs is None:
        raise ValueError("surface.crs must be set to reproject, got None")
    warp = require("rasterio.warp")
    dst_crs = CRS.from_user_input(crs)
    rows, cols = surface.shape
    dst_transform, width, height = warp.calculate_default_transform(
        rasterio_crs(surface.crs),
        rasterio_crs(dst_crs),
        cols,
        rows,
        *surface.bounds,
        resolution=cell_size,
    )
    return _warp(surface, (int(height), int(width)), dst_transform, dst_crs)


def align_surface(surface: Surface, like: Surface) -> Surface:
    """Resample a surface onto the grid (shape, transform, CRS) of another, bilinear.

    Use it before :func:`~postmine.geotech.terrain.volumes.volume_between` when two surveys
    have different grids.

    Parameters
    ----------
    surface : Surface
        Surface to resample, with a CRS (or both without one, then taken as the same local
        grid system). [m]
    like : Surface
        Surface whose grid the result takes. [m]

    Returns
    -------
    Surface
        ``surface`` sampled on ``like``'s grid; NaN outside its footprint. [m]

    Raises
    ------
    ValueError
        If only one of the two surfaces has a CRS.
    """
    if (surface.crs is None) != (like.crs is None):
        raise ValueError(
            f"surface.crs and like.crs must both be set or both be None, got "
            f"{crs_name(surface.crs)} and {crs_name(like.crs)}"
        )
    if surface.crs is None or like.crs is None:
        local = CRS.from_epsg(32645)  # any projected CRS: the same on both sides
        moved = _warp(
            Surface(surface.elevation, surface.transform, local), like.shape, like.transform, local
        )
        return Surface(moved.elevation, moved.transform, None)
    return _warp(surface, like.shape, like.transform, like.crs)


def clip_surface(
    surface: Surface, polygon: Any, polygon_crs: CRS | str | None = "EPSG:4326"
) -> Surface:
    """Clip a surface to a polygon: cells whose centre is outside become NaN, then crop.

    For an object's footprint from the registry (WGS 84 longitude/latitude, the default
    ``polygon_crs``). The polygon's vertices are transformed to the raster's CRS with pyproj
    (edges stay straight in the raster's CRS) and rasterised with
    ``rasterio.features.geometry_mask`` at cell centres.

    Parameters
    ----------
    surface : Surface
        Surface to clip. [m]
    polygon : shapely.geometry.Polygon or shapely.geometry.MultiPolygon
        The area to keep. [polygon_crs units]
    polygon_crs : pyproj.CRS or str or None, optional
        CRS of the polygon; ``None`` when it is already in the raster's coordinates. [-]

    Returns
    -------
    Surface
        The clipped surface, cropped to the rows and columns of the cells inside. [m]

    Raises
    ------
    ValueError
        If the polygon is not a non-empty (multi)polygon, the surface has no CRS while
        ``polygon_crs`` is set, no cell centre lies inside the polygon, or no cell inside
        has data.
    """
    features = require("rasterio.features")
    shapely = require("shapely")
    geom_type = getattr(polygon, "geom_type", type(polygon).__name__)
    if geom_type not in ("Polygon", "MultiPolygon") or polygon.is_empty:
        raise ValueError(f"polygon must be a non-empty Polygon or MultiPolygon, got {geom_type}")
    if polygon_crs is not None:
        if surface.crs is None:
            raise ValueError(
                f"surface.crs must be set to clip with a polygon in {polygon_crs}, got None "
                f"(pass polygon_crs=None for a polygon in the raster's coordinates)"
            )
        to_raster = Transformer.from_crs(
            CRS.from_user_input(polygon_crs), surface.crs, always_xy=True
        )
        polygon = shapely.transform(polygon, to_raster.transform, interleaved=False)
    inside = features.geometry_mask(
        [shapely.geometry.mapping(polygon)], surface.shape, surface.transform, invert=True
    )
    if not inside.any():
        raise ValueError(
            f"polygon covers no cell centre of the surface: polygon bounds "
            f"{tuple(round(v, 3) for v in polygon.bounds)} in {crs_name(surface.crs)}, "
            f"surface bounds {tuple(round(v, 3) for v in surface.bounds)}"
        )
    rows = np.flatnonzero(inside.any(axis=1))
    cols = np.flatnonzero(inside.any(axis=0))
    r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    z = np.where(inside, surface.elevation, np.nan)[r0:r1, c0:c1]
    if np.isnan(z).all():
        raise ValueError("polygon covers only cells without data (all NaN inside)")
    t = surface.transform
    transform = as_affine((t.a, 0.0, t.c + c0 * t.a, 0.0, t.e, t.f + r0 * t.e))
    return Surface(z, transform, surface.crs)
