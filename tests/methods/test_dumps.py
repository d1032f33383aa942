"""Tests of the dump geometry and slope flattening of PR1 in 004 (Eqs. 1.4-1.11, Table 1.1).

Eqs. (1.4)-(1.6) and (1.10) are lost from the source and reconstructed, and PR1 has no worked
example, so the checks are independent: volumes by scipy quadrature of the cross-section
over height, slope areas from the 3D vertices of the faces, flattening volumes from the
shoelace areas of the triangles cut and filled, and a hand computation of variant 1.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import integrate

from postmine.methods.dump_flattening import (
    AllotmentOption,
    bottom_up_flattening_volume,
    flatten_bottom_up,
    flatten_dump,
    flatten_top_down,
    flattening_base_growth,
    flattening_height_increase,
    most_rational_scheme,
    top_down_flattening_volume,
)
from postmine.methods.dumps import (
    DUMP_SHAPES,
    base_top_difference,
    dump_base_size,
    dump_for_volume,
    dump_geometry,
    dump_volume,
    smallest_base_dump,
)

# The hand computations below carry six significant digits.
HAND_RTOL = 1e-5
# scipy.integrate.quad of polynomials and exact vector geometry.
QUAD_RTOL = 1e-10


def ctg(deg):
    return 1.0 / np.tan(np.radians(deg))


def shoelace(points):
    x, y = np.asarray(points, dtype=float).T
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def cross_section(shape, size, length, slope, z):
    """Plan area at height z of a dump whose base outline moves in by z ctg α."""
    t = z * ctg(slope)
    if shape == "circle":
        return np.pi * (size - t) ** 2
    return (size - 2 * t) * (length - 2 * t)


def quad_volume(shape, size, length, height, slope):
    v, _ = integrate.quad(
        lambda z: cross_section(shape, size, length, slope, z), 0.0, height, epsrel=1e-13
    )
    return v


def face_area(*corners):
    """Area of a planar quadrilateral from its 3D corners (half the diagonals' cross product)."""
    a, b, c, d = (np.asarray(p, dtype=float) for p in corners)
    return 0.5 * np.linalg.norm(np.cross(c - a, d - b))


# ------------------------------------------------------------ reconstructed Eqs. 1.4-1.6
SHAPE_CASES = [
    # shape, volume m³, height m, α °, aspect ratio n
    ("circle", 13_786_078.0, 45.0, 38.0, None),
    ("square", 13_786_078.0, 45.0, 38.0, None),
    ("rectangle", 13_786_078.0, 45.0, 38.0, 1.5),
    ("rectangle", 2.0e7, 60.0, 30.0, 5.0),
    ("circle", 5.0e5, 30.0, 20.0, None),
]


@pytest.mark.parametrize(("shape", "volume", "height", "slope", "n"), SHAPE_CASES)
def test_base_size_holds_the_volume_by_quadrature(shape, volume, height, slope, n):
    g = dump_for_volume(shape, volume, height, slope, aspect_ratio=n)
    length = g.base_length
    assert_allclose(quad_volume(shape, g.base_size, length, height, slope), volume, rtol=QUAD_RTOL)
    assert_allclose(g.volume, volume, rtol=1e-12)
    if shape == "rectangle":
        assert_allclose(g.base_length / g.base_size, n, rtol=1e-12)


@pytest.mark.parametrize(
    ("shape", "size", "length", "height", "slope"),
    [
        ("circle", 340.0, None, 45.0, 38.0),
        ("square", 610.0, None, 45.0, 38.0),
        ("rectangle", 500.0, 750.0, 45.0, 38.0),
        ("rectangle", 90.0, 400.0, 20.0, 60.0),
    ],
)
def test_dump_volume_by_quadrature(shape, size, length, height, slope):
    V = dump_volume(shape, size, height, slope, length)
    L = size if length is None else length
    assert_allclose(V, quad_volume(shape, size, L, height, slope), rtol=QUAD_RTOL)


def test_side_area_of_a_cone_frustum():
    # lateral area π (R + r) · slant with the slant from Pythagoras, not from h / sin α
    g = dump_geometry("circle", 340.0, 45.0, 38.0)
    R, r, h = 340.0, float(g.top_size), 45.0
    assert_allclose(g.side_area, np.pi * (R + r) * np.hypot(h, R - r), rtol=1e-12)
    assert_allclose(g.top_area, np.pi * r**2, rtol=1e-12)
    assert_allclose(g.base_perimeter, 2 * np.pi * R, rtol=1e-12)


@pytest.mark.parametrize(("B", "L"), [(610.0, None), (500.0, 750.0)])
def test_side_area_from_the_faces_in_3d(B, L):
    shape = "square" if L is None else "rectangle"
    g = dump_geometry(shape, B, 45.0, 38.0, L)
    L = B if L is None else L
    b, l_top, h = float(g.top_size), float(g.top_length), 45.0
    base = [(-B / 2, -L / 2, 0), (B / 2, -L / 2, 0), (B / 2, L / 2, 0), (-B / 2, L / 2, 0)]
    top = [
        (-b / 2, -l_top / 2, h),
        (b / 2, -l_top / 2, h),
        (b / 2, l_top / 2, h),
        (-b / 2, l_top / 2, h),
    ]
    faces = sum(face_area(base[i], base[(i + 1) % 4], top[(i + 1) % 4], top[i]) for i in range(4))
    assert_allclose(g.side_area, faces, rtol=1e-12)
    assert_allclose(g.top_area, b * l_top, rtol=1e-12)
    assert_allclose(g.base_area, B * L, rtol=1e-12)
    assert_allclose(g.base_perimeter, 2 * (B + L), rtol=1e-12)
    # each face rises at α: its height over the base edge is h / sin α
    assert_allclose((B - b) / 2, h * ctg(38.0), rtol=1e-12)


def test_variant_1_three_shapes_hand():
    # V = 13 786 078 m³ (test_land_allotment), h_о = 45 m, α = 38°: ctg 38° = 1.279942,
    # C = 2 · 45 · 1.279942 = 115.195 m, sin 38° = 0.615661, slant = 45 / 0.615661 = 73.0921 m
    V, h = 13_786_078.0, 45.0
    assert_allclose(base_top_difference(h, 38.0), 115.195, rtol=HAND_RTOL)
    # circle: V/(π h) = 97 516.6; C²/48 = 276.455; R = 28.7987 + √97 240.1 = 28.7987 + 311.833
    #   = 340.632 m; r = 340.632 - 57.5974 = 283.035 m
    #   S_в = π 283.035² = 251 669 m²; S_б = π (340.632 + 283.035) 73.0921 = 143 210 m²
    #   S_ос = π 340.632² = 364 520 m²; P_о = 2π 340.632 = 2140.25 m
    c = dump_for_volume("circle", V, h)
    assert_allclose(
        [c.base_size, c.top_size, c.top_area, c.side_area, c.base_area, c.base_perimeter],
        [340.632, 283.035, 251_669.0, 143_210.0, 364_520.0, 2_140.25],
        rtol=HAND_RTOL,
    )
    # square: V/h = 306 357.3; C²/12 = 1105.82; B = 57.5974 + √305 251.5 = 57.5974 + 552.496
    #   = 610.093 m; S_ос = 372 214 m²
    s = dump_for_volume("square", V, h)
    assert_allclose([s.base_size, s.base_area], [610.093, 372_214.0], rtol=HAND_RTOL)
    # rectangle, n = 1.5: disc = 2.5² · 115.195² / 4 - 6 (115.195²/3 - 306 357.3)
    #   = 20 734.9 + 1 811 603 = 1 832 338; B = (143.993 + 1353.64) / 3 = 499.211 m,
    #   L = 748.816 m, S_ос = 373 817 m²
    r = dump_for_volume("rectangle", V, h, aspect_ratio=1.5)
    assert_allclose(
        [r.base_size, r.base_length, r.base_area], [499.211, 748.816, 373_817.0], rtol=HAND_RTOL
    )
    # smallest base: circle 364 520 < square 372 214 < rectangle 373 817 m²
    assert smallest_base_dump([r, s, c]).shape == "circle"


def test_circle_has_the_smallest_base_for_any_volume():
    for V in (1e6, 1e7, 3e8):
        cands = [
            dump_for_volume(sh, V, 60.0, 38.0, 1.5 if sh == "rectangle" else None)
            for sh in DUMP_SHAPES
        ]
        assert smallest_base_dump(cands).shape == "circle"


def test_smallest_volume_gives_a_pointed_dump():
    # The smallest volume a square dump of h = 10 m at 45° can hold is the pyramid of base
    # C = 20 m: 20² · 10 / 3 = 1333.33 m³; its top width is zero.
    B = dump_base_size("square", 20.0**2 * 10.0 / 3.0, 10.0, 45.0)
    assert_allclose(B, 20.0, rtol=1e-7)
    with pytest.raises(ValueError, match=r"volume .* is too small for a square dump"):
        dump_base_size("square", 1300.0, 10.0, 45.0)


def test_vectorised_over_volume():
    V = np.array([1e6, 1e7, 1e8])
    R = dump_base_size("circle", V, 45.0, 38.0)
    assert R.shape == (3,)
    assert_allclose(dump_volume("circle", R, 45.0, 38.0), V, rtol=1e-12)


# ------------------------------------------------------------------ flattening (1.7-1.11)
@pytest.mark.parametrize(
    ("h", "alpha", "beta"), [(45.0, 38.0, 18.0), (10.0, 45.0, 30.0), (100.0, 70.0, 10.0)]
)
def test_bottom_up_volume_is_the_cut_triangle(h, alpha, beta):
    # toe (0, 0), crest (h ctg α, h), the β slope from the same toe reaches h at h ctg β:
    # the cut triangle times the perimeter is Eq. 1.7.
    tri = shoelace([(0.0, 0.0), (h * ctg(alpha), h), (h * ctg(beta), h)])
    assert_allclose(bottom_up_flattening_volume(h, 1.0, alpha, beta), tri, rtol=1e-12)
    assert_allclose(bottom_up_flattening_volume(h, 2140.25, alpha, beta), 2140.25 * tri, rtol=1e-12)


@pytest.mark.parametrize(
    ("h", "alpha", "beta"), [(45.0, 38.0, 18.0), (10.0, 45.0, 30.0), (100.0, 70.0, 10.0)]
)
def test_top_down_cut_equals_fill_and_toe_shift(h, alpha, beta):
    # The β slope through the mid-height point M of the α slope; toe of the α slope at x = 0,
    # x grows inward.
    M = (0.5 * h * ctg(alpha), 0.5 * h)
    top_hit = M[0] + 0.5 * h * ctg(beta)  # where the β slope reaches the top
    toe_hit = M[0] - 0.5 * h * ctg(beta)  # where it reaches the base (< 0: outside)
    cut = shoelace([M, (h * ctg(alpha), h), (top_hit, h)])
    fill = shoelace([M, (0.0, 0.0), (toe_hit, 0.0)])
    assert_allclose(cut, fill, rtol=1e-12)  # volume conserved per unit length of slope
    assert_allclose(top_down_flattening_volume(h, 1.0, alpha, beta), cut, rtol=1e-12)
    assert_allclose(flattening_base_growth(h, alpha, beta), -toe_hit, rtol=1e-12)
    # the text: bottom-up moves 4 times as much
    assert_allclose(
        bottom_up_flattening_volume(h, 7.0, alpha, beta),
        4 * top_down_flattening_volume(h, 7.0, alpha, beta),
        rtol=1e-12,
    )


@pytest.mark.parametrize(
    ("shape", "size", "length", "kappa"),
    [
        ("circle", 340.632, None, np.pi),
        ("square", 610.0, None, 4.0),
        ("rectangle", 500.0, 750.0, 4.0),
    ],
)
def test_top_down_recalculated_dump_keeps_its_volume(shape, size, length, kappa):
    # The flattened frustum (base + ΔL, height h_о, slopes at β) integrated over height holds
    # the old volume plus the curvature/corner term κ h³ (ctg²β - ctg²α) / 12 (the fill lies
    # farther out than the cut); per unit length the cross-section is conserved (test above).
    h, alpha, beta = 45.0, 38.0, 18.0
    d = dump_geometry(shape, size, h, alpha, length)
    f = flatten_top_down(d, beta)
    L_old = size if length is None else length
    V_old = quad_volume(shape, size, L_old, h, alpha)
    V_new = quad_volume(shape, f.base_size, f.base_length, h, beta)
    assert_allclose(
        V_new - V_old, kappa * h**3 * (ctg(beta) ** 2 - ctg(alpha) ** 2) / 12, rtol=1e-8
    )
    assert abs(V_new - V_old) / V_old < 0.02
    # the top shrinks by as much as the toe moves out
    dL = float(f.base_growth)
    grow = dL if shape == "circle" else 2 * dL
    assert_allclose(f.base_size, size + grow, rtol=1e-12)
    top_new = np.sqrt(f.top_area / np.pi) if shape == "circle" else None
    if top_new is not None:
        assert_allclose(top_new, float(d.top_size) - dL, rtol=1e-12)


def test_bottom_up_slab_holds_the_cut_volume():
    # Eq. 1.8: the cut spread over the top as a slab Δh thick holds the cut volume exactly:
    # S_в Δh = V_выпсн; the base does not move.
    d = dump_geometry("circle", 340.632, 45.0, 38.0)
    f = flatten_bottom_up(d, 18.0)
    assert_allclose(f.height_increase * d.top_area, f.flattening_volume, rtol=1e-12)
    assert_allclose(f.height, 45.0 + f.height_increase, rtol=1e-12)
    assert_allclose(
        [f.base_area, f.base_perimeter, f.top_area, f.side_area],
        [d.base_area, d.base_perimeter, d.top_area, d.side_area],
        rtol=0,
    )
    assert_allclose(f.base_growth, 0.0, atol=0)


def test_bottom_up_estimate_is_not_a_frustum_at_beta():
    # Documented limitation of Eq. 1.8 (Notes of flatten_bottom_up): a frustum on the same
    # base with slopes at β = 18° and height h* holds much less than the dump. Variant 1:
    # R = 340.632, h* = 60.480: top radius 340.632 - 60.480 · 3.077684 = 154.50 m, and
    # V = π · 60.480 / 3 · (340.632² + 340.632 · 154.50 + 154.50²) = 12.19e6 < 13.79e6 m³.
    d = dump_for_volume("circle", 13_786_078.0, 45.0)
    f = flatten_bottom_up(d, 18.0)
    V_star = dump_volume("circle", f.base_size, f.height, 18.0)
    assert_allclose(V_star, 12.19e6, rtol=1e-3)
    assert V_star < d.volume


def test_variant_1_flattening_hand():
    # circle R = 340.632 m, P_о = 2140.25 m, S_в = 251 669 m², h_о = 45 m, α = 38°, β = 18°
    # sin 20° = 0.342020, sin 38° = 0.615661, sin 18° = 0.309017
    # (1.7) V_выпсн = 45² · 2140.25 · 0.342020 / (2 · 0.615661 · 0.309017)
    #              = 1 482 318 / 0.380498 = 3 895 721 m³
    # (1.8) Δh = 3 895 721 / 251 669 = 15.4796 m; (1.9) h* = 60.4796 m
    d = dump_for_volume("circle", 13_786_078.0, 45.0)
    bu = flatten_dump(d, "bottom-up")
    assert_allclose(
        [bu.flattening_volume, bu.height_increase, bu.height],
        [3_895_721.0, 15.4796, 60.4796],
        rtol=HAND_RTOL,
    )
    # (1.10) V_выпсв = 3 895 721 / 4 = 973 930 m³
    # (1.11) ΔL = 0.5 · 45 · (3.077684 - 1.279942) = 40.4492 m; R' = 381.081 m
    #   top r' = 381.081 - 45 · 3.077684 = 242.586 m; slant 45 / 0.309017 = 145.623 m
    #   S_в' = π 242.586² = 184 876 m²; S_б' = π (381.081 + 242.586) 145.623 = 285 320 m²
    #   S_ос' = π 381.081² = 456 231 m²; P_о' = 2394.40 m
    td = flatten_dump(d, "top-down")
    assert_allclose(
        [
            td.flattening_volume,
            td.base_growth,
            td.base_size,
            td.top_area,
            td.side_area,
            td.base_area,
            td.base_perimeter,
            td.height,
        ],
        [973_930.0, 40.4492, 381.081, 184_876.0, 285_320.0, 456_231.0, 2_394.40, 45.0],
        rtol=HAND_RTOL,
    )


def test_most_rational_scheme_variant_1():
    # Table 1.1 for variant 1 (test_calc: 4 898 725 and 5 336 143 m²): bottom-up wins
    bu = AllotmentOption("bottom-up", 364_520.0, 1_269_505.0, 4_898_725.0)
    td = AllotmentOption("top-down", 456_231.0, 1_544_706.0, 5_336_143.0)
    assert most_rational_scheme([td, bu]).scheme == "bottom-up"
    tie = AllotmentOption("top-down", 456_231.0, 1_000_000.0, 4_898_725.0)
    assert most_rational_scheme([bu, tie]).scheme == "top-down"


# ------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: base_top_difference(45.0, 0.0), r"slope_angle must be in \(0, 90\) °, got 0"),
        (lambda: base_top_difference(45.0, 90.0), r"slope_angle must be in \(0, 90\) °, got 90"),
        (lambda: base_top_difference(-45.0, 38.0), r"height must be > 0 m, got -45 m"),
        (
            lambda: dump_geometry("hexagon", 100.0, 10.0, 38.0),
            r"shape must be one of 'circle', 'square', 'rectangle', got 'hexagon'",
        ),
        (lambda: dump_base_size("oval", 1e6, 10.0, 38.0), r"shape must be one of .* got 'oval'"),
        (lambda: dump_geometry("circle", -1.0, 10.0, 38.0), r"base_size must be > 0 m, got -1 m"),
        (lambda: dump_geometry("circle", 5.0, 10.0, 38.0), r"too small for a circle dump"),
        (lambda: dump_geometry("rectangle", 100.0, 10.0, 38.0), r"base_length must be given"),
        (
            lambda: dump_geometry("rectangle", 100.0, 10.0, 38.0, 50.0),
            r"base_length must be >= base_size",
        ),
        (lambda: dump_geometry("rectangle", 100.0, 10.0, 38.0, -5.0), r"base_length must be > 0 m"),
        (
            lambda: dump_geometry("circle", 100.0, 10.0, 38.0, 200.0),
            r"base_length applies to a rectangular base only",
        ),
        (lambda: dump_base_size("rectangle", 1e6, 10.0, 38.0), r"aspect_ratio must be given"),
        (
            lambda: dump_base_size("rectangle", 1e6, 10.0, 38.0, 0.5),
            r"aspect_ratio must be >= 1, got 0.5",
        ),
        (
            lambda: dump_base_size("square", 1e6, 10.0, 38.0, 2.0),
            r"aspect_ratio applies to a rectangular base only",
        ),
        (lambda: dump_base_size("circle", 0.0, 10.0, 38.0), r"volume must be > 0 m³, got 0"),
        (lambda: dump_base_size("circle", 1e6, 0.0, 38.0), r"height must be > 0 m, got 0"),
        (
            lambda: dump_base_size("circle", 10.0, 10.0, 38.0),
            r"volume .* too small for a circle dump",
        ),
        (lambda: smallest_base_dump([]), r"dumps must hold at least one candidate"),
        (
            lambda: smallest_base_dump(
                [dump_for_volume("circle", 1e6, 10.0), dump_for_volume("square", 2e6, 10.0)]
            ),
            r"dumps must hold the same volume",
        ),
        (
            lambda: smallest_base_dump([dump_for_volume("circle", np.array([1e6, 2e6]), 10.0)]),
            r"scalar areas",
        ),
        (
            lambda: bottom_up_flattening_volume(45.0, 100.0, 38.0, 38.0),
            r"flattened_angle must be < slope_angle",
        ),
        (
            lambda: bottom_up_flattening_volume(45.0, 100.0, 18.0, 38.0),
            r"flattened_angle must be < slope_angle",
        ),
        (
            lambda: bottom_up_flattening_volume(45.0, 100.0, 38.0, 0.0),
            r"flattened_angle must be in \(0, 90\) °, got 0",
        ),
        (
            lambda: bottom_up_flattening_volume(45.0, 100.0, 95.0, 18.0),
            r"slope_angle must be in \(0, 90\) °, got 95",
        ),
        (lambda: bottom_up_flattening_volume(45.0, -1.0), r"base_perimeter must be >= 0 m, got -1"),
        (lambda: bottom_up_flattening_volume(0.0, 100.0), r"height must be > 0 m, got 0"),
        (
            lambda: top_down_flattening_volume(45.0, 100.0, 30.0, 30.0),
            r"flattened_angle must be < slope_angle",
        ),
        (
            lambda: flattening_base_growth(45.0, 38.0, 40.0),
            r"flattened_angle must be < slope_angle",
        ),
        (lambda: flattening_base_growth(-45.0), r"height must be > 0 m, got -45 m"),
        (lambda: flattening_height_increase(1.0, 0.0), r"top_area must be > 0 m², got 0"),
        (
            lambda: flattening_height_increase(-1.0, 10.0),
            r"flattening_volume must be >= 0 m³, got -1",
        ),
        (
            lambda: flatten_dump(dump_geometry("circle", 100.0, 10.0, 38.0), "sideways"),
            r"scheme must be one of 'bottom-up', 'top-down', got 'sideways'",
        ),
        (
            lambda: flatten_bottom_up(dump_geometry("circle", 100.0, 10.0, 38.0), 40.0),
            r"flattened_angle must be < slope_angle",
        ),
        (
            lambda: flatten_top_down(dump_geometry("circle", 30.0, 20.0, 38.0), 18.0),
            r"top-down flattening to 18° impossible",
        ),
        (lambda: most_rational_scheme([]), r"options must hold at least one scheme"),
        (
            lambda: most_rational_scheme([AllotmentOption("top-down", 1.0, 1.0, -1.0)]),
            r"total_allotment must be >= 0 m²",
        ),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        (("oval", 100.0, 20.0, 38.0), {}, "shape"),
        (("circle", -1.0, 20.0, 38.0), {}, r"base_size must be > 0 m"),
        (("circle", 100.0, 0.0, 38.0), {}, r"height must be > 0 m"),
        (("circle", 100.0, 20.0, 90.0), {}, r"slope_angle must be in \(0, 90\)"),
        (("rectangle", 100.0, 20.0, 38.0), {}, "base_length"),
        (("square", 100.0, 20.0, 38.0), {"base_length": 150.0}, "base_length"),
        # slopes of 2 x 60 m x ctg 38° = 153.6 m meet below the top of a 100 m wide base
        (("square", 100.0, 60.0, 38.0), {}, "top"),
    ],
)
def test_dump_volume_refuses_impossible_shapes(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        dump_volume(*args, **kwargs)
