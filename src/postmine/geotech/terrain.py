r"""Terrain from elevation rasters: slope, aspect, cut/fill volumes and capacity curves.

A :class:`Surface` is an elevation grid (float64, NaN where there is no data) with the affine
transform of its cells and its coordinate reference system. It is read from a GeoTIFF
(:func:`read_surface`), written to one (:func:`write_surface`) or built from a function of
the coordinates (:func:`surface_from_function`) for synthetic shapes. On it:

* :func:`slope_aspect` — slope and aspect by Horn's (1981) 3×3 method, as GDAL ``gdaldem``;
* :func:`volume_between` and :func:`volume_above` — cut and fill volumes and areas between
  two surfaces or above/below a level, with the area without data reported;
* :func:`elevation_capacity` — the elevation–area–capacity table of a void (capacity by tier
  elevation; pit-lake water surface area and volume by level);
* :func:`reproject_surface`, :func:`align_surface` and :func:`clip_surface` — change the CRS
  or grid (bilinear) and clip to a polygon such as an object's footprint from the registry;
* :func:`plot_surface` and :func:`plot_capacity` — PNG plots (matplotlib, Agg).

Conventions
-----------
Volume convention: a volume is the sum over cells of the height difference at the **cell
centre** times the cell area, V = Σ Δz_ij · A_cell, A_cell = |a·e| from the transform (the
midpoint rule); an area is the number of cells times A_cell. Elevations are metres; metric
operations (slope, areas, volumes) need a projected CRS in metres whose areal scale at the
raster centre is within 1 % of true (UTM and Gauss–Krüger zones are; Web Mercator at 55° N
is not) — anything else is refused with a message to reproject. A surface without a CRS is
taken as a local survey grid in metres. Grids must be north-up (no rotation or shear);
rectangular cells are allowed. Cells without data (NaN) never enter a sum: each result
reports the area they cover.

Rasterio is an optional dependency (``pip install 'postmine[geo]'``), imported through
:func:`postmine.core.extras.require` by the functions that need it.

References
----------
[Horn] Horn B. K. P. (1981). Hill shading and the reflectance map. Proceedings of the IEEE
    69(1), 14–47. (The 3×3 gradient used by GDAL ``gdaldem slope/aspect`` and ArcGIS.)
[GDAL] GDAL ``gdaldem`` documentation and ``apps/gdaldem_lib.cpp`` (Horn slope and aspect).
[Esri] Esri, ArcGIS Pro tool reference: "How Slope works", "How Aspect works" (worked
    examples of the same 3×3 method).
"""

from __future__ import annotations

import io
import math
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import numpy.typing as npt
from pyproj import CRS, Proj, Transformer

from postmine.core.extras import require
from postmine.core.files import write_atomic

if TYPE_CHECKING:
    from affine import Affine

__all__ = [
    "CapacityTable",
    "CutFill",
    "Surface",
    "align_surface",
    "clip_surface",
    "elevation_capacity",
    "plot_capacity",
    "plot_surface",
    "read_surface",
    "reproject_surface",
    "slope_aspect",
    "surface_from_function",
    "volume_above",
    "volume_between",
    "write_surface",
]

FloatArray = npt.NDArray[np.float64]

#: Largest departure of the CRS's areal scale from 1 accepted for areas and volumes. [-]
MAX_AREAL_DISTORTION = 0.01
#: Number of intervals of the default capacity table. [-]
DEFAULT_CAPACITY_INTERVALS = 50


def _affine(values: Any) -> Affine:
    """Return an :class:`affine.Affine` from an Affine or its six coefficients (a..f)."""
    affine_cls = require("rasterio.transform").Affine
    coeffs = tuple(float(v) for v in tuple(values)[:6])
    if len(coeffs) != 6:
        raise ValueError(f"transform must have six coefficients (a, b, c, d, e, f), got {values}")
    return cast("Affine", affine_cls(*coeffs))


def _rio_crs(crs: CRS) -> Any:
    """Return the rasterio CRS of a pyproj CRS."""
    return require("rasterio.crs").CRS.from_wkt(crs.to_wkt())


