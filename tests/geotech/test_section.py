"""Tests of the slope section: every physically impossible section or layer is refused."""

from __future__ import annotations

import numpy as np
import pytest

from postmine.geotech.section import Section, SoilLayer, ground_shape

ACADS_1A_GROUND = [(20.0, 25.0), (30.0, 25.0), (50.0, 35.0), (70.0, 35.0)]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"layers": [SoilLayer(3.0, 19.6, 20.0, bottom=[(0, 25), (80, 25)])]}, "last layer"),
        (
            {
                "layers": [
                    SoilLayer(3.0, 19.6, 20.0, bottom=[(0, 25), (80, 25)], name="a"),
                    SoilLayer(3.0, 19.6, 20.0, bottom=[(0, 22), (80, 27)], name="b"),
                    SoilLayer(3.0, 19.6, 20.0),
                ]
            },
            "cross",
        ),
        ({"layers": []}, "at least one"),
        ({"pore_pressure_ratio": 1.2}, "pore_pressure_ratio"),
        ({"seismic_coefficient": -0.1}, "seismic_coefficient"),
        ({"surcharge": -5.0}, "surcharge"),
        ({"ground": [(0, 30), (10, 30)]}, "ground must rise or fall"),
        (
            {"ground": [(0, 0), (10, 10), (20, 0), (30, 10), (40, 0)]},
            r"3 turns \(several peaks or troughs\) at x = \[10.0, 20.0, 30.0\]",
        ),
        (
            {
                "layers": [
                    SoilLayer(3.0, 19.6, 20.0, bottom=[(0, 36), (80, 36)], name="cap"),
                    SoilLayer(3.0, 19.6, 20.0),
                ]
            },
            r"layers\.0 \('cap'\) lies entirely above the ground",
        ),
        (
            {"ground": [(0, 10), (20, 0), (30, 0), (50, 10)], "surcharge": 5.0},
            "surcharge_start and surcharge_end must be given",
        ),
        ({"ground": [(0, 20), (0, 30)]}, "increase"),
        ({"ground": [(0, 20)]}, "at least two"),
        ({"pore_pressure_ratio": 0.2, "piezometric_line": [(0, 20), (80, 25)]}, "not both"),
        ({"surcharge": 10.0, "surcharge_start": 60.0, "surcharge_end": 55.0}, "surcharge_start"),
        ({"piezometric_line": [(0, 20), (0, 25)]}, "piezometric_line"),
    ],
)
def test_bad_section(kwargs: dict[str, object], match: str) -> None:
    args: dict[str, object] = {"ground": ACADS_1A_GROUND, "layers": [SoilLayer(3.0, 19.6, 20.0)]}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        Section(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((3.0, 90.0, 20.0), "friction_angle"),
        ((3.0, -1.0, 20.0), "friction_angle"),
        ((-3.0, 19.6, 20.0), "cohesion"),
        ((3.0, 19.6, 0.0), "unit_weight"),
    ],
)
def test_bad_layer(args: tuple[float, float, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        SoilLayer(*args)


def test_crest_and_default_surcharge_range() -> None:
    section = Section(ACADS_1A_GROUND, [SoilLayer(3.0, 19.6, 20.0)], surcharge=10.0)
    assert section.x_range == (20.0, 70.0)
    assert section.surcharge_range == (50.0, 70.0)  # from the crest to the right end


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"tension_crack_depth": 10.0}, r"tension_crack_depth must be in \[0, 10.0\)"),
        ({"tension_crack_depth": 2.0, "crack_water_depth": 3.0}, "crack_water_depth"),
    ],
)
def test_bad_tension_crack(kwargs: dict[str, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Section(ACADS_1A_GROUND, [SoilLayer(3.0, 19.6, 20.0)], **kwargs)


@pytest.mark.parametrize(
    ("ground", "shape", "surcharge_range"),
    [
        (ACADS_1A_GROUND, "rising", (50.0, 70.0)),
        ([(-70, 35), (-50, 35), (-30, 25), (-20, 25)], "falling", (-70.0, -50.0)),
        ([(0, 0), (10, 0), (30, 10), (40, 10), (60, 0)], "ridge", (30.0, 40.0)),
        ([(0, 10), (20, 0), (30, 0), (50, 10), (60, 10)], "valley", None),  # must be given
        ([(0, 0), (10, 5), (20, 5), (30, 10), (40, 10)], "rising", (30.0, 40.0)),  # a bench
    ],
)
def test_ground_shapes_and_their_default_surcharge_range(
    ground: list[tuple[float, float]], shape: str, surcharge_range: tuple[float, float] | None
) -> None:
    assert ground_shape(np.asarray(ground, dtype=float)) == shape
    section = Section(ground, [SoilLayer(3.0, 19.6, 20.0)])
    assert section.ground_shape == shape
    if surcharge_range is not None:
        assert section.surcharge_range == surcharge_range  # the top of the ground


def test_a_layer_that_thins_out_above_part_of_the_ground_is_kept() -> None:
    cover = SoilLayer(3.0, 19.6, 20.0, bottom=[(20, 24), (40, 36), (70, 36)], name="cover")
    section = Section(ACADS_1A_GROUND, [cover, SoilLayer(8.0, 30.0, 20.0)])
    assert [lay.name for lay in section.layers] == ["cover", "soil"]
