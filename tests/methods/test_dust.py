"""Tests of the dust formulas of PR1 in 004 (Eqs. 1.12-1.18).

Eq. (1.12) is a reconstruction of a garbled formula: it is checked against a hand
computation and its expected trends, not against a printed number (PR1 has no worked
example). The polluted areas are checked against the area of the ring around the base
by scipy quadrature.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import integrate

from postmine.methods.dust import (
    dump_dusting_surface,
    dust_emission_rate,
    dust_polluted_area,
    dust_zone_width,
    specific_dust_blow_off,
)

# The hand computations below carry six significant digits.
HAND_RTOL = 1e-5
QUAD_RTOL = 1e-9


def ring_area_around_rectangle(B, L, X):
    """Area within X of a B x L rectangle minus the rectangle, by quadrature over x."""

    def height(x):
        dx = abs(x) - L / 2
        return B + 2 * X if dx <= 0 else B + 2 * np.sqrt(max(X**2 - dx**2, 0.0))

    a = L / 2 + X
    total, _ = integrate.quad(height, -a, a, points=[-L / 2, L / 2], epsabs=0.0, epsrel=1e-12)
    return total - B * L


def ring_area_around_circle(R, X):
    area, _ = integrate.quad(lambda rho: 2 * np.pi * rho, R, R + X, epsrel=1e-13)
    return area


def test_specific_blow_off_hand():
    # (1.15) ω = 0.0097 · 5^2.887; ln 5 · 2.887 = 1.609438 · 2.887 = 4.646447;
    # e^4.646447 = 104.2141; ω = 0.0097 · 104.2141 = 1.010877 mg/(m² s)
    assert_allclose(specific_dust_blow_off(), 1.010877, rtol=HAND_RTOL)
    assert_allclose(specific_dust_blow_off(1.0), 0.0097, rtol=1e-12)


def test_variant_1_bottom_up_dust_hand():
    # Chosen dump of variant 1 (test_dumps): S_в = 251 669 m², S_б = 143 210 m², h* = 60.4796 m
    # (1.14) S_отв = 143 210 + 251 669 = 394 879 m²
    # (1.13) g_от = 1.010877 · 394 879 = 399 174 mg/s
    # (1.12) C h*/g = 2 · 60.4796 / 399 174 = 3.030238e-4; ln = -8.101699
    #        numerator 0.006 · 60.4796 - 7.01 - 8.101699 = 0.362878 - 15.111699 = -14.748821
    #        denominator 0.0036 · 60.4796 - 2.7 = 0.217727 - 2.7 = -2.482273
    #        X_з = exp(5.941658) = 380.566 m
    S_отв = dump_dusting_surface(143_210.0, 251_669.0)
    assert_allclose(S_отв, 394_879.0, rtol=HAND_RTOL)
    g_от = dust_emission_rate(1.010877, S_отв)
    assert_allclose(g_от, 399_174.0, rtol=HAND_RTOL)
    X_з = dust_zone_width(60.4796, g_от)
    assert_allclose(X_з, 380.566, rtol=HAND_RTOL)
    # (1.16) circle R = 340.632 m: S_з = π (340.632 + 380.566)² - π 340.632²
    #        = π (520 126.6 - 116 030.2) = π · 404 096.4 = 1 269 505 m²
    assert_allclose(dust_polluted_area("circle", 340.632, 380.566), 1_269_505.0, rtol=HAND_RTOL)


def test_variant_1_top_down_dust_hand():
    # Top-down dump of variant 1 (test_dumps): S_в' = 184 876, S_б' = 285 320 m², h_о = 45 m
    # S_отв = 470 196 m²; g_от = 1.010877 · 470 196 = 475 310 mg/s
    # C h/g = 90 / 475 310 = 1.893501e-4; ln = -8.571913
    # numerator 0.27 - 7.01 - 8.571913 = -15.311913; denominator 0.162 - 2.7 = -2.538
    # X_з = exp(6.033063) = 416.990 m; R' = 381.081 m:
    # S_з = π (798.071² - 381.081²) = π (636 917.3 - 145 222.7) = π · 491 694.6 = 1 544 706 m²
    g_от = dust_emission_rate(1.010877, dump_dusting_surface(285_320.0, 184_876.0))
    assert_allclose(g_от, 475_310.0, rtol=HAND_RTOL)
    X_з = dust_zone_width(45.0, g_от)
    assert_allclose(X_з, 416.990, rtol=HAND_RTOL)
    assert_allclose(dust_polluted_area("circle", 381.081, 416.990), 1_544_706.0, rtol=HAND_RTOL)


def test_zone_width_trends():
    # more dust -> wider zone; a higher permissible concentration -> narrower zone
    g = np.array([1e5, 4e5, 1.6e6])
    X = dust_zone_width(60.0, g)
    assert X.shape == (3,)
    assert np.all(np.diff(X) > 0)
    assert dust_zone_width(60.0, 4e5, 4.0) < dust_zone_width(60.0, 4e5, 2.0)


@pytest.mark.parametrize(
    ("shape", "B", "L", "X"),
    [
        ("square", 610.093, None, 380.0),
        ("rectangle", 499.211, 748.816, 380.0),
        ("rectangle", 100.0, 500.0, 10.0),
        ("square", 50.0, None, 0.0),
    ],
)
def test_polluted_area_is_the_ring_around_the_base(shape, B, L, X):
    S_з = dust_polluted_area(shape, B, X, L)
    expected = ring_area_around_rectangle(B, B if L is None else L, X)
    assert_allclose(S_з, expected, rtol=QUAD_RTOL, atol=1e-9)


def test_polluted_area_rectangle_matches_eq_1_18_with_n():
    # Eq. 1.18 prints π X² + 2 X B (1 + n) with n = L/B: B = 200, n = 3, X = 50
    # π 2500 + 2 · 50 · 200 · 4 = 7853.98 + 80 000 = 87 853.98 m²
    assert_allclose(dust_polluted_area("rectangle", 200.0, 50.0, 600.0), 87_853.98, rtol=HAND_RTOL)


@pytest.mark.parametrize(("R", "X"), [(340.632, 380.566), (10.0, 1.0)])
def test_polluted_area_circle_by_quadrature(R, X):
    assert_allclose(
        dust_polluted_area("circle", R, X), ring_area_around_circle(R, X), rtol=QUAD_RTOL
    )


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: specific_dust_blow_off(-1.0), r"wind_speed must be >= 0 m/s, got -1"),
        (lambda: specific_dust_blow_off(5.0, -0.1), r"coefficient must be >= 0"),
        (lambda: specific_dust_blow_off(5.0, 0.0097, 0.0), r"exponent must be > 0, got 0"),
        (lambda: dump_dusting_surface(-1.0, 1.0), r"side_area must be >= 0 m², got -1"),
        (lambda: dump_dusting_surface(1.0, -1.0), r"top_area must be >= 0 m², got -1"),
        (lambda: dust_emission_rate(-1.0, 1.0), r"specific_blow_off must be >= 0"),
        (lambda: dust_emission_rate(1.0, -1.0), r"surface_area must be >= 0 m², got -1"),
        (lambda: dust_zone_width(0.0, 4e5), r"dump_height must be in \(0, 750\) m, got 0 m"),
        (lambda: dust_zone_width(750.0, 4e5), r"dump_height must be in \(0, 750\) m, got 750"),
        (lambda: dust_zone_width(60.0, 0.0), r"emission_rate must be > 0 mg/s, got 0"),
        (lambda: dust_zone_width(749.9999999, 1e300), r"dust_zone_width overflows"),
        (lambda: dust_zone_width(60.0, 4e5, 0.0), r"permissible_concentration must be > 0"),
        (lambda: dust_polluted_area("hexagon", 100.0, 10.0), r"shape must be one of .*'hexagon'"),
        (lambda: dust_polluted_area("circle", 0.0, 10.0), r"base_size must be > 0 m, got 0"),
        (lambda: dust_polluted_area("circle", 10.0, -1.0), r"zone_width must be >= 0 m, got -1"),
        (lambda: dust_polluted_area("rectangle", 10.0, 1.0), r"base_length must be given"),
        (lambda: dust_polluted_area("rectangle", 10.0, 1.0, -5.0), r"base_length must be > 0 m"),
        (lambda: dust_polluted_area("square", 10.0, 1.0, 20.0), r"base_length applies to a rect"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
