"""Tests of the pit, topsoil and allotment formulas of PR1 in 004 (Eqs. 1.1-1.3, 1.19).

PR1 has no worked example: each formula is checked against an independent numerical
computation (area of the offset outline and volume of the pit by scipy quadrature) and
against a hand computation of variant 1 of Table 1.2.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import integrate

from postmine.methods.land_allotment import (
    disturbed_land_area,
    mining_allotment_area,
    overburden_volume,
    pit_bottom_area,
    pit_bottom_perimeter,
    pit_wall_run,
    topsoil_store_area,
    topsoil_volume,
    total_land_allotment,
)

# The hand computations below carry six significant digits.
HAND_RTOL = 1e-5
# scipy.integrate.quad of smooth integrands: agreement to 1e-9 relative.
QUAD_RTOL = 1e-9


def offset_rectangle_area(length, width, offset):
    """Area of the set of points within ``offset`` of an L x B rectangle, by quadrature."""
    half = length / 2.0

    def height(x):
        dx = abs(x) - half
        if dx <= 0.0:
            return width + 2.0 * offset
        return width + 2.0 * np.sqrt(max(offset**2 - dx**2, 0.0))

    a = half + offset
    area, _ = integrate.quad(height, -a, a, points=[-half, half], epsabs=0.0, epsrel=1e-12)
    return area


# ---------------------------------------------------------------- variant 1, Table 1.2
# L x B = 1.1 x 0.09 km, H_к = 55 m, φ_ср = 35°, K_у = 0.10; l = 500 m, K_разр = 1.4.
V1 = {"L": 1100.0, "B": 90.0, "H": 55.0, "phi": 35.0, "K_y": 0.10}


def test_variant_1_pit_bottom():
    # S_пи = 1100 · 90 = 99 000 m²; P = 2 (1100 + 90) = 2380 m
    assert_allclose(pit_bottom_area(V1["L"], V1["B"]), 99_000.0, rtol=1e-12)
    assert_allclose(pit_bottom_perimeter(V1["L"], V1["B"]), 2_380.0, rtol=1e-12)


def test_variant_1_mining_allotment_hand():
    # ctg 35° = 1.428148; H_к ctg φ = 55 · 1.428148 = 78.5481 m; d = 78.5481 + 500 = 578.548 m
    # S_го = 99 000 + 2380 · 578.548 + π · 578.548²
    #      = 99 000 + 1 376 945 + π · 334 718 = 99 000 + 1 376 945 + 1 051 547
    #      = 2 527 492 m² (252.749 ha)
    assert_allclose(pit_wall_run(V1["H"], V1["phi"]), 78.5481, rtol=HAND_RTOL)
    S_го = mining_allotment_area(99_000.0, 2_380.0, V1["H"], V1["phi"])
    assert_allclose(S_го, 2_527_492.0, rtol=HAND_RTOL)


def test_variant_1_overburden_volume_hand():
    # S H_к            = 99 000 · 55                    = 5 445 000
    # 0.5 P H_к² ctg φ = 0.5 · 2380 · 3025 · 1.428148   = 5 140 976
    # π H_к³ ctg²φ / 3 = π · 166 375 · 2.039607 / 3     =   355 356
    # sum = 10 941 331 m³; x (1 - 0.10) x 1.4 = 13 786 078 m³
    V_вс = overburden_volume(99_000.0, 2_380.0, V1["H"], V1["phi"], V1["K_y"])
    assert_allclose(V_вс, 13_786_078.0, rtol=HAND_RTOL)


@pytest.mark.parametrize(
    ("length", "width", "depth", "slope", "zone"),
    [
        (1100.0, 90.0, 55.0, 35.0, 500.0),
        (3600.0, 230.0, 155.0, 39.0, 0.0),
        (50.0, 50.0, 5.0, 80.0, 20.0),
    ],
)
def test_mining_allotment_is_the_offset_outline(length, width, depth, slope, zone):
    # Eq. 1.2 against the area of the bottom rectangle offset by H ctg φ + l, by quadrature.
    offset = depth / np.tan(np.radians(slope)) + zone
    expected = offset_rectangle_area(length, width, offset)
    S_го = mining_allotment_area(length * width, 2 * (length + width), depth, slope, zone)
    assert_allclose(S_го, expected, rtol=QUAD_RTOL)


@pytest.mark.parametrize(
    ("length", "width", "depth", "slope"),
    [(1100.0, 90.0, 55.0, 35.0), (2500.0, 500.0, 75.0, 39.0), (200.0, 100.0, 40.0, 60.0)],
)
def test_overburden_volume_is_the_pit_solid(length, width, depth, slope):
    # Eq. 1.3 against the integral over depth of the offset bottom outline (nested quadrature),
    # with K_у = 0.2 and K_разр = 1.3.
    ctg = 1.0 / np.tan(np.radians(slope))
    solid, _ = integrate.quad(
        lambda z: offset_rectangle_area(length, width, z * ctg), 0.0, depth, epsrel=1e-11
    )
    V = overburden_volume(length * width, 2 * (length + width), depth, slope, 0.2, 1.3)
    assert_allclose(V, solid * 0.8 * 1.3, rtol=1e-8)


def test_zero_depth_leaves_no_overburden_and_the_bottom_plus_zone():
    assert_allclose(overburden_volume(1e4, 400.0, 0.0, 40.0, 0.1), 0.0, atol=1e-12)
    assert_allclose(
        mining_allotment_area(1e4, 400.0, 0.0, 40.0, 10.0), 1e4 + 4000.0 + np.pi * 100.0
    )


def test_vectorised_over_depth():
    depths = np.array([10.0, 55.0, 100.0])
    S = mining_allotment_area(99_000.0, 2_380.0, depths, 35.0)
    assert S.shape == (3,)
    assert np.all(np.diff(S) > 0)
    V = overburden_volume(99_000.0, 2_380.0, depths, 35.0, 0.1)
    assert_allclose(V[1], 13_786_078.0, rtol=HAND_RTOL)


def test_variant_1_topsoil_and_allotment_hand_bottom_up():
    # Pit without the sanitary zone (Eq. 1.2 with l = 0):
    #   99 000 + 2380 · 78.5481 + π · 78.5481² = 99 000 + 186 945 + 19 383 = 305 328 m²
    # Dump base after bottom-up flattening = circle of R = 340.632 m: π R² = 364 520 m²
    # S_н = 305 328 + 364 520 = 669 848 m²
    # V_пп = 669 848 · 0.5 · 1.1 = 368 416 m³; S_ск = 368 416 / (5 · 0.75) = 98 244 m²
    S_pit = mining_allotment_area(99_000.0, 2_380.0, 55.0, 35.0, 0.0)
    assert_allclose(S_pit, 305_328.0, rtol=HAND_RTOL)
    S_н = disturbed_land_area(S_pit, 364_519.8)
    assert_allclose(S_н, 669_848.0, rtol=HAND_RTOL)
    V_пп = topsoil_volume(S_н, 0.5)
    assert_allclose(V_пп, 368_416.0, rtol=HAND_RTOL)
    S_ск = topsoil_store_area(V_пп, 5.0)
    assert_allclose(S_ск, 98_244.3, rtol=HAND_RTOL)
    # Eq. 1.1 as printed: (2 527 492 + 364 520 + 98 244) · 1.15 = 2 990 256 · 1.15 = 3 438 794 m²
    S_зо = total_land_allotment(2_527_492.0, 364_519.8, 98_244.3)
    assert_allclose(S_зо, 3_438_794.0, rtol=HAND_RTOL)
    # with the polluted ring S_з = 1 269 505 m² (test_dust): 4 259 761 · 1.15 = 4 898 725 m²
    S_зо = total_land_allotment(2_527_492.0, 364_519.8, 98_244.3, polluted_area=1_269_505.0)
    assert_allclose(S_зо, 4_898_725.0, rtol=HAND_RTOL)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: pit_bottom_area(-1.0, 90.0), r"length must be > 0 m, got -1 m"),
        (lambda: pit_bottom_perimeter(1100.0, 0.0), r"width must be > 0 m, got 0 m"),
        (lambda: pit_wall_run(-5.0, 35.0), r"pit_depth must be >= 0 m, got -5 m"),
        (lambda: pit_wall_run(55.0, 0.0), r"pit_slope_angle must be in \(0, 90\) °, got 0"),
        (lambda: pit_wall_run(55.0, 90.0), r"pit_slope_angle must be in \(0, 90\) °, got 90"),
        (
            lambda: mining_allotment_area(99e3, 2380.0, -55.0, 35.0),
            r"pit_depth must be >= 0 m, got -55 m",
        ),
        (
            lambda: mining_allotment_area(99e3, 2380.0, 55.0, 35.0, -1.0),
            r"sanitary_zone_width must be >= 0 m, got -1 m",
        ),
        (
            lambda: mining_allotment_area(-1.0, 2380.0, 55.0, 35.0),
            r"bottom_area must be >= 0 m², got -1 m²",
        ),
        (
            lambda: mining_allotment_area(99e3, -2380.0, 55.0, 35.0),
            r"bottom_perimeter must be >= 0 m, got -2380 m",
        ),
        (
            lambda: overburden_volume(99e3, 2380.0, 55.0, 35.0, 1.0),
            r"coal_bearing_ratio must be in \[0, 1\), got 1",
        ),
        (
            lambda: overburden_volume(99e3, 2380.0, 55.0, 35.0, -0.1),
            r"coal_bearing_ratio must be in \[0, 1\), got -0.1",
        ),
        (
            lambda: overburden_volume(99e3, 2380.0, 55.0, 35.0, 0.1, 0.9),
            r"loosening_factor must be >= 1, got 0.9",
        ),
        (
            lambda: overburden_volume(99e3, 2380.0, 55.0, 95.0, 0.1),
            r"pit_slope_angle must be in \(0, 90\) °, got 95",
        ),
        (lambda: disturbed_land_area(-1.0, 0.0), r"pit_area must be >= 0 m², got -1 m²"),
        (lambda: disturbed_land_area(0.0, -1.0), r"dump_base_area must be >= 0 m², got -1"),
        (lambda: topsoil_volume(-1.0, 0.5), r"disturbed_area must be >= 0 m², got -1"),
        (lambda: topsoil_volume(1.0, -0.5), r"topsoil_thickness must be >= 0 m, got -0.5"),
        (lambda: topsoil_volume(1.0, 0.5, 0.5), r"loosening_factor must be >= 1, got 0.5"),
        (lambda: topsoil_store_area(-1.0, 5.0), r"topsoil_volume must be >= 0 m³, got -1"),
        (lambda: topsoil_store_area(1.0, 0.0), r"stack_height must be > 0 m, got 0 m"),
        (lambda: topsoil_store_area(1.0, 5.0, 0.0), r"slope_factor must be in \(0, 1\], got 0"),
        (lambda: topsoil_store_area(1.0, 5.0, 1.2), r"slope_factor must be in \(0, 1\], got 1.2"),
        (
            lambda: total_land_allotment(1.0, 1.0, 1.0, 0.9),
            r"development_factor must be >= 1, got 0.9",
        ),
        (
            lambda: total_land_allotment(-1.0, 1.0, 1.0),
            r"mining_allotment_area must be >= 0 m², got -1",
        ),
        (lambda: total_land_allotment(1.0, -1.0, 1.0), r"dump_base_area must be >= 0 m²"),
        (lambda: total_land_allotment(1.0, 1.0, -1.0), r"topsoil_store_area must be >= 0 m²"),
        (
            lambda: total_land_allotment(1.0, 1.0, 1.0, polluted_area=-1.0),
            r"polluted_area must be >= 0 m², got -1",
        ),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
