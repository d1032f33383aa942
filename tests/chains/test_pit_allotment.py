"""The PR1 chain of 004 (:mod:`postmine.chains.pit_allotment`): variant 1 of Table 1.2 end to end.

PR1 prints no worked example; variant 1 of Table 1.2 is computed by hand in
tests/methods/test_land_allotment.py, test_dumps.py and test_dust.py, and its Table 1.1 is
checked here in SI (m², m³) on the chain that the calculator and the project engine both call.
"""

from __future__ import annotations

import dataclasses

import pytest
from numpy.testing import assert_allclose

from postmine.chains.pit_allotment import PitAllotmentInputs, pit_land_allotment
from postmine.data import variant_row

# Hand computations carry six significant digits.
HAND_RTOL = 1e-5
M2_PER_HA = 1.0e4


def variant(number: int, **changes: object) -> PitAllotmentInputs:
    """Inputs of a row of 004 Table 1.2 (km -> m), the PR1 constants by default."""
    row = variant_row("1.2", number)
    inputs = PitAllotmentInputs(
        pit_bottom_length_m=row["pit_bottom_length_km"] * 1e3,
        pit_bottom_width_m=row["pit_bottom_width_km"] * 1e3,
        pit_depth_m=row["pit_depth_m"],
        pit_slope_angle_deg=row["pit_slope_angle_deg"],
        coal_bearing_ratio=row["coal_bearing_ratio"],
        dump_height_m=row["dump_height_m"],
        topsoil_stack_height_m=row["topsoil_stack_height_m"],
        topsoil_thickness_m=row["topsoil_thickness_m"],
    )
    return dataclasses.replace(inputs, **changes)


# Table 1.1 of 004 for variant 1 (hand computation in the method tests), in ha:
#                                   bottom-up     top-down
#   S_ос.отв = π R², π R'²          36.4520       45.6231
#   S_з (1.16)                      126.9505      154.4706
#   S_зо (1.1, S_з counted)         489.8725      533.6143
TABLE_1_1_VARIANT_1 = [
    # quantity                 bottom-up    top-down
    ("base_area", 36.4520, 45.6231),
    ("polluted_area_m2", 126.9505, 154.4706),
    ("total_allotment_m2", 489.8725, 533.6143),
]


@pytest.mark.parametrize(("name", "bottom_up", "top_down"), TABLE_1_1_VARIANT_1)
def test_variant_1_table_1_1(name: str, bottom_up: float, top_down: float) -> None:
    r = pit_land_allotment(variant(1))

    def value(scheme: str) -> float:
        s = r.schemes[scheme]
        return float(s.flattened.base_area) if name == "base_area" else getattr(s, name)

    assert_allclose(value("bottom-up"), bottom_up * M2_PER_HA, rtol=HAND_RTOL)
    assert_allclose(value("top-down"), top_down * M2_PER_HA, rtol=HAND_RTOL)


def test_variant_1_intermediates_in_si() -> None:
    r = pit_land_allotment(variant(1))
    assert_allclose(r.mining_allotment_m2, 252.7492 * M2_PER_HA, rtol=HAND_RTOL)
    assert_allclose(r.overburden_volume_m3, 13_786_078.0, rtol=HAND_RTOL)
    assert r.dump.shape == "circle"
    assert_allclose(float(r.dump.base_size), 340.632, rtol=HAND_RTOL)
    assert_allclose(float(r.schemes["bottom-up"].flattened.height), 60.4796, rtol=HAND_RTOL)
    assert_allclose(r.schemes["bottom-up"].zone_width_m, 380.566, rtol=HAND_RTOL)
    assert_allclose(r.schemes["bottom-up"].store_area_m2, 9.82443 * M2_PER_HA, rtol=HAND_RTOL)
    assert r.rational.scheme == "bottom-up"


def test_eq_1_1_as_printed_leaves_out_the_polluted_land() -> None:
    # (252.7492 + 36.4520 + 9.82443) · 1.15 = 343.8795 ha
    r = pit_land_allotment(variant(1, count_polluted_area=False))
    assert_allclose(r.schemes["bottom-up"].total_allotment_m2, 343.8795e4, rtol=HAND_RTOL)


def test_base_shape_asked_for_is_flattened() -> None:
    r = pit_land_allotment(variant(1), base_shape="square")
    assert r.dump.shape == "square"
    assert r.schemes["top-down"].flattened.shape == "square"


def test_from_object_takes_the_dump_section_names() -> None:
    inputs = variant(1)
    again = PitAllotmentInputs.from_object(inputs)
    assert again == inputs


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: pit_land_allotment(variant(1), base_shape="oval"), "base_shape must be one of"),
        (lambda: pit_land_allotment(variant(1, pit_depth_m=-5.0)), "pit_depth"),
        (lambda: PitAllotmentInputs.from_object(object()), "PR1 inputs need pit_bottom_length_m"),
    ],
)
def test_refusals_name_the_input(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"pit_bottom_width_m": 0.0}, "pit_bottom_width_m must be > 0 m, got 0 m"),
        ({"dump_slope_angle_deg": 90.0}, r"dump_slope_angle_deg must be in \(0, 90\) °"),
        ({"coal_bearing_ratio": 1.0}, r"coal_bearing_ratio must be in \[0, 1\)"),
        ({"topsoil_thickness_m": -0.1}, "topsoil_thickness_m must be >= 0 m"),
        ({"overburden_loosening_factor": 0.9}, "overburden_loosening_factor must be >= 1"),
        ({"topsoil_slope_factor": 0.0}, r"topsoil_slope_factor must be in \(0, 1\]"),
    ],
)
def test_inputs_are_checked_on_construction(changes: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        variant(1, **changes)
