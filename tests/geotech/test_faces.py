"""Faces of a slope section: mirroring, failure direction, two-faced sections (issue 14)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

import postmine
from postmine.geotech.faces import Face, faces, mirror_section, normalise_direction
from postmine.geotech.limit_equilibrium import bishop_factor
from postmine.geotech.section import Section, SoilLayer
from postmine.geotech.section_file import read_section_file
from postmine.geotech.slicing import slice_circle

VERIFICATION_DIR = Path(postmine.__file__).parent / "data" / "geotech" / "verification"

# Mirroring negates x exactly, so a mirrored problem reproduces the original's factor to the
# last bits; 1e-9 leaves room only for summation order.
MIRROR_RTOL = 1e-9

# A fixed circle through ACADS 1(a) (Bishop F ≈ 1.033, a little above the critical 0.987).
ACADS_CIRCLE = (31.0, 55.0, 30.2)

# A symmetric embankment 10 m high, 2H:1V faces, 10 m crest, on a foundation.
EMBANKMENT = [(0.0, 0.0), (10.0, 0.0), (30.0, 10.0), (40.0, 10.0), (60.0, 0.0), (70.0, 0.0)]
FILL = SoilLayer(5.0, 28.0, 19.0, bottom=[(-10.0, 0.0), (80.0, 0.0)], name="fill")
FOUNDATION = SoilLayer(20.0, 20.0, 18.0, name="foundation")


def _rich_section() -> Section:
    """A section using every mirrored input: layers, water, a surcharge range and a crack."""
    return Section(
        [(20.0, 25.0), (30.0, 25.0), (38.0, 29.0), (50.0, 35.0), (70.0, 35.0)],
        [
            SoilLayer(3.0, 19.6, 20.0, bottom=[(20.0, 27.0), (70.0, 31.0)], name="upper"),
            SoilLayer(5.3, 23.0, 19.5, bottom=[(20.0, 20.0), (45.0, 21.0), (70.0, 20.0)]),
            SoilLayer(1000.0, 0.0, 20.0, name="base"),
        ],
        piezometric_line=[(20.0, 25.0), (50.0, 30.0), (70.0, 31.5)],
        seismic_coefficient=0.05,
        surcharge=12.0,
        surcharge_start=52.0,
        surcharge_end=64.5,
        tension_crack_depth=1.5,
        crack_water_depth=0.75,
    )


def _same_section(a: Section, b: Section) -> None:
    """Assert two sections are equal, coordinate for coordinate (exactly)."""
    np.testing.assert_array_equal(a.ground, b.ground)
    assert len(a.layers) == len(b.layers)
    for la, lb in zip(a.layers, b.layers, strict=True):
        assert (la.cohesion, la.friction_angle, la.unit_weight, la.name) == (
            lb.cohesion,
            lb.friction_angle,
            lb.unit_weight,
            lb.name,
        )
        assert (la.bottom is None) == (lb.bottom is None)
        if la.bottom is not None and lb.bottom is not None:
            np.testing.assert_array_equal(la.bottom, lb.bottom)
    assert (a.piezometric_line is None) == (b.piezometric_line is None)
    if a.piezometric_line is not None and b.piezometric_line is not None:
        np.testing.assert_array_equal(a.piezometric_line, b.piezometric_line)
    assert a.surcharge_range == b.surcharge_range
    assert (a.surcharge, a.seismic_coefficient, a.pore_pressure_ratio) == (
        b.surcharge,
        b.seismic_coefficient,
        b.pore_pressure_ratio,
    )
    assert (a.tension_crack_depth, a.crack_water_depth) == (
        b.tension_crack_depth,
        b.crack_water_depth,
    )


def test_mirroring_twice_gives_the_original() -> None:
    section = _rich_section()
    once = mirror_section(section)
    assert once.ground_shape == "falling"
    np.testing.assert_array_equal(once.ground[:, 0], -section.ground[::-1, 0])
    assert once.surcharge_range == (-64.5, -52.0)
    _same_section(mirror_section(once), section)


def test_mirroring_keeps_a_default_surcharge_range_default() -> None:
    section = Section(EMBANKMENT, [FILL, FOUNDATION], surcharge=20.0)
    assert section.surcharge_range == (30.0, 40.0)  # the crest of the embankment
    mirrored = mirror_section(section)
    assert mirrored.surcharge_start is None and mirrored.surcharge_end is None
    assert mirrored.surcharge_range == (-40.0, -30.0)


def _bishop(section: Section, centre_x: float, centre_y: float, radius: float) -> float:
    return float(bishop_factor(slice_circle(section, centre_x, centre_y, radius, 50))[0])


def test_a_right_facing_acads_1a_gives_the_factor_of_the_original() -> None:
    original = read_section_file(VERIFICATION_DIR / "acads_1a.toml").section
    xc, yc, r = ACADS_CIRCLE
    expected = _bishop(original, xc, yc, r)
    assert 1.0 < expected < 1.1  # a valid circle near the critical one (0.987)

    right_facing = mirror_section(original)
    (face,) = faces(right_facing)
    assert face.direction == "left-to-right" and face.mirrored
    assert face.x_limits == (20.0, 70.0)
    circle_in_right_facing = -xc  # the same circle, mirrored with the section
    got = _bishop(face.section, float(face.to_face_x(circle_in_right_facing)), yc, r)
    assert_allclose(got, expected, rtol=MIRROR_RTOL)
    assert float(face.to_original_x(face.to_face_x(circle_in_right_facing))) == -xc


def test_a_right_facing_file_typed_by_hand_gives_the_factor_of_the_original(
    tmp_path: Path,
) -> None:
    # ACADS 1(a) with the toe on the right, written out (not made by mirror_section).
    path = tmp_path / "right.toml"
    path.write_text(
        "format_version = 1\n[section]\n"
        "ground = [[-70.0, 35.0], [-50.0, 35.0], [-30.0, 25.0], [-20.0, 25.0]]\n"
        'direction = "right"\n'
        "[[layers]]\ncohesion_kpa = 3.0\nfriction_angle_deg = 19.6\nunit_weight_kn_m3 = 20.0\n"
        "bottom = [[-70.0, 20.0], [-20.0, 20.0]]\n"
        "[[layers]]\ncohesion_kpa = 10000.0\nfriction_angle_deg = 0.0\nunit_weight_kn_m3 = 20.0\n",
        encoding="utf-8",
    )
    sf = read_section_file(path)
    assert sf.direction == "left-to-right"
    (face,) = faces(sf.section, sf.direction)
    original = read_section_file(VERIFICATION_DIR / "acads_1a.toml").section
    xc, yc, r = ACADS_CIRCLE
    got = _bishop(face.section, float(face.to_face_x(-xc)), yc, r)
    assert_allclose(got, _bishop(original, xc, yc, r), rtol=MIRROR_RTOL)


def _grid_minimum(face: Face) -> tuple[float, float]:
    """Least Bishop factor over a fixed grid of circles placed from the face's x-limits."""
    lo, _ = face.x_limits
    xc, yc, r = np.meshgrid(
        lo + np.linspace(5.0, 30.0, 11), np.linspace(12.0, 36.0, 9), np.linspace(10.0, 36.0, 14)
    )
    s = slice_circle(face.section, xc, yc, r, 40, strict=False)
    f = np.where(s.valid, bishop_factor(s), np.inf)
    k = int(np.argmin(f))
    return float(f[k]), float(face.to_original_x(s.centre_x[k]))


