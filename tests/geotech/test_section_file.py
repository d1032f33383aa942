"""Slope section files: validation with field-named errors, reading from disk."""

from __future__ import annotations

import copy
import inspect
from pathlib import Path
from typing import Any

import pytest

from postmine.geotech.section import SoilLayer
from postmine.geotech.section_file import (
    SectionFileError,
    parse_section_file,
    read_section_file,
)

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
