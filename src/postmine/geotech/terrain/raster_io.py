"""GeoTIFF input and output of elevation rasters (rasterio, the ``geo`` extra, imported on use).

:func:`read_surface` reads one band of any GDAL raster into a
:class:`~postmine.geotech.terrain.surface.Surface` (nodata, masked cells and ±inf become
NaN); :func:`write_surface` writes a float64 GeoTIFF atomically.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import CRS

from postmine.core.extras import require
from postmine.geotech.terrain.surface import Surface, rasterio_crs

__all__ = ["read_surface", "write_surface"]


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
            profile["crs"] = rasterio_crs(surface.crs)
        with rasterio.open(tmp_name, "w", **profile) as dst:
            dst.write(surface.elevation, 1)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path