def test_a_symmetric_embankment_has_two_faces_with_equal_factors() -> None:
    section = Section(EMBANKMENT, [FILL, FOUNDATION])
    assert section.ground_shape == "ridge"
    left, right = faces(section)
    assert (left.direction, right.direction) == ("right-to-left", "left-to-right")
    assert left.x_limits == (0.0, 40.0)  # toe plain to the far end of the crest
    assert right.x_limits == (-70.0, -30.0)
    assert left.section.ground_shape == right.section.ground_shape == "rising"
    # one circle and its mirror image
    f_left = _bishop(left.section, 15.0, 20.0, 20.0)
    f_right = _bishop(right.section, float(right.to_face_x(70.0 - 15.0)), 20.0, 20.0)
    assert_allclose(f_right, f_left, rtol=MIRROR_RTOL)
    # the critical circle of each face over the same grid, mapped back: mirror images
    (min_left, x_left), (min_right, x_right) = _grid_minimum(left), _grid_minimum(right)
    assert 1.4 < min_left < 1.7  # a finite minimum inside the grid (1.526 at x_c = 10 m)
    assert_allclose(min_right, min_left, rtol=MIRROR_RTOL)
    assert_allclose(x_left + x_right, 70.0, atol=1e-9)
    assert [f.direction for f in faces(section, "left")] == ["right-to-left"]
    assert [f.direction for f in faces(section, "both")] == ["right-to-left", "left-to-right"]


