"""The surface: metric-CRS and same-grid checks, surfaces without data, bad grids refused."""

from __future__ import annotations

import numpy as np
import pytest

from postmine.geotech.terrain.capacity import elevation_capacity
from postmine.geotech.terrain.plots import plot_surface
from postmine.geotech.terrain.reprojection import reproject_surface
from postmine.geotech.terrain.surface import Surface, surface_from_function
from postmine.geotech.terrain.surface_slope import slope_aspect
from postmine.geotech.terrain.volumes import volume_above, volume_between

UTM_45N = "EPSG:32645"  # WGS 84 / UTM zone 45N, the Kemerovo region
BASE_Z = 200.0  # ground level around the synthetic shapes [m]


def test_geographic_crs_is_refused_for_metric_operations(utm_frustum: Surface):
    lonlat = reproject_surface(utm_frustum, "EPSG:4326")
    for call in (
        lambda: volume_above(lonlat, BASE_Z),
        lambda: slope_aspect(lonlat),
        lambda: elevation_capacity(lonlat),
        lambda: volume_between(lonlat, lonlat),
    ):
        with pytest.raises(ValueError, match=r"crs must be a projected CRS.*geographic.*reproject"):
            call()


def test_web_mercator_is_refused_for_its_area_distortion(utm_frustum: Surface):
    with pytest.raises(ValueError, match=r"distorts areas by a factor 3\.\d+.*reproject"):
        volume_above(reproject_surface(utm_frustum, "EPSG:3857"), BASE_Z)


def test_feet_are_refused():
    s = surface_from_function(lambda x, y: 0 * x, (2e6, 6e5, 2e6 + 10, 6e5 + 10), 1.0, "EPSG:2264")
    with pytest.raises(
        ValueError, match=r"crs must measure lengths in metres, got 'US survey foot'"
    ):
        volume_above(s, 0.0)


def test_mismatched_grids_are_refused(square_grid):
    a = square_grid(lambda x, y: 0 * x, 10.0, 1.0)
    with pytest.raises(
        ValueError,
        match=r"base must share the grid of top .*shape \(20, 20\).*got shape \(10, 10\)",
    ):
        volume_between(a, square_grid(lambda x, y: 0 * x, 10.0, 2.0))
    with pytest.raises(ValueError, match=r"base must share the grid.*crs None.*crs EPSG:32645"):
        volume_between(a, square_grid(lambda x, y: 0 * x, 10.0, 1.0, UTM_45N))


def test_all_nan_is_refused():
    s = Surface(np.full((4, 4), np.nan), (1.0, 0.0, 0.0, 0.0, -1.0, 4.0))
    with pytest.raises(ValueError, match=r"surface has no cell with data \(all NaN\)"):
        volume_above(s, 0.0)
    with pytest.raises(ValueError, match=r"surface has no cell with data"):
        elevation_capacity(s)
    with pytest.raises(ValueError, match=r"top − base has no cell with data"):
        volume_between(s, s)
    with pytest.raises(ValueError, match=r"surface has no cell with data"):
        plot_surface(s, "unused.png")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((np.zeros(4), (1, 0, 0, 0, -1, 0)), r"elevation must be a non-empty 2-D array"),
        ((np.array([[np.inf]]), (1, 0, 0, 0, -1, 0)), r"elevation must hold finite values or NaN"),
        ((np.zeros((2, 2)), (1, 0.1, 0, 0, -1, 0)), r"transform must be north-up .*b=0.1"),
        ((np.zeros((2, 2)), (1, 0, 0, 0, 1, 0)), r"transform must have cell width a > 0 and e < 0"),
    ],
)
def test_bad_surfaces_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        Surface(*args)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: surface_from_function(lambda x, y: x, (0, 0, 1, 1), 0.0),
            r"cell_size must be > 0 m, got 0.0",
        ),
        (
            lambda: surface_from_function(lambda x, y: x, (0, 0, 0, 1), 1.0),
            r"bounds must have x_max > x_min",
        ),
        (
            lambda: surface_from_function(lambda x, y: x[0], (0, 0, 3, 3), 1.0),
            r"function must return an array of shape \(3, 3\), got \(3,\)",
        ),
    ],
)
def test_bad_synthetic_surfaces_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()
