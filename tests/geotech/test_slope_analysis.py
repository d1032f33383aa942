"""The slope analysis workflow: what a section file asks for, compared with its reference."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
from numpy.testing import assert_allclose

from postmine.geotech.limit_equilibrium import METHODS, factor_of_safety
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


# --------------------------------------------------------------------------------------
# each method's own critical surface, faces, progress (issue 14)
# --------------------------------------------------------------------------------------

GRID = {"centre_x": [25.0, 45.0, 9], "centre_y": [35.0, 60.0, 9], "radius": [10.0, 35.0, 9]}


def _mirrored(data: dict[str, Any]) -> dict[str, Any]:
    """The file's section with x → −x (a slope whose toe is on the right)."""
    out = copy.deepcopy(data)
    out["section"]["ground"] = [[-x, y] for x, y in reversed(data["section"]["ground"])]
    return out


def test_each_method_reports_its_own_surface() -> None:
    analysis = analyse_slope(parse_section_file(_with(search=GRID)))
    assert analysis.kind == "circular search"
    assert set(analysis.critical) == set(METHODS)
    for method, own in analysis.critical.items():
        assert own.method == method
        assert own.searched == "circular"
        assert own.circle is not None
        assert analysis.factors[method] == own.factor == own.factors[method]
        # its own minimum: never above its F on Bishop's circle
        assert own.factor <= analysis.factors_on_surface[method] * (1.0 + 1e-9)
    assert analysis.factors_on_surface["bishop"] == analysis.factors["bishop"]
    assert analysis.critical["bishop"].circle == analysis.circle
    data = analysis.to_dict()
    assert set(data["critical_surfaces"]) == set(METHODS)
    spencer = data["critical_surfaces"]["spencer"]
    assert spencer["factor"] == data["factors"]["spencer"]
    assert set(spencer["circle_m"]) == {"centre_x", "centre_y", "radius"}
    assert len(spencer["surface_m"]) > 2


def test_slope_facing_right_is_mirrored_back() -> None:
    """The same slope drawn the other way: the same factors, the circle mirrored."""
    left = analyse_slope(parse_section_file(_with()), methods=("bishop",))
    right = analyse_slope(parse_section_file(_mirrored(_with())), methods=("bishop",))
    assert_allclose(right.factors["bishop"], left.factors["bishop"], rtol=1e-9)
    assert left.circle is not None and right.circle is not None
    assert_allclose(right.circle, (-left.circle[0], *left.circle[1:]), rtol=1e-9)
    assert np.all(np.diff(right.surface[:, 0]) > 0)
    assert_allclose(right.surface[[0, -1], 0], -left.surface[[-1, 0], 0], rtol=1e-9)
    assert right.slices.entry_x[0] < right.slices.exit_x[0]


def test_two_faced_dam_reports_its_weaker_face() -> None:
    """A dam steeper on the right: both faces searched, the least F over them reported."""
    dam = _with(section__ground=[[0.0, 0.0], [20.0, 10.0], [25.0, 10.0], [37.0, 0.0]])
    both = analyse_slope(parse_section_file(dam), methods=("bishop",))
    faces = {
        d: analyse_slope(parse_section_file(dam), direction=d, methods=("bishop",))
        for d in ("right-to-left", "left-to-right")
    }
    weaker = min(faces.values(), key=lambda a: a.factors["bishop"])
    assert faces["left-to-right"] is weaker  # the steeper face (1.2H:1V against 2H:1V)
    assert both.factors["bishop"] == weaker.factors["bishop"]
    assert both.circle == weaker.circle
    assert both.circle is not None and both.circle[0] > 22.5  # over the right face


def test_noncircular_search_marks_its_surface() -> None:
    slope = parse_section_file(_with(search={**GRID, "kind": "noncircular"}))
    analysis = analyse_slope(slope, methods=("bishop", "spencer"))
    own = analysis.critical["spencer"]
    assert analysis.minimised == "spencer"
    assert own.searched == "noncircular" and own.circle is None
    assert analysis.factors["spencer"] <= analysis.critical["bishop"].factors["spencer"]
    assert np.isnan(analysis.factors["janbu"])  # not asked for


def test_progress_of_the_analysis() -> None:
    calls: list[tuple[int, int]] = []
    analyse_slope(
        parse_section_file(_with(search=GRID)),
        methods=("bishop", "spencer"),
        progress=lambda done, total: calls.append((done, total)),
    )
    done = [d for d, _ in calls]
    assert done == sorted(done)
    assert {t for _, t in calls} == {1000}
    assert calls[-1] == (1000, 1000)