def test_a_symmetric_pit_has_two_walls_with_equal_factors() -> None:
    pit = Section([(0.0, 10.0), (20.0, 0.0), (30.0, 0.0), (50.0, 10.0)], [FOUNDATION])
    assert pit.ground_shape == "valley"
    left, right = faces(pit)
    assert (left.direction, left.mirrored, right.direction) == (
        "left-to-right",
        True,
        "right-to-left",
    )
    assert left.x_limits == (-30.0, 0.0) and right.x_limits == (20.0, 50.0)
    f_right = _bishop(right.section, 32.0, 20.0, 20.5)
    f_left = _bishop(left.section, float(left.to_face_x(50.0 - 32.0)), 20.0, 20.5)
    assert_allclose(f_left, f_right, rtol=MIRROR_RTOL)


def test_a_layer_above_one_face_is_dropped_from_that_face_only() -> None:
    cover = SoilLayer(1.0, 30.0, 18.0, bottom=[(0, 12), (25, 12), (26, 2), (45, -1)], name="cap")
    dam = Section([(0, 0), (20, 10), (25, 10), (45, 0)], [cover, FOUNDATION])
    left, right = faces(dam)
    assert [lay.name for lay in left.section.layers] == ["foundation"]
    assert [lay.name for lay in right.section.layers] == ["cap", "foundation"]


def test_points_map_back_in_increasing_x() -> None:
    (face,) = faces(mirror_section(_rich_section()))
    surface = np.array([[30.0, 25.0], [40.0, 22.0], [55.0, 35.0]])
    back = face.to_original_points(surface)
    np.testing.assert_array_equal(back, [[-55.0, 35.0], [-40.0, 22.0], [-30.0, 25.0]])
    np.testing.assert_array_equal(face.to_face_points(back), surface)


def test_a_face_of_the_engine_convention_is_the_section_itself() -> None:
    section = _rich_section()
    (face,) = faces(section, "right-to-left")
    assert face.section is section and not face.mirrored
    np.testing.assert_array_equal(face.to_original_x([1.0, 2.0]), [1.0, 2.0])


@pytest.mark.parametrize(
    ("ground", "direction", "kwargs", "match"),
    [
        (EMBANKMENT, "up", {}, "direction must be one of 'right-to-left', 'left-to-right'"),
        (EMBANKMENT, "", {}, "direction must be one of"),
        (
            [(0.0, 0.0), (10.0, 0.0), (30.0, 10.0)],
            "left-to-right",
            {},
            r"direction = 'left-to-right': the ground \(rising\) has no face .* 'right-to-left'",
        ),
        (
            [(0.0, 0.0), (20.0, 10.0), (25.0, 10.0), (30.0, 8.0)],
            None,
            {"tension_crack_depth": 3.0},
            r"the left-to-right face \(x = 20.0..30.0 m\): tension_crack_depth",
        ),
    ],
)
def test_bad_directions_and_faces_are_refused(
    ground: list[tuple[float, float]], direction: str | None, kwargs: dict[str, float], match: str
) -> None:
    section = Section(ground, [FOUNDATION], **kwargs)
    with pytest.raises(ValueError, match=match):
        faces(section, direction)


def test_short_directions() -> None:
    assert normalise_direction("right") == "left-to-right"
    assert normalise_direction(" Left ") == "right-to-left"
    assert normalise_direction(None) is None


def test_slicing_refuses_a_section_that_is_not_one_rising_face():
    """A falling or two-faced ground never reaches the slicing unsplit (issue 14)."""
    import numpy as np

    from postmine.geotech.section import Section, SoilLayer
    from postmine.geotech.slicing import slice_circle, slice_surface

    dam = Section(
        np.array([[0.0, 0.0], [20.0, 10.0], [25.0, 10.0], [45.0, 0.0]]),
        [SoilLayer(10.0, 30.0, 20.0)],
    )
    with pytest.raises(ValueError, match=r"the ground is ridge.*faces\(section\)"):
        slice_circle(dam, 10.0, 20.0, 15.0)
    with pytest.raises(ValueError, match=r"the ground is ridge"):
        slice_surface(dam, [[2.0, 1.0], [10.0, 2.0], [18.0, 9.0]])
