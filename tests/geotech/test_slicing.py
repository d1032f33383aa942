"""Tests of slicing: circles and polylines that do not make one sliding mass are refused."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import constants

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
