"""The slope analysis workflow: what a section file asks for, compared with its reference."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
from numpy.testing import assert_allclose

from postmine.geotech.limit_equilibrium import factor_of_safety
from postmine.geotech.section_file import parse_section_file
from postmine.geotech.slope_analysis import analyse_slope

BASE: dict[str, Any] = {
    "format_version": 1,
    "title": "ACADS 1(a)",
    "section": {"ground": [[20.0, 25.0], [30.0, 25.0], [50.0, 35.0], [70.0, 35.0]]},
    "layers": [
        {"name": "soil", "cohesion_kpa": 3.0, "friction_angle_deg": 19.6, "unit_weight_kn_m3": 20.0}
    ],
}


def _with(**changes: Any) -> dict[str, Any]:
    """BASE with ``section__key=value`` or top-level ``key=value`` changed."""
    data = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        target = data
        keys = dotted.split("__")
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value
    return data


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
