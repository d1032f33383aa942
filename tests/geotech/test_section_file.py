"""Slope section files: validation with field-named errors, and the analysis workflow."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose

from postmine.geotech.limit_equilibrium import factor_of_safety
from postmine.geotech.section_file import (
    SectionFileError,
    parse_section_file,
    read_section_file,
)
from postmine.geotech.slope_analysis import analyse_slope
from postmine.geotech.slope_plot import plot_slope

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
        (_with(section__ground=[[0, 30], [10, 20]]), "rise"),
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


def test_given_circle_equals_the_python_api() -> None:
    slope = parse_section_file(_with(surface={"centre_x": 30.0, "centre_y": 52.5, "radius": 27.5}))
    analysis = analyse_slope(slope)
    for method in ("ordinary", "bishop", "janbu", "spencer", "morgenstern_price"):
        expected = factor_of_safety(slope.section, 30.0, 52.5, 27.5, method)  # type: ignore[arg-type]
        assert_allclose(analysis.factors[method], expected, rtol=1e-12)
    assert analysis.kind == "given circle"


def test_given_polyline_and_json_round_trip() -> None:
    slope = parse_section_file(
        _with(surface={"points": [[30.0, 25.0], [40.0, 24.0], [60.0, 35.0]]})
    )
    analysis = analyse_slope(slope)
    data = analysis.to_dict()
    assert data["kind"] == "given polyline"
    assert data["circle_m"] is None
    assert_allclose(data["surface_m"][0], [30.0, 25.0], atol=1e-6)
    assert np.isfinite(data["factors"]["spencer"])


def test_reference_comparison_names_each_method() -> None:
    slope = parse_section_file(
        _with(
            search={
                "centre_x": [25.0, 45.0, 9],
                "centre_y": [35.0, 60.0, 9],
                "radius": [10.0, 35.0, 9],
            },
            reference={
                "source": "Slide2 verification #1",
                "factors": {"bishop": 0.987, "spencer": 0.986},
            },
        )
    )
    analysis = analyse_slope(slope)
    assert [c.method for c in analysis.checks] == ["bishop", "spencer"]
    assert all(c.passed for c in analysis.checks)  # within 1.5 % of Slide2's factors


def test_plot_is_written(tmp_path: Path) -> None:
    slope = parse_section_file(
        _with(
            section__piezometric_line=[[20.0, 25.0], [70.0, 30.0]],
            section__surcharge_kpa=10.0,
            section__tension_crack_depth_m=1.0,
            surface={"centre_x": 30.0, "centre_y": 52.5, "radius": 27.5},
        )
    )
    out = plot_slope(slope.section, analyse_slope(slope), tmp_path / "slope.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind
