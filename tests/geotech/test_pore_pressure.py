"""Pore pressure from piezometers: heads, piezometric lines, sections and slices.

Hand-computed lines (straight segments and their crossings with the ground), the
hydrostatic identity h = z_tip + p/γ_w, and limit-equilibrium checks on the ACADS 1(a)
slope of Giam & Donald (1989): ground (20,25),(30,25),(50,35),(70,35), c' = 3 kPa,
φ' = 19.6°, γ = 20 kN/m³.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.geotech.limit_equilibrium import METHODS, factor_of_safety, factors_of_safety
from postmine.geotech.pore_pressure import (
    head_from_pressure,
    piezometric_elevation,
    piezometric_line,
    section_with_piezometers,
    slices_with_heads,
    toe_of,
)
from postmine.geotech.section import WATER_UNIT_WEIGHT, Section, SoilLayer
from postmine.geotech.slicing import slice_circle, slice_surface

GROUND = [(20.0, 25.0), (30.0, 25.0), (50.0, 35.0), (70.0, 35.0)]
ACADS = [SoilLayer(3.0, 19.6, 20.0)]
CIRCLE = (30.0, 52.5, 27.5)  # through the toe; Bishop 0.985 dry (limit_equilibrium doctest)
EXACT = 1e-12  # hand-computed vertices: arithmetic on exact binary fractions
SAME = 1e-12  # the same computation by two routes: rounding only


def dry() -> Section:
    return Section(GROUND, ACADS)


# -- heads -----------------------------------------------------------------------------------
def test_head_from_pressure_hand_values():
    # γ_w = 9.80665 kN/m³ (ρ_w = 1000 kg/m³, standard g): 98.0665 kPa is 10 m of water
    assert_allclose(WATER_UNIT_WEIGHT, 9.80665, rtol=1e-15)
    heads = head_from_pressure([0.0, 98.0665, -19.6133], [22.0, 22.0, 30.0])
    assert_allclose(heads, [22.0, 32.0, 28.0], rtol=0, atol=EXACT)


def test_head_from_pressure_broadcasts():
    heads = head_from_pressure(np.array([[9.80665], [19.6133]]), [10.0, 20.0])
    assert heads.shape == (2, 2)
    assert_allclose(heads, [[11.0, 21.0], [12.0, 22.0]], rtol=0, atol=EXACT)


@pytest.mark.parametrize(
    ("pressure", "tip", "match"),
    [
        (np.nan, 0.0, "pressure_kpa must be finite"),
        (1.0, np.inf, "tip_elevation_m must be finite"),
    ],
)
def test_head_from_pressure_refuses_nan(pressure, tip, match):
    with pytest.raises(ValueError, match=match):
        head_from_pressure(pressure, tip)


def test_hydrostatic_pressures_give_the_water_table_back():
    # a sloping water table below the ground; tips at various depths under it
    def table(x):
        return 22.0 + 8.0 * (np.asarray(x) - 20.0) / 50.0

    xs = np.array([20.0, 35.0, 55.0, 70.0])
    depth = np.array([3.0, 8.0, 12.5, 5.0])
    tips = table(xs) - depth
    pressure = WATER_UNIT_WEIGHT * depth  # hydrostatic: p = γ_w × depth below the table
    heads = head_from_pressure(pressure, tips)
    assert_allclose(heads, table(xs), rtol=0, atol=1e-9)
    line = piezometric_line(GROUND, xs, heads, extend="flat")
    probe = np.linspace(20.0, 70.0, 501)
    assert_allclose(np.interp(probe, line[:, 0], line[:, 1]), table(probe), rtol=0, atol=1e-9)


# -- lines -----------------------------------------------------------------------------------
def test_toe_is_the_right_most_lowest_vertex():
    assert toe_of(GROUND) == 30.0
    assert toe_of([(0, 0), (5, 1), (9, 4)]) == 0.0


def test_line_between_two_piezometers_down_to_the_toe():
    # by hand: toe (30, 25); 40 → 28, 60 → 31 straight; flat beyond 60 and left of the toe
    line = piezometric_line(GROUND, [60.0, 40.0], [31.0, 28.0])  # any order
    assert_allclose(line, [[20, 25], [30, 25], [40, 28], [60, 31], [70, 31]], rtol=0, atol=EXACT)


def test_flat_extension_holds_the_outer_heads():
    line = piezometric_line(GROUND, [40.0, 60.0], [28.0, 31.0], extend="flat")
    # flat 28 from x = 20 is above the ground (25) until the slope reaches 28 at x = 36
    assert_allclose(
        line, [[20, 25], [30, 25], [36, 28], [40, 28], [60, 31], [70, 31]], rtol=0, atol=EXACT
    )


def test_line_above_the_ground_is_clipped_at_the_crossings():
    # 40 → 34, 60 → 34. Toe side: the line from (30, 25) to (40, 34) (slope 0.9) lies above
    # the face (slope 0.5) from the toe on; between the piezometers the flat 34 m lies
    # above the face until the face reaches 34 m at x = 48: the line is the ground up to 48
    line = piezometric_line(GROUND, [40.0, 60.0], [34.0, 34.0])
    assert_allclose(line, [[20, 25], [30, 25], [48, 34], [70, 34]], rtol=0, atol=EXACT)
    assert np.all(line[:, 1] <= np.interp(line[:, 0], *np.array(GROUND).T) + EXACT)


def test_head_below_the_toe_is_held_flat():
    line = piezometric_line(GROUND, [45.0], [23.0])
    assert_allclose(line, [[20, 23], [70, 23]], rtol=0, atol=EXACT)


def test_toe_x_moves_the_exit():
    # exit at x = 40 (ground 30): 30 m there, straight up to 32 m at x = 60
    line = piezometric_line(GROUND, [60.0], [32.0], toe_x=40.0)
    assert_allclose(line, [[20, 25], [30, 25], [40, 30], [60, 32], [70, 32]], rtol=0, atol=EXACT)


def test_piezometers_at_the_ends_of_the_section():
    line = piezometric_line(GROUND, [20.0, 70.0], [24.0, 29.0])
    assert_allclose(line, [[20, 24], [70, 29]], rtol=0, atol=EXACT)


def test_elevation_at_points_equals_the_clipped_line():
    rng = np.random.default_rng(3)
    xs = np.array([33.0, 41.0, 58.0])
    heads = rng.uniform(22.0, 37.0, size=(40, 3))
    probe = np.linspace(20.0, 70.0, 97)
    at = piezometric_elevation(GROUND, xs, heads, probe)
    for row, values in zip(heads, at, strict=True):
        line = piezometric_line(GROUND, xs, row)
        assert_allclose(values, np.interp(probe, line[:, 0], line[:, 1]), rtol=0, atol=SAME)


@pytest.mark.parametrize(
    ("xs", "heads", "kwargs", "match"),
    [
        ([], [], {}, "at least one piezometer"),
        ([10.0], [30.0], {}, r"inside the section x in \[20.0, 70.0\] m, got \[10.0\]"),
        ([40.0, 40.0], [30.0, 31.0], {}, "must not repeat"),
        ([40.0], [np.nan], {}, "heads must be finite"),
        ([40.0, 50.0], [30.0], {}, "one head per piezometer"),
        ([40.0], [30.0], {"extend": "linear"}, "extend must be one of"),
        ([40.0], [30.0], {"toe_x": 80.0}, r"toe_x must lie inside .* got 80.0"),
    ],
)
def test_bad_piezometers_are_refused(xs, heads, kwargs, match):
    with pytest.raises(ValueError, match=match):
        piezometric_line(GROUND, xs, heads, **kwargs)


def test_bad_ground_is_refused():
    with pytest.raises(ValueError, match="x strictly increasing"):
        piezometric_line([(0, 0), (0, 1)], [0.0], [1.0])


# -- sections and factors of safety ---------------------------------------------------------
def test_section_copies_every_other_attribute():
    base = Section(
        GROUND,
        ACADS,
        piezometric_line=[(20, 21), (70, 21)],
        seismic_coefficient=0.1,
        surcharge=15.0,
        surcharge_start=55.0,
        surcharge_end=65.0,
        tension_crack_depth=2.0,
        crack_water_depth=1.0,
    )
    wet = section_with_piezometers(base, [40.0], [29.0])
    for name in (
        "seismic_coefficient",
        "surcharge",
        "surcharge_start",
        "surcharge_end",
        "tension_crack_depth",
        "crack_water_depth",
        "pore_pressure_ratio",
    ):
        assert getattr(wet, name) == getattr(base, name), name
    assert wet.layers == base.layers
    assert_allclose(wet.ground, base.ground, rtol=0, atol=0)
    assert wet.piezometric_line is not None
    assert_allclose(wet.piezometric_line, piezometric_line(GROUND, [40.0], [29.0]), atol=0)
    assert_allclose(base.piezometric_line, [[20, 21], [70, 21]], atol=0)  # unchanged


def test_section_with_ru_is_refused():
    with pytest.raises(ValueError, match=r"pore_pressure_ratio .* got r_u = 0\.2"):
        section_with_piezometers(Section(GROUND, ACADS, pore_pressure_ratio=0.2), [40.0], [29.0])


def test_same_factors_as_the_line_given_directly():
    xs, heads = [35.0, 45.0, 60.0], [26.0, 29.0, 31.0]
    given = Section(GROUND, ACADS, piezometric_line=piezometric_line(GROUND, xs, heads))
    built = section_with_piezometers(dry(), xs, heads)
    a, _ = factors_of_safety(slice_circle(given, *CIRCLE))
    b, _ = factors_of_safety(slice_circle(built, *CIRCLE))
    for method in METHODS:
        assert_allclose(b[method], a[method], rtol=SAME, err_msg=method)


def test_factor_falls_monotonically_as_heads_rise():
    xs = [35.0, 45.0, 60.0]
    rises = np.linspace(0.0, 10.0, 21)
    base = np.array([22.0, 24.0, 25.0])  # below the slip circle at first
    f = np.array(
        [factor_of_safety(section_with_piezometers(dry(), xs, base + d), *CIRCLE) for d in rises]
    )
    assert f[0] == pytest.approx(0.985, abs=5e-4)  # the dry value (heads below the surface)
    assert np.all(np.diff(f) <= 1e-12)  # never rises: pore pressure only grows
    assert f[-1] < f[0] - 0.15  # and falls substantially


@pytest.mark.parametrize("surface", ["circle", "polyline"])
def test_slices_with_heads_equal_cutting_the_wet_section_again(surface):
    xs = np.array([35.0, 45.0, 60.0])
    heads = np.array([[22.0, 24.0, 25.0], [26.0, 29.0, 31.0], [30.0, 33.0, 36.0]])

    def cut(section):  # slices not split at the water, as slices_with_heads keeps them
        if surface == "circle":
            return slice_circle(section, *CIRCLE, split_at_water=False)
        points = [(29.0, 25.5), (40.0, 22.0), (55.0, 27.0), (64.0, 36.0)]
        return slice_surface(section, points, split_at_water=False)

    fast = slices_with_heads(dry(), cut(dry()), xs, heads)
    f_fast, _ = factors_of_safety(fast)
    for k, row in enumerate(heads):
        slow = cut(section_with_piezometers(dry(), xs, row))
        assert_allclose(fast.pore_force[k], slow.pore_force[0], rtol=SAME, atol=1e-9)
        f_slow, _ = factors_of_safety(slow)
        for method in METHODS:
            # Spencer / M-P stop their Newton iterations at residuals of 1e-11
            tol = SAME if method in ("ordinary", "bishop", "janbu") else 1e-9
            assert_allclose(f_fast[method][k], f_slow[method][0], rtol=tol, err_msg=method)


def test_slices_with_heads_takes_one_surface():
    two = slice_circle(dry(), [30.0, 35.0], [52.5, 50.0], [27.5, 25.0])
    with pytest.raises(ValueError, match="one slip surface, got 2"):
        slices_with_heads(dry(), two, [40.0], [[29.0]])
