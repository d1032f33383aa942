"""Clipping to polygons, reprojection and alignment keep the frustum's volume."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from pyproj import CRS, Proj, Transformer
from shapely.geometry import Point, Polygon, box

from postmine.geotech.terrain.reprojection import align_surface, clip_surface, reproject_surface
from postmine.geotech.terrain.surface import Surface
from postmine.geotech.terrain.volumes import volume_above, volume_between

VOLUME_TOL = 0.005  # issue 6 acceptance: raster volumes within 0.5 % of the analytical volume
UTM_45N = "EPSG:32645"  # WGS 84 / UTM zone 45N, the Kemerovo region
XC, YC = 436_000.0, 6_130_000.0  # a point near Kemerovo in UTM 45N [m]
BASE_Z = 200.0  # ground level around the synthetic shapes [m]
R_BOTTOM, R_TOP, HEIGHT = 80.0, 30.0, 25.0  # the frustum of the utm_frustum fixture [m]


def _areal_scale(crs: str, x: float, y: float, src: str = UTM_45N) -> float:
    lon, lat = Transformer.from_crs(src, "EPSG:4326", always_xy=True).transform(x, y)
    return float(Proj(CRS(crs)).get_factors(lon, lat).areal_scale)


def test_clip_by_wgs84_polygon_keeps_the_quarter_inside(utm_frustum: Surface, frustum_volume):
    # a UTM square with a corner at the frustum's axis, sent to lon/lat as the registry stores it
    square = box(XC, YC, XC + 150.0, YC + 150.0)
    to_lonlat = Transformer.from_crs(UTM_45N, "EPSG:4326", always_xy=True)
    footprint = Polygon([to_lonlat.transform(x, y) for x, y in square.exterior.coords])
    clipped = clip_surface(utm_frustum, footprint)
    assert clipped.shape == (100, 100)  # cropped to the cells inside
    assert_allclose(clipped.bounds, (XC, YC, XC + 100.0, YC + 100.0), atol=1e-6)
    quarter = frustum_volume(R_BOTTOM, R_TOP, HEIGHT) / 4.0
    assert_allclose(volume_above(clipped, BASE_Z).fill_volume_m3, quarter, rtol=VOLUME_TOL)


def test_clip_by_a_circle_in_raster_coordinates_marks_outside_nan(
    utm_frustum: Surface, frustum_volume
):
    clipped = clip_surface(utm_frustum, Point(XC, YC).buffer(50.0, quad_segs=64), polygon_crs=None)
    result = volume_above(clipped, BASE_Z)
    # inside r = 50: a cylinder up to the flank's height there (25 m x 30/50 = 15 m) and the
    # upper part of the frustum above it (radius 50 -> 30 m over 10 m)
    inner = math.pi * 50.0**2 * 15.0 + frustum_volume(50.0, R_TOP, HEIGHT - 15.0)
    assert_allclose(result.fill_volume_m3, inner, rtol=VOLUME_TOL)
    assert result.nodata_area_m2 > 0.0  # the corners of the crop are outside the circle


@pytest.mark.parametrize(
    ("crs", "cell"),
    [
        (UTM_45N, 2.0),
        ("EPSG:28415", 1.0),
        ("EPSG:32646", 1.0),
    ],  # resample; Gauss–Krüger 15; UTM 46N
)
def test_reprojected_volume_matches_frustum(
    utm_frustum: Surface, crs: str, cell: float, frustum_volume
):
    moved = reproject_surface(utm_frustum, crs, cell)
    assert moved.crs == CRS.from_user_input(crs)
    volume = volume_above(moved, BASE_Z).fill_volume_m3
    expected = frustum_volume(R_BOTTOM, R_TOP, HEIGHT)
    assert_allclose(volume, expected, rtol=VOLUME_TOL)
    # what remains is the projections' scale: ground areas grow by the ratio of areal scales
    ratio = _areal_scale(crs, XC, YC) / _areal_scale(UTM_45N, XC, YC)
    assert_allclose(volume, expected * ratio, rtol=5e-4)


def test_align_surface_makes_volume_between_possible(utm_frustum: Surface, frustum_volume):
    coarse = reproject_surface(utm_frustum, UTM_45N, 2.0)
    with pytest.raises(ValueError, match=r"base must share the grid of top.*align_surface"):
        volume_between(utm_frustum, coarse)
    aligned = align_surface(coarse, utm_frustum)
    assert aligned.shape == utm_frustum.shape
    flat = Surface(np.full(utm_frustum.shape, BASE_Z), utm_frustum.transform, utm_frustum.crs)
    assert_allclose(
        volume_between(aligned, flat).fill_volume_m3,
        frustum_volume(R_BOTTOM, R_TOP, HEIGHT),
        rtol=VOLUME_TOL,
    )


def test_empty_clip_is_refused(utm_frustum: Surface):
    far = box(XC + 1000, YC + 1000, XC + 1100, YC + 1100)
    with pytest.raises(ValueError, match=r"polygon covers no cell centre of the surface"):
        clip_surface(utm_frustum, far, polygon_crs=None)
    with pytest.raises(
        ValueError, match=r"polygon must be a non-empty Polygon or MultiPolygon, got Point"
    ):
        clip_surface(utm_frustum, Point(XC, YC), polygon_crs=None)
    with pytest.raises(ValueError, match=r"polygon must be a non-empty Polygon.*got Polygon"):
        clip_surface(utm_frustum, Polygon(), polygon_crs=None)
    holed = Surface(np.full((4, 4), np.nan), (1.0, 0.0, 0.0, 0.0, -1.0, 4.0))
    with pytest.raises(ValueError, match=r"polygon covers only cells without data"):
        clip_surface(holed, box(0, 0, 4, 4), polygon_crs=None)
    with pytest.raises(ValueError, match=r"surface.crs must be set to clip"):
        clip_surface(holed, box(0, 0, 4, 4))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda grid: reproject_surface(grid(lambda x, y: x, 2, 1.0, UTM_45N), UTM_45N, -1.0),
            r"cell_size must be > 0 .*got -1.0",
        ),
        (
            lambda grid: reproject_surface(grid(lambda x, y: x, 2, 1.0), UTM_45N),
            r"surface.crs must be set to reproject, got None",
        ),
        (
            lambda grid: align_surface(
                grid(lambda x, y: x, 2, 1.0), grid(lambda x, y: x, 2, 1.0, UTM_45N)
            ),
            r"surface.crs and like.crs must both be set or both be None",
        ),
    ],
)
def test_bad_reprojection_arguments_are_refused(call, message, square_grid):
    with pytest.raises(ValueError, match=message):
        call(square_grid)
