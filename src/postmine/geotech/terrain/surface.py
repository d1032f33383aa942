r"""The elevation raster of the terrain modules: :class:`Surface`, its checks, synthetic surfaces.

A :class:`Surface` is an elevation grid (float64, NaN where there is no data) with the affine
transform of its cells and its coordinate reference system. :func:`surface_from_function`
builds one from a function of the coordinates (analytical shapes to check volumes and
slopes against closed forms); :func:`check_metric` refuses a CRS that does not measure true
metres, :func:`check_same_grid` two surfaces on different grids.

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
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import numpy.typing as npt
from pyproj import CRS, Proj, Transformer

from postmine.core.extras import require

if TYPE_CHECKING:
    from affine import Affine

__all__ = [
    "MAX_AREAL_DISTORTION",
    "FloatArray",
    "Surface",
    "as_affine",
    "check_metric",
    "check_same_grid",
    "crs_name",
    "rasterio_crs",
    "surface_from_function",
]

FloatArray = npt.NDArray[np.float64]

#: Largest departure of the CRS's areal scale from 1 accepted for areas and volumes. [-]
MAX_AREAL_DISTORTION = 0.01


def as_affine(values: Any) -> Affine:
    """Return an :class:`affine.Affine` from an Affine or its six coefficients (a..f)."""
    affine_cls = require("rasterio.transform").Affine
    coeffs = tuple(float(v) for v in tuple(values)[:6])
    if len(coeffs) != 6:
        raise ValueError(f"transform must have six coefficients (a, b, c, d, e, f), got {values}")
    return cast("Affine", affine_cls(*coeffs))


def rasterio_crs(crs: CRS) -> Any:
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
        t = as_affine(self.transform)
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


def check_metric(surface: Surface, name: str) -> None:
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


def check_same_grid(top: Surface, base: Surface) -> None:
    """Refuse a ``base`` whose shape, transform or CRS differ from those of ``top``."""
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
            f"{tuple(top.transform[:6])}, crs {crs_name(top.crs)}), got shape {base.shape}, "
            f"transform {tuple(base.transform[:6])}, crs {crs_name(base.crs)}; resample it "
            f"with align_surface(base, top)"
        )


def crs_name(crs: CRS | None) -> str:
    """Return ``EPSG:<code>`` of a CRS, its quoted name without a code, or ``None``."""
    if crs is None:
        return "None"
    code = crs.to_epsg()
    return f"EPSG:{code}" if code else repr(crs.name)


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
    transform = as_affine((cell_size, 0.0, x_min, 0.0, -cell_size, y_max))
    x = x_min + (np.arange(cols) + 0.5) * cell_size
    y = y_max - (np.arange(rows) + 0.5) * cell_size
    xx, yy = np.meshgrid(x, y)
    z = np.asarray(function(xx, yy), dtype=np.float64)
    if z.shape != xx.shape:
        z = np.broadcast_to(z, xx.shape) if z.ndim == 0 else z
    if z.shape != xx.shape:
        raise ValueError(f"function must return an array of shape {xx.shape}, got {z.shape}")
    return Surface(np.array(z), transform, None if crs is None else CRS.from_user_input(crs))
