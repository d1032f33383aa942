"""Table 1.2 of 004 (PR1 variants) as shipped in data/variants/table_1_2.csv."""

import pytest

from postmine.calc.base import VariantUnavailableError
from postmine.calc.pit_land_allotment import PIT_LAND_ALLOTMENT
from postmine.data import read_variant_table, variant_row, variant_table_notes

COLUMNS = [
    "variant",
    "pit_bottom_length_km",
    "pit_bottom_width_km",
    "seam_dip_angle_deg",
    "pit_depth_m",
    "pit_slope_angle_deg",
    "dump_height_m",
    "topsoil_stack_height_m",
    "topsoil_thickness_m",
    "coal_bearing_ratio",
    "note",
]

# Physical ranges of every numeric column (open/closed as the quantity demands).
RANGES = {
    "pit_bottom_length_km": (0.0, 10.0),
    "pit_bottom_width_km": (0.0, 10.0),
    "seam_dip_angle_deg": (0.0, 90.0),
    "pit_depth_m": (0.0, 1000.0),
    "pit_slope_angle_deg": (0.0, 90.0),
    "dump_height_m": (0.0, 300.0),
    "topsoil_stack_height_m": (0.0, 30.0),
    "topsoil_thickness_m": (0.0, 3.0),
    "coal_bearing_ratio": (0.0, 1.0),
}

# Rows of Table 1.2 as printed (seed lines 483, 494, 507): №, L, B, dip, H_к, φ_ср, h_о, h_п,
# m_п, K_у.
PRINTED_ROWS = [
    (1, 1.1, 0.09, 5, 55, 35, 45, 5, 0.5, 0.10),
    (12, 1.0, 0.12, 25, 120, 36, 99, 10, 0.4, 0.13),
    (25, 1.9, 0.15, 60, 185, 38, 90, 5, 0.9, 0.16),
]


def test_shape_and_header():
    rows = read_variant_table("1.2")
    assert len(rows) == 25
    assert [r["variant"] for r in rows] == list(range(1, 26))
    assert list(rows[0]) == COLUMNS


def test_notes_cite_the_source():
    notes = " ".join(variant_table_notes("1.2"))
    assert "Table 1.2 of 004" in notes
    assert "483-507" in notes


@pytest.mark.parametrize("row", read_variant_table("1.2"), ids=lambda r: f"variant {r['variant']}")
def test_types_and_ranges(row):
    assert isinstance(row["variant"], int)
    for key, (low, high) in RANGES.items():
        value = row[key]
        assert isinstance(value, int | float), f"{key} of variant {row['variant']}: {value!r}"
        assert low < value < high, f"{key} of variant {row['variant']} = {value}"
    assert row["note"] is None  # every cell of Table 1.2 is legible


@pytest.mark.parametrize("printed", PRINTED_ROWS, ids=lambda p: f"variant {p[0]}")
def test_rows_as_printed(printed):
    row = variant_row("1.2", printed[0])
    values = [row[c] for c in COLUMNS[:-1]]
    assert values == pytest.approx(list(printed), abs=1e-12)


@pytest.mark.parametrize("variant", range(1, 26))
def test_every_variant_runs_or_names_the_missing_field(variant):
    row = variant_row("1.2", variant)
    try:
        inputs = PIT_LAND_ALLOTMENT.from_variant(row)
    except VariantUnavailableError as exc:
        assert "unavailable" in str(exc)
        return
    _, results = PIT_LAND_ALLOTMENT.run(inputs)
    assert {q.symbol for q in results} >= {"S_зо[снизу-вверх]", "S_зо[сверху-вниз]"}


def test_variant_that_does_not_exist():
    with pytest.raises(ValueError, match=r"variant must be in 1..25 for Table 1.2 of 004, got 26"):
        variant_row("1.2", 26)


def test_garbled_cell_would_name_the_field():
    row = dict(variant_row("1.2", 1), dump_height_m=None, note="prints '4!'")
    with pytest.raises(VariantUnavailableError, match=r"dump_height_m is unavailable \(prints"):
        PIT_LAND_ALLOTMENT.from_variant(row)
