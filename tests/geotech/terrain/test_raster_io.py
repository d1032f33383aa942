"""GeoTIFF round trip, nodata values, rotated rasters refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rasterio
from numpy.testing import assert_allclose
from pyproj import CRS

from postmine.geotech.terrain.raster_io import read_surface, write_surface
from postmine.geotech.terrain.surface import Surface, surface_from_function

UTM_45N = "EPSG:32645"  # WGS 84 / UTM zone 45N, the Kemerovo region
XC, YC = 436_000.0, 6_130_000.0  # a point near Kemerovo in UTM 45N [m]


def test_write_then_read_round_trip(tmp_path: Path, mound):
    s = surface_from_function(
        mound(30.0, 10.0, 8.0, XC, YC), (XC - 40, YC - 40, XC + 40, YC + 40), 2.0, UTM_45N
    )
    z = s.elevation.copy()
    z[0, 0] = np.nan
    s = Surface(z, s.transform, s.crs)
    path = write_surface(s, tmp_path / "dem.tif")
    assert not list(tmp_path.glob("*.tmp.tif"))  # the temporary file was renamed
    back = read_surface(path)
    assert_allclose(back.elevation, s.elevation, rtol=0, atol=0, equal_nan=True)
    assert tuple(back.transform)[:6] == tuple(s.transform)[:6]
    assert back.crs == CRS.from_user_input(UTM_45N)


def test_read_turns_the_nodata_value_into_nan(tmp_path: Path):
    path = tmp_path / "int.tif"
    data = np.array([[1, 2, 3], [4, -9999, 6]], dtype=np.int16)
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=2,
        width=3,
        count=1,
        dtype="int16",
        nodata=-9999,
        transform=rasterio.transform.from_origin(0, 2, 1, 1),
    ) as dst:
        dst.write(data, 1)
    s = read_surface(path)
    assert s.crs is None
    assert np.isnan(s.elevation[1, 1]) and s.elevation[1, 2] == 6.0
    with pytest.raises(ValueError, match=r"band must be between 1 and 1 .* got 2"):
        read_surface(path, band=2)
    with pytest.raises(FileNotFoundError):
        read_surface(tmp_path / "missing.tif")


def test_rotated_raster_is_refused(tmp_path: Path):
    path = tmp_path / "rotated.tif"
    transform = rasterio.Affine.rotation(10.0) @ rasterio.Affine(1, 0, 0, 0, -1, 0)
    with rasterio.open(
        path, "w", driver="GTiff", height=3, width=3, count=1, dtype="float64", transform=transform
    ) as dst:
        dst.write(np.ones((3, 3)), 1)
    with pytest.raises(ValueError, match=r"transform must be north-up.*reproject"):
        read_surface(path)


def test_write_needs_an_existing_directory(square_grid):
    with pytest.raises(ValueError, match=r"path directory must exist"):
        write_surface(square_grid(lambda x, y: x, 2, 1.0), "/no/such/dir/x.tif")