@dataclass(frozen=True, eq=False)
class Surface:
    """An elevation raster: a north-up grid of elevations with its transform and CRS.

    Parameters
    ----------
    elevation : numpy.ndarray
        Elevation of each cell, rows from north to south, columns from west to east; NaN
        where there is no data. Converted to float64. [m]
    transform : affine.Affine
        Affine transform from (column, row) to (x, y) of the cell corners, north-up:
        ``b = d = 0``, ``a > 0`` (cell width), ``e < 0`` (minus cell height); or its six
        coefficients ``(a, b, c, d, e, f)``. [m]
    crs : pyproj.CRS or str or None
        Coordinate reference system (anything :meth:`pyproj.CRS.from_user_input` takes);
        ``None`` for a local survey grid in metres. [-]

    Raises
    ------
    ValueError
        If the elevation is not a non-empty 2-D array of finite numbers or NaN, or the
        transform is rotated, sheared or not north-up (reproject the raster first).
    """

    elevation: FloatArray
    transform: Affine
    crs: CRS | None = None

    def __post_init__(self) -> None:
        z = np.array(self.elevation, dtype=np.float64)
        if z.ndim != 2 or z.size == 0:
            raise ValueError(
                f"elevation must be a non-empty 2-D array (rows, columns), got shape {z.shape}"
            )
        if np.isinf(z).any():
            raise ValueError("elevation must hold finite values or NaN (no data), got ±inf")
        t = _affine(self.transform)
        if t.b != 0.0 or t.d != 0.0:
            raise ValueError(
                f"transform must be north-up without rotation or shear (b = d = 0), got "
                f"b={t.b:g}, d={t.d:g}; reproject (warp) the raster to a north-up grid first"
            )
        if not (t.a > 0.0 and t.e < 0.0):
            raise ValueError(
                f"transform must have cell width a > 0 and e < 0 (north-up), got a={t.a:g}, "
                f"e={t.e:g}; reproject (warp) the raster to a north-up grid first"
            )
        crs = None if self.crs is None else CRS.from_user_input(self.crs)
        object.__setattr__(self, "elevation", z)
        object.__setattr__(self, "transform", t)
        object.__setattr__(self, "crs", crs)

    @property
    def shape(self) -> tuple[int, int]:
        """Number of rows and columns [-]."""
        rows, cols = self.elevation.shape
        return rows, cols

    @property
    def cell_width(self) -> float:
        """Cell size along x (east) [CRS units, m]."""
        return float(self.transform.a)

    @property
    def cell_height(self) -> float:
        """Cell size along y (north) [CRS units, m]."""
        return float(-self.transform.e)

    @property
    def cell_area(self) -> float:
        """Area of one cell [m²]."""
        return self.cell_width * self.cell_height

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Outer edges of the grid: (x_min, y_min, x_max, y_max) [m]."""
        rows, cols = self.shape
        t = self.transform
        return (t.c, t.f + rows * t.e, t.c + cols * t.a, t.f)

    def cell_centres(self) -> tuple[FloatArray, FloatArray]:
        """Return the x and y of every cell centre, each of the grid's shape [m]."""
        rows, cols = self.shape
        t = self.transform
        x = t.c + (np.arange(cols) + 0.5) * t.a
        y = t.f + (np.arange(rows) + 0.5) * t.e
        xx, yy = np.meshgrid(x, y)
        return xx, yy

    @property
    def nodata_area(self) -> float:
        """Area of the cells without data [m²]."""
        return float(np.isnan(self.elevation).sum()) * self.cell_area


# --- checks ------------------------------------------------------------------------------


