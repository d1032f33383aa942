"""The slope section drawn to a PNG, written whole."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from postmine.geotech.section_file import parse_section_file
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
    """BASE with ``section__key=value`` or top-level ``key=value`` changed."""
    data = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        target = data
        keys = dotted.split("__")
        for key in keys[:-1]:
            target = target.setdefault(key, {})
        target[keys[-1]] = value
    return data


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


def test_section_alone_is_drawn(tmp_path: Path) -> None:
    slope = parse_section_file(_with(section__pore_pressure_ratio=0.2))
    out = plot_slope(slope.section, None, tmp_path / "section.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
