"""Slope section files: validation with field-named errors, reading from disk."""

from __future__ import annotations

import copy
import inspect
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import postmine
from postmine.geotech.limit_equilibrium import bishop_factor
from postmine.geotech.section import SoilLayer
from postmine.geotech.section_file import (
    SectionFileError,
    parse_section_file,
    read_section_file,
    slope_faces,
)
from postmine.geotech.slicing import slice_circle

SOIL: dict[str, Any] = {
    "name": "soil",
    "cohesion_kpa": 3.0,
    "friction_angle_deg": 19.6,
    "unit_weight_kn_m3": 20.0,
}
BASE: dict[str, Any] = {
    "format_version": 1,
    "title": "ACADS 1(a)",
    "section": {"ground": [[20.0, 25.0], [30.0, 25.0], [50.0, 35.0], [70.0, 35.0]]},
    "layers": [
        {"name": "soil", "cohesion_kpa": 3.0, "friction_angle_deg": 19.6, "unit_weight_kn_m3": 20.0}
    ],
}


def _with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        target = data
        keys = dotted.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target.setdefault(key, {})
        target[keys[-1]] = value
    return data


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (_with(layers__0__friction_angle_deg=90.0), r"layers\.0\.friction_angle_deg.*less than 90"),
        (_with(layers__0__friction_angle_deg=-1.0), r"layers\.0\.friction_angle_deg"),
        (_with(layers__0__unit_weight_kn_m3=0.0), r"unit_weight_kn_m3"),
        (_with(section__pore_pressure_ratio=1.5), r"section\.pore_pressure_ratio"),
        (_with(section__ground=[[0, 30], [10, 20], [20, 30], [30, 20]]), "turns"),
        (_with(section__direction="up"), r"section\.direction.*must be one of"),
        (_with(section__direction="left-to-right"), r"section\.direction: .* has no face"),
        (
            _with(layers=[{**SOIL, "bottom": [[20, 40], [70, 40]]}, SOIL]),
            r"layers\.0 \('soil'\) lies entirely above",
        ),
        (_with(format_version=2), "format_version"),
        (_with(section__bogus=1), "unknown field 'section.bogus'"),
        (
            _with(
                layers=[
                    {
                        "name": "a",
                        "cohesion_kpa": 1,
                        "friction_angle_deg": 30,
                        "unit_weight_kn_m3": 19,
                        "bottom": [[20, 30], [70, 30]],
                    },
                    {
                        "name": "b",
                        "cohesion_kpa": 1,
                        "friction_angle_deg": 30,
                        "unit_weight_kn_m3": 19,
                        "bottom": [[20, 27], [70, 33]],
                    },
                    {
                        "name": "c",
                        "cohesion_kpa": 1,
                        "friction_angle_deg": 30,
                        "unit_weight_kn_m3": 19,
                    },
                ]
            ),
            "cross",
        ),
        (_with(surface={"centre_x": 30.0, "points": [[30, 25], [60, 35]]}), "either centre_x"),
        (
            _with(surface={"centre_x": 30.0, "centre_y": 50.0, "radius": 20.0}, search={}),
            "not both",
        ),
        (_with(search={"centre_x": [50.0, 25.0, 5]}), "stop >= start"),
        (
            _with(piezometers=[{"channel": "PZ", "x_m": 99.0, "tip_elevation_m": 20.0}]),
            r"piezometers\.0\.x_m",
        ),
        (_with(section__tension_crack_depth_m=12.0), "tension_crack_depth"),
    ],
)
def test_bad_files_are_refused_with_the_field_named(data: dict[str, Any], match: str) -> None:
    with pytest.raises(SectionFileError, match=match):
        parse_section_file(data)


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(SectionFileError, match="no such file"):
        read_section_file(tmp_path / "absent.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("format_version = = 1\n", encoding="utf-8")
    with pytest.raises(SectionFileError, match="not valid TOML"):
        read_section_file(bad)


@pytest.mark.parametrize(
    ("ground", "direction", "expected"),
    [
        (BASE["section"]["ground"], None, None),
        (BASE["section"]["ground"], "left", "right-to-left"),
        (BASE["section"]["ground"], "both", "both"),
        ([[-70, 35], [-50, 35], [-30, 25], [-20, 25]], "left-to-right", "left-to-right"),
        ([[0, 0], [20, 10], [25, 10], [45, 0]], "right", "left-to-right"),
    ],
)
def test_the_failure_direction_is_read_in_slide2_words(
    ground: list[list[float]], direction: str | None, expected: str | None
) -> None:
    data = _with(section__ground=ground)
    if direction is not None:
        data["section"]["direction"] = direction
    assert parse_section_file(data).direction == expected


def test_an_impenetrable_layer_reaches_the_soil_layer() -> None:
    data = _with(layers=[{**SOIL, "bottom": [[20, 20], [70, 20]]}, {**SOIL, "impenetrable": True}])
    if "impenetrable" in inspect.signature(SoilLayer).parameters:
        layers = parse_section_file(data).section.layers
        assert [getattr(lay, "impenetrable", None) for lay in layers] == [False, True]
    else:  # SoilLayer without the keyword (before issue 14's bedrock): refused, not ignored
        with pytest.raises(SectionFileError, match=r"layers\.1\.impenetrable is not supported"):
            parse_section_file(data)


def _mirrored_line(points: list[list[float]]) -> list[list[float]]:
    return [[-x, y] for x, y in reversed(points)]


def _right_facing_acads_1a() -> dict[str, Any]:
    """The shipped ACADS 1(a) file with every x mirrored: the toe on the right."""
    path = Path(postmine.__file__).parent / "data" / "geotech" / "verification" / "acads_1a.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["section"]["ground"] = _mirrored_line(data["section"]["ground"])
    for layer in data["layers"]:
        if "bottom" in layer:
            layer["bottom"] = _mirrored_line(layer["bottom"])
    start, stop, count = data["search"]["centre_x"]
    data["search"]["centre_x"] = [-stop, -start, count]
    return data


def test_the_faces_of_a_right_facing_file_are_the_original_problem() -> None:
    original = read_section_file(
        Path(postmine.__file__).parent / "data" / "geotech" / "verification" / "acads_1a.toml"
    )
    ((face, part),) = slope_faces(parse_section_file(_right_facing_acads_1a()))
    assert face.direction == "left-to-right" and part.direction == "right-to-left"
    np.testing.assert_array_equal(part.section.ground, original.section.ground)
    assert part.search is not None and original.search is not None
    assert part.search.centre_x == original.search.centre_x  # the grid mirrored back
    assert (part.search.centre_y, part.search.radius) == (
        original.search.centre_y,
        original.search.radius,
    )


def test_a_given_surface_goes_to_the_face_it_cuts() -> None:
    dam: dict[str, Any] = {
        "format_version": 1,
        "section": {"ground": [[0, 0], [10, 0], [30, 10], [40, 10], [60, 0], [70, 0]]},
        "layers": [SOIL],
        # the mirror image of (15, 20, 20) on the left face: a circle through the right face
        "surface": {"centre_x": 55.0, "centre_y": 20.0, "radius": 20.0},
    }
    ((face, part),) = slope_faces(parse_section_file(dam))
    assert face.direction == "left-to-right"
    assert part.surface is not None and part.surface.centre_x == -55.0
    left = copy.deepcopy(dam)
    left["surface"]["centre_x"] = 15.0
    ((left_face, left_part),) = slope_faces(parse_section_file(left))
    assert left_face.direction == "right-to-left"
    f_left = bishop_factor(slice_circle(left_part.section, 15.0, 20.0, 20.0, 50))
    f_right = bishop_factor(slice_circle(part.section, -55.0, 20.0, 20.0, 50))
    np.testing.assert_allclose(f_right, f_left, rtol=1e-9)


def test_a_search_grid_stays_with_the_face_it_covers() -> None:
    dam: dict[str, Any] = {
        "format_version": 1,
        "section": {"ground": [[0, 0], [10, 0], [30, 10], [40, 10], [60, 0], [70, 0]]},
        "layers": [SOIL],
        "search": {"centre_x": [10.0, 30.0, 5], "centre_y": [15.0, 30.0, 4]},
    }
    (_, left_part), (_, right_part) = slope_faces(parse_section_file(dam))
    assert left_part.search is not None and right_part.search is not None
    assert left_part.search.centre_x == (10.0, 30.0, 5)
    assert right_part.search.centre_x is None  # (-30, -10) only touches (-70, -30)
    assert right_part.search.centre_y == (15.0, 30.0, 4)
    assert [f.direction for f, _ in slope_faces(parse_section_file(dam), "right")] == [
        "left-to-right"
    ]