def _check_metric(surface: Surface, name: str) -> None:
    """Refuse a surface whose CRS does not measure lengths and areas in true metres."""
    crs = surface.crs
    if crs is None:
        return
    horizontal = crs.sub_crs_list[0] if crs.is_compound else crs
    if horizontal.is_geographic:
        raise ValueError(
            f"{name}.crs must be a projected CRS in metres for slopes, areas and volumes, got "
            f"geographic {horizontal.name!r} (degrees); reproject it first, e.g. "
            f"reproject_surface({name}, 'EPSG:32645') for UTM zone 45N"
        )
    axis = horizontal.axis_info[0] if horizontal.axis_info else None
    if axis is not None and not math.isclose(axis.unit_conversion_factor, 1.0, rel_tol=1e-12):
        raise ValueError(
            f"{name}.crs must measure lengths in metres, got {axis.unit_name!r} in "
            f"{horizontal.name!r}; reproject it to a metric CRS first"
        )
    if not horizontal.is_projected:
        return
    x_min, y_min, x_max, y_max = surface.bounds
    try:
        to_lonlat = Transformer.from_crs(horizontal, horizontal.geodetic_crs, always_xy=True)
        lon, lat = to_lonlat.transform((x_min + x_max) / 2, (y_min + y_max) / 2)
        scale = float(Proj(horizontal).get_factors(lon, lat).areal_scale)
    except Exception:  # pragma: no cover - a CRS PROJ cannot evaluate: no check possible
        return
    if not math.isfinite(scale) or abs(scale - 1.0) > MAX_AREAL_DISTORTION:
        raise ValueError(
            f"{name}.crs {horizontal.name!r} distorts areas by a factor {scale:.4g} at the "
            f"raster centre (allowed 1 ± {MAX_AREAL_DISTORTION:g}); reproject it to a local "
            f"UTM or Gauss–Krüger zone first"
        )


def _same_grid(top: Surface, base: Surface) -> None:
    tol = 1e-9 * max(top.cell_width, top.cell_height)
    same = (
        top.shape == base.shape
        and all(
            abs(p - q) <= tol for p, q in zip(top.transform[:6], base.transform[:6], strict=True)
        )
        and (top.crs == base.crs)
    )
    if not same:
        raise ValueError(
            f"base must share the grid of top (shape {top.shape}, transform "
            f"{tuple(top.transform[:6])}, crs {_crs_name(top.crs)}), got shape {base.shape}, "
            f"transform {tuple(base.transform[:6])}, crs {_crs_name(base.crs)}; resample it "
            f"with align_surface(base, top)"
        )


def _crs_name(crs: CRS | None) -> str:
    if crs is None:
        return "None"
    code = crs.to_epsg()
    return f"EPSG:{code}" if code else repr(crs.name)


# --- construction and I/O ----------------------------------------------------------------


def surface_from_function(
    function: Callable[[FloatArray, FloatArray], npt.ArrayLike],
    bounds: Sequence[float],
    cell_size: float,
    crs: CRS | str | None = None,
) -> Surface:
    """Build a surface by sampling a function of (x, y) at the cell centres.

    For synthetic rasters: analytical shapes (cones, frustums, planes) to check volumes and
    slopes against closed forms.

    Parameters
    ----------
    function : callable
        ``function(x, y)`` taking two arrays of cell-centre coordinates (the grid's shape)
        and returning elevations of that shape, NaN for no data. [m]
    bounds : sequence of float
        (x_min, y_min, x_max, y_max) of the grid; the grid starts at (x_min, y_max) and
        covers the bounds with whole cells (x_max and y_min move out to the next cell edge
        when the extent is not a whole number of cells). [m]
    cell_size : float
        Side of the square cells, > 0. [m]
    crs : pyproj.CRS or str or None, optional
        Coordinate reference system; ``None`` for a local grid in metres. [-]

    Returns
    -------
    Surface
        The sampled surface. [m]

    Raises
    ------
    ValueError
        If ``cell_size`` is not > 0, the bounds are empty or not finite, or the function
        returns an array of another shape.

    Examples
    --------
    >>> s = surface_from_function(lambda x, y: 0.1 * x, (0, 0, 10, 5), 1.0, "EPSG:32645")
    >>> s.shape, float(s.elevation[0, 0])
    ((5, 10), 0.05)
    """
    if not (math.isfinite(cell_size) and cell_size > 0):
        raise ValueError(f"cell_size must be > 0 m, got {cell_size!r}")
    if len(bounds) != 4 or not all(math.isfinite(float(b)) for b in bounds):
        raise ValueError(
            f"bounds must be four finite numbers (x_min, y_min, x_max, y_max), got {bounds!r}"
        )
    x_min, y_min, x_max, y_max = (float(b) for b in bounds)
    if not (x_max > x_min and y_max > y_min):
        raise ValueError(
            f"bounds must have x_max > x_min and y_max > y_min [m], got {tuple(bounds)}"
        )
    cols = max(1, math.ceil((x_max - x_min) / cell_size - 1e-9))
    rows = max(1, math.ceil((y_max - y_min) / cell_size - 1e-9))
    transform = _affine((cell_size, 0.0, x_min, 0.0, -cell_size, y_max))
    x = x_min + (np.arange(cols) + 0.5) * cell_size
    y = y_max - (np.arange(rows) + 0.5) * cell_size
    xx, yy = np.meshgrid(x, y)
    z = np.asarray(function(xx, yy), dtype=np.float64)
    if z.shape != xx.shape:
        z = np.broadcast_to(z, xx.shape) if z.ndim == 0 else z
    if z.shape != xx.shape:
        raise ValueError(f"function must return an array of shape {xx.shape}, got {z.shape}")
    return Surface(np.array(z), transform, None if crs is None else CRS.from_user_input(crs))


