"""Tests of slicing: circles and polylines that do not make one sliding mass are refused."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import constants

from postmine.geotech.limit_equilibrium import bishop_factor
from postmine.geotech.section import Section, SoilLayer
from postmine.geotech.slicing import slice_circle, slice_surface

ACADS_1A_GROUND = [(20.0, 25.0), (30.0, 25.0), (50.0, 35.0), (70.0, 35.0)]
ACADS_1A = Section(ACADS_1A_GROUND, [SoilLayer(3.0, 19.6, 20.0)])
GEOMETRY_TOL = 1e-9  # slice geometry is exact arithmetic on the given polylines [m]


def test_surface_outside_section() -> None:
    with pytest.raises(ValueError, match="does not cut the ground"):
        slice_circle(ACADS_1A, 40.0, 105.0, 10.0)  # circle in the air
    with pytest.raises(ValueError, match="does not cut the ground"):
        slice_circle(ACADS_1A, 45.0, 65.0, 45.0)  # leaves the ends of the section


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="radius"):
        slice_circle(ACADS_1A, 40.0, 50.0, -1.0)
    with pytest.raises(ValueError, match="n_slices"):
        slice_circle(ACADS_1A, 40.0, 50.0, 25.0, n_slices=2)
    with pytest.raises(ValueError, match="increase strictly"):
        slice_surface(ACADS_1A, [(40.0, 20.0), (30.0, 30.0)])


def test_slices_cover_the_mass_between_entry_and_exit() -> None:
    # A planar surface from the toe (30, 25) to (60, 35): entry at the toe, exit where the
    # plane meets the crest, equal widths that add up to the span, weight γ × area. With 15
    # slices of 2 m the crest (x = 50) is a slice edge, so the midpoint rule is exact.
    s = slice_surface(ACADS_1A, [(30.0, 25.0), (60.0, 35.0)], n_slices=15)
    assert_allclose([s.entry_x[0], s.exit_x[0]], [30.0, 60.0], atol=1e-6)
    assert_allclose(s.width.sum(), s.exit_x[0] - s.entry_x[0], atol=GEOMETRY_TOL)
    # the wedge between the face (1:2) and the plane (1:3) up to the crest, then the crest
    # strip: area = ½·20·(10 − 20/3) + ½·10·(10/3) = 33.33 + 16.67 = 50 m²
    assert_allclose(s.weight.sum(), 20.0 * 50.0, rtol=1e-9)
    assert np.all(s.valid)


def test_tension_crack_moves_the_exit_and_adds_the_water_thrust() -> None:
    # z_c = 2 m, z_w = 1 m: the mass ends where the plane lies 2 m below the crest, and the
    # water in the crack pushes with P_w = γ_w z_w²/2, γ_w = 1000 kg/m³ × g = 9.807 kN/m³.
    cracked = Section(
        ACADS_1A_GROUND,
        [SoilLayer(3.0, 19.6, 20.0)],
        tension_crack_depth=2.0,
        crack_water_depth=1.0,
    )
    s = slice_surface(cracked, [(30.0, 25.0), (60.0, 35.0)], n_slices=10)
    # the plane y = 25 + (x − 30)/3 lies 2 m below the crest (y = 35) at x = 54
    assert_allclose(s.exit_x[0], 54.0, atol=1e-3)
    assert_allclose(s.thrust[0], 0.5 * constants.g * 1.0**2, rtol=1e-9)  # γ_w = ρ_w g, kN/m³


# -- slices split at every breakpoint (issue 14, point 1) ------------------------------------
def _edges_include(s: object, xs: list[float], tol: float = 1e-9) -> bool:
    edges = s.edges[0]  # type: ignore[attr-defined]
    return all(np.min(np.abs(edges - x)) < tol for x in xs)


def test_slices_split_at_ground_vertices_layer_boundaries_and_water() -> None:
    # ACADS 1(a) ground with a boundary at y = 24 and a water table at y = 23; the circle
    # (40, 45, 25) enters at x = 25 and meets y = b at x = 40 ± sqrt(25² − (45 − b)²).
    section = Section(
        ACADS_1A_GROUND,
        [SoilLayer(3.0, 19.6, 20.0, bottom=[(20.0, 24.0), (70.0, 24.0)]), SoilLayer(5, 25, 19)],
        piezometric_line=[(20.0, 23.0), (70.0, 23.0)],
    )
    s = slice_circle(section, 40.0, 45.0, 25.0, n_slices=50)
    boundary = [40.0 - np.sqrt(25.0**2 - 21.0**2), 40.0 + np.sqrt(25.0**2 - 21.0**2)]
    water = [40.0 - np.sqrt(25.0**2 - 22.0**2), 40.0 + np.sqrt(25.0**2 - 22.0**2)]
    assert _edges_include(s, [30.0, 50.0, *boundary, *water])
    assert s.width.shape == (1, 50)
    assert_allclose(s.width.sum(), s.exit_x[0] - s.entry_x[0], atol=GEOMETRY_TOL)
    # each slice's base lies in one layer: the lower soil exactly between the two crossings
    lower = (s.x[0] > boundary[0]) & (s.x[0] < boundary[1])
    assert_allclose(s.cohesion[0], np.where(lower, 5.0, 3.0), rtol=0, atol=0)
    # without the split at the water, the water crossings are not slice boundaries
    dry_cut = slice_circle(section, 40.0, 45.0, 25.0, n_slices=50, split_at_water=False)
    assert not _edges_include(dry_cut, water[:1], tol=1e-6)


def test_slices_are_shared_out_in_proportion_and_equal_within_a_segment() -> None:
    # The toe (x = 30) and the crest (x = 50) cut the mass into three segments; within each
    # the slices are equal, and each segment's count follows its width (largest remainders).
    s = slice_circle(ACADS_1A, 40.0, 45.0, 25.0, n_slices=20)
    edges, width = s.edges[0], s.width[0]
    for a, b in ((s.entry_x[0], 30.0), (30.0, 50.0), (50.0, s.exit_x[0])):
        inside = (s.x[0] > a) & (s.x[0] < b)
        assert_allclose(width[inside], (b - a) / inside.sum(), rtol=1e-12)
    assert np.all(np.diff(edges) > 0)
    spans = np.array([30.0 - s.entry_x[0], 20.0, s.exit_x[0] - 50.0])
    counts = [np.sum((s.x[0] > a) & (s.x[0] < b)) for a, b in ((0, 30), (30, 50), (50, 99))]
    share = 1 + 17 * spans / spans.sum()  # one each, the 17 others in proportion
    assert np.all(np.abs(np.array(counts) - share) < 1.0)


def test_polyline_vertices_are_slice_boundaries() -> None:
    s = slice_surface(ACADS_1A, [(28.0, 25.5), (41.3, 22.0), (55.7, 27.0), (64.0, 36.0)], 10)
    assert _edges_include(s, [30.0, 41.3, 50.0, 55.7])


def test_more_breakpoints_than_slices_gives_one_slice_each() -> None:
    # A ground with a vertex every metre on its face: 20 segments under the circle's mass
    # and more, with n_slices = 5; every segment keeps its own slice.
    face = [(x, 25.0 + 0.5 * (x - 30.0)) for x in np.arange(30.0, 51.0)]
    section = Section([(20.0, 25.0), *face, (70.0, 35.0)], [SoilLayer(3.0, 19.6, 20.0)])
    s = slice_circle(section, 40.0, 45.0, 25.0, n_slices=5)
    assert s.width.shape[1] >= 21
    assert _edges_include(s, [float(x) for x in np.arange(30.0, 51.0)])


# -- impenetrable layers (issue 14, point 2) -------------------------------------------------
BASE_Y = 20.0  # top of the strong base under ACADS 1(a), as the Slide2 model [m]


def _on_base(impenetrable: bool) -> Section:
    return Section(
        ACADS_1A_GROUND,
        [
            SoilLayer(3.0, 19.6, 20.0, bottom=[(20.0, BASE_Y), (70.0, BASE_Y)]),
            SoilLayer(10_000.0, 0.0, 20.0, name="base", impenetrable=impenetrable),
        ],
    )


def test_circle_above_the_bedrock_is_unchanged() -> None:
    # (40, 45, 24) stays 1 m above the base: the same slices whether it is bedrock or not
    above = slice_circle(_on_base(True), 40.0, 45.0, 24.0)
    plain = slice_circle(_on_base(False), 40.0, 45.0, 24.0)
    for name in ("width", "x", "base_y", "alpha", "weight", "cohesion", "shear_arm"):
        assert_allclose(getattr(above, name), getattr(plain, name), rtol=0, atol=0)
    assert not above.truncated[0]


def test_strong_base_dip_is_stable_in_the_slice_count() -> None:
    # A circle touching y = 20 (R = 25) and one dipping 1 mm into a c' = 10,000 kPa base:
    # the midpoint rule read 1.40 / 12.09 / 6.99 at 50 / 52 / 100 slices on such a dip.
    # With the base an ordinary soil the dip carries its strength over a 0.45 m chord at every
    # slice count; as bedrock the dip is cut off and F is continuous with the touching circle.
    tol = 1e-3  # issue 14: n against 2n within 0.1 %
    for impenetrable in (False, True):
        section = _on_base(impenetrable)
        f = [
            float(bishop_factor(slice_circle(section, 40.0, 45.0, 25.001, n))[0])
            for n in (50, 52, 100)
        ]
        assert_allclose(f, f[-1], rtol=tol)
    touch = float(bishop_factor(slice_circle(_on_base(True), 40.0, 45.0, 25.0))[0])
    dip = float(bishop_factor(slice_circle(_on_base(True), 40.0, 45.0, 25.001))[0])
    assert_allclose(dip, touch, rtol=tol)
    strong = float(bishop_factor(slice_circle(_on_base(False), 40.0, 45.0, 25.001))[0])
    assert strong > 2.0 * touch  # the ordinary strong layer does resist along its chord


def test_composite_surface_follows_the_bedrock_top() -> None:
    # (40, 45, 27) would pass 2 m below the base; between x = 40 ∓ sqrt(27² − 25²) the base
    # of the slices is the bedrock top: y = 20, α = 0, the soil's strength above it; moments
    # stay about the circle's centre (shear arm y_c − 20 = 25 m there).
    s = slice_circle(_on_base(True), 40.0, 45.0, 27.0)
    half = np.sqrt(27.0**2 - 25.0**2)
    assert _edges_include(s, [40.0 - half, 40.0 + half])
    flat = (s.x[0] > 40.0 - half) & (s.x[0] < 40.0 + half)
    assert s.truncated[0] and not s.circular[0] and flat.sum() >= 2
    assert_allclose(s.base_y[0, flat], BASE_Y, rtol=0, atol=GEOMETRY_TOL)
    assert_allclose(s.alpha[0, flat], 0.0, atol=GEOMETRY_TOL)
    assert_allclose(s.cohesion[0, flat], 3.0, rtol=0)
    assert_allclose(s.shear_arm[0, flat], 45.0 - BASE_Y, rtol=1e-12)
    assert np.all(s.base_y[0] >= BASE_Y - GEOMETRY_TOL)
    f = bishop_factor(s)
    assert np.isfinite(f[0]) and f[0] > 0


def test_bad_impenetrable_layers() -> None:
    with pytest.raises(ValueError, match="impenetrable must be true or false"):
        SoilLayer(3.0, 19.6, 20.0, impenetrable="yes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must not be impenetrable"):
        Section(ACADS_1A_GROUND, [SoilLayer(3.0, 19.6, 20.0, impenetrable=True)])
