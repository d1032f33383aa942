"""Slope and aspect by Horn's 3×3 method: exact on planes, Esri's worked examples, edges."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.geotech.terrain.surface import Surface, surface_from_function
from postmine.geotech.terrain.surface_slope import slope_aspect

PLANE_TOL = 1e-9  # Horn's differences are exact on a plane; only rounding remains [°]
UTM_45N = "EPSG:32645"  # WGS 84 / UTM zone 45N, the Kemerovo region
XC, YC = 436_000.0, 6_130_000.0  # a point near Kemerovo in UTM 45N [m]


@pytest.mark.parametrize("slope_deg", [0.5, 10.0, 33.7, 60.0, 85.0])
@pytest.mark.parametrize("aspect_deg", [0.0, 45.0, 90.0, 135.0, 180.0, 222.2, 270.0, 315.0])
def test_slope_and_aspect_of_a_plane_are_exact(slope_deg, aspect_deg):
    # plane descending towards the azimuth aspect_deg at slope_deg: z = -tanθ (x sinA + y cosA)
    gradient = math.tan(math.radians(slope_deg))
    sa, ca = math.sin(math.radians(aspect_deg)), math.cos(math.radians(aspect_deg))
    plane = surface_from_function(
        lambda x, y: 500.0 - gradient * ((x - XC) * sa + (y - YC) * ca),
        (XC - 20, YC - 15, XC + 20, YC + 15),
        2.5,
        UTM_45N,
    )
    slope, aspect = slope_aspect(plane)
    assert_allclose(slope[1:-1, 1:-1], slope_deg, rtol=0, atol=PLANE_TOL)
    expected = np.full(aspect[1:-1, 1:-1].shape, aspect_deg)
    diff = (aspect[1:-1, 1:-1] - expected + 180.0) % 360.0 - 180.0  # 0° and 360° are one
    assert_allclose(diff, 0.0, atol=PLANE_TOL)


def test_slope_of_a_plane_on_rectangular_cells():
    # 10 % towards east, 5 % towards north on 2 m x 0.5 m cells: aspect uses the metric gradient
    s = Surface(
        np.fromfunction(lambda r, c: 0.1 * 2.0 * c - 0.05 * 0.5 * r, (8, 9)),
        (2.0, 0.0, 0.0, 0.0, -0.5, 4.0),
    )
    slope, aspect = slope_aspect(s)
    assert_allclose(slope[1:-1, 1:-1], math.degrees(math.atan(math.hypot(0.1, 0.05))), atol=1e-9)
    # descends towards -grad = (-0.1, -0.05): azimuth atan2(-0.1, -0.05)
    assert_allclose(
        aspect[1:-1, 1:-1], math.degrees(math.atan2(-0.1, -0.05)) % 360.0, atol=PLANE_TOL
    )


def test_slope_matches_esri_worked_example():
    # Esri "How Slope works": window 50 45 50 / 30 30 30 / 8 10 10, cell 5 m;
    # dz/dx = 0.05, dz/dy = -3.8, rise_run = 3.80032 (printed truncated to 5 decimals:
    # tolerance 1e-5), slope 75.25762° (computed from the truncated rise_run: tolerance 1e-4°)
    window = np.array([[50.0, 45.0, 50.0], [30.0, 30.0, 30.0], [8.0, 10.0, 10.0]])
    slope, aspect = slope_aspect(Surface(window, (5.0, 0.0, 0.0, 0.0, -5.0, 15.0)))
    assert_allclose(math.tan(math.radians(slope[1, 1])), 3.80032, atol=1e-5)
    assert_allclose(slope[1, 1], 75.25762, atol=1e-4)
    # the slope faces south (north row is higher), a little west (left column is lower at 8)
    assert 180.0 < aspect[1, 1] < 181.0


def test_aspect_matches_esri_worked_example():
    # Esri "How Aspect works": window 101 92 85 / 101 92 85 / 101 91 84 gives 92.64° (printed
    # to two decimals: tolerance 0.005°)
    window = np.array([[101.0, 92.0, 85.0], [101.0, 92.0, 85.0], [101.0, 91.0, 84.0]])
    _, aspect = slope_aspect(Surface(window, (1.0, 0.0, 0.0, 0.0, -1.0, 3.0)))
    assert_allclose(aspect[1, 1], 92.64, atol=0.005)


def test_slope_edges_and_nodata_windows_are_nan():
    z = np.fromfunction(lambda r, c: 0.2 * c, (7, 7))
    z[3, 3] = np.nan
    slope, aspect = slope_aspect(Surface(z, (1.0, 0.0, 0.0, 0.0, -1.0, 7.0)))
    border = np.ones(z.shape, bool)
    border[1:-1, 1:-1] = False
    assert np.isnan(slope[border]).all() and np.isnan(aspect[border]).all()
    assert np.isnan(slope[2:5, 2:5]).all()  # every window touching the missing cell
    assert np.isfinite(slope[1, 1:-1]).all()


def test_flat_cells_have_slope_zero_and_no_aspect(square_grid):
    slope, aspect = slope_aspect(square_grid(lambda x, y: 0 * x + 7.0, 5, 1.0))
    assert_allclose(slope[1:-1, 1:-1], 0.0, atol=0)
    assert np.isnan(aspect).all()
