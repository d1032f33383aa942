r"""Terrain from elevation rasters: slope, aspect, cut/fill volumes and capacity curves.

Modules, one concern each:

* :mod:`~postmine.geotech.terrain.surface` — :class:`Surface` (an elevation grid with its
  affine transform and CRS), the metric-CRS and same-grid checks, and
  :func:`surface_from_function` for synthetic shapes;
* :mod:`~postmine.geotech.terrain.raster_io` — :func:`read_surface` and
  :func:`write_surface` (GeoTIFF);
* :mod:`~postmine.geotech.terrain.surface_slope` — :func:`slope_aspect` by Horn's (1981)
  3×3 method, as GDAL ``gdaldem``;
* :mod:`~postmine.geotech.terrain.volumes` — :func:`volume_between` and
  :func:`volume_above`, cut and fill volumes and areas with the area without data;
* :mod:`~postmine.geotech.terrain.capacity` — :func:`elevation_capacity`, the
  elevation–area–capacity table of a void (capacity by tier elevation, pit-lake area and
  volume by level);
* :mod:`~postmine.geotech.terrain.reprojection` — :func:`reproject_surface`,
  :func:`align_surface` and :func:`clip_surface` (CRS, grid, polygon such as an object's
  footprint from the registry);
* :mod:`~postmine.geotech.terrain.plots` — :func:`plot_surface` and :func:`plot_capacity`
  (PNG, matplotlib Agg).

Volumes are Σ Δz · A_cell at cell centres in a projected CRS in metres (the Conventions of
:mod:`~postmine.geotech.terrain.surface`). Rasterio is an optional dependency
(``pip install 'postmine[geo]'``), imported through :func:`postmine.core.extras.require` by
the functions that need it.
"""

from postmine.geotech.terrain.capacity import CapacityTable, elevation_capacity
from postmine.geotech.terrain.plots import plot_capacity, plot_surface
from postmine.geotech.terrain.raster_io import read_surface, write_surface
from postmine.geotech.terrain.reprojection import align_surface, clip_surface, reproject_surface
from postmine.geotech.terrain.surface import Surface, surface_from_function
from postmine.geotech.terrain.surface_slope import slope_aspect
from postmine.geotech.terrain.volumes import CutFill, volume_above, volume_between

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