def read_surface(path: str | os.PathLike[str], band: int = 1) -> Surface:
    """Read a surface from one band of a raster file (GeoTIFF or any GDAL format).

    Parameters
    ----------
    path : str or os.PathLike
        Raster file. [-]
    band : int, optional
        Band to read, from 1. [-]

    Returns
    -------
    Surface
        Elevation (float64; the file's nodata value, masked cells and ±inf become NaN),
        transform and CRS (``None`` if the file has none). [m]

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    ValueError
        If ``band`` is not a band of the file, or the grid is rotated or sheared.
    """
    rasterio = require("rasterio")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no raster file {path}")
    with rasterio.open(path) as src:
        if not 1 <= band <= src.count:
            raise ValueError(f"band must be between 1 and {src.count} for {path.name}, got {band}")
        data = src.read(band, masked=True)
        z = np.ma.filled(data.astype(np.float64), np.nan)
        transform = src.transform
        crs = None if src.crs is None else CRS.from_wkt(src.crs.to_wkt())
    z[~np.isfinite(z)] = np.nan
    return Surface(z, transform, crs)


def write_surface(surface: Surface, path: str | os.PathLike[str]) -> Path:
    """Write a surface to a GeoTIFF (float64, NaN as nodata, deflate), atomically.

    The raster is written to a temporary file in the target directory and renamed over
    ``path``, so a reader never sees a half-written file.

    Parameters
    ----------
    surface : Surface
        The surface to write. [m]
    path : str or os.PathLike
        Target GeoTIFF. [-]

    Returns
    -------
    pathlib.Path
        The path written. [-]

    Raises
    ------
    ValueError
        If the target directory does not exist.
    """
    rasterio = require("rasterio")
    path = Path(path)
    if not path.parent.is_dir():
        raise ValueError(f"path directory must exist, got {str(path.parent)!r}")
    rows, cols = surface.shape
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp.tif", dir=path.parent)
    os.close(fd)
    try:
        profile: dict[str, Any] = {
            "driver": "GTiff",
            "height": rows,
            "width": cols,
            "count": 1,
            "dtype": "float64",
            "nodata": np.nan,
            "transform": surface.transform,
            "compress": "deflate",
        }
        if surface.crs is not None:
            profile["crs"] = _rio_crs(surface.crs)
        with rasterio.open(tmp_name, "w", **profile) as dst:
            dst.write(surface.elevation, 1)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


# --- slope and aspect --------------------------------------------------------------------


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
    >>> plane = surface_from_function(lambda x, y: 0.5 * x, (0, 0, 5, 5), 1.0)
    >>> slope, aspect = slope_aspect(plane)
    >>> round(float(slope[2, 2]), 4), float(aspect[2, 2])  # rises to the east, faces west
    (26.5651, 270.0)
    """
    _check_metric(surface, "surface")
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


# --- volumes -----------------------------------------------------------------------------


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
        resample another grid onto it with :func:`align_surface` first. [m]

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
    rule; module Conventions). Cells where either has no data are left out and reported
    in ``nodata_area_m2``.

    Examples
    --------
    >>> base = surface_from_function(lambda x, y: 0 * x, (0, 0, 10, 10), 1.0)
    >>> top = surface_from_function(lambda x, y: np.where(x < 5, 2.0, -1.0), (0, 0, 10, 10), 1.0)
    >>> r = volume_between(top, base)
    >>> r.fill_volume_m3, r.cut_volume_m3, r.net_volume_m3
    (100.0, 50.0, 50.0)
    """
    _check_metric(top, "top")
    _same_grid(top, base)
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
    >>> mound = surface_from_function(lambda x, y: np.full(x.shape, 3.0), (0, 0, 4, 5), 1.0)
    >>> volume_above(mound, 1.0).fill_volume_m3
    40.0
    """
    if not math.isfinite(elevation):
        raise ValueError(f"elevation must be a finite number [m], got {elevation!r}")
    _check_metric(surface, "surface")
    return _cut_fill(surface.elevation - float(elevation), surface.cell_area, "surface")


# --- elevation-capacity ------------------------------------------------------------------


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
        (:func:`clip_surface`) so that ground outside the void is not counted. [m]
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
    A(L) = N(z < L)·A_cell, V(L) = Σ_{z < L} (L − z)·A_cell with z at cell centres (module
    Conventions). dV/dL = A(L), so the table is monotone.

    Examples
    --------
    >>> box = surface_from_function(lambda x, y: np.where(x < 5, 90.0, 100.0), (0, 0, 10, 2), 1.0)
    >>> t = elevation_capacity(box, levels=[90.0, 95.0, 100.0])
    >>> t.volume_m3.tolist(), t.area_m2.tolist()
    ([0.0, 50.0, 100.0], [0.0, 10.0, 10.0])
    """
    _check_metric(surface, "surface")
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


# --- reprojection and clipping -----------------------------------------------------------


def _warp(
    surface: Surface, dst_shape: tuple[int, int], dst_transform: Any, dst_crs: CRS
) -> Surface:
    warp = require("rasterio.warp")
    if surface.crs is None:
        raise ValueError("surface.crs must be set to reproject, got None")
    dst = np.full(dst_shape, np.nan)
    warp.reproject(
        source=surface.elevation,
        destination=dst,
        src_transform=surface.transform,
        src_crs=_rio_crs(surface.crs),
        src_nodata=np.nan,
        dst_transform=dst_transform,
        dst_crs=_rio_crs(dst_crs),
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
        _rio_crs(surface.crs),
        _rio_crs(dst_crs),
        cols,
        rows,
        *surface.bounds,
        resolution=cell_size,
    )
    return _warp(surface, (int(height), int(width)), dst_transform, dst_crs)


def align_surface(surface: Surface, like: Surface) -> Surface:
    """Resample a surface onto the grid (shape, transform, CRS) of another, bilinear.

    Use it before :func:`volume_between` when two surveys have different grids.

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
            f"{_crs_name(surface.crs)} and {_crs_name(like.crs)}"
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
            f"{tuple(round(v, 3) for v in polygon.bounds)} in {_crs_name(surface.crs)}, "
            f"surface bounds {tuple(round(v, 3) for v in surface.bounds)}"
        )
    rows = np.flatnonzero(inside.any(axis=1))
    cols = np.flatnonzero(inside.any(axis=0))
    r0, r1, c0, c1 = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
    z = np.where(inside, surface.elevation, np.nan)[r0:r1, c0:c1]
    if np.isnan(z).all():
        raise ValueError("polygon covers only cells without data (all NaN inside)")
    t = surface.transform
    transform = _affine((t.a, 0.0, t.c + c0 * t.a, 0.0, t.e, t.f + r0 * t.e))
    return Surface(z, transform, surface.crs)


# --- plots -------------------------------------------------------------------------------


def _nice_step(span: float, target: int = 10) -> float:
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
        :func:`slope_aspect`); by default the elevation. [overlay_label]
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
        Table from :func:`elevation_capacity`. [m, m², m³]
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
