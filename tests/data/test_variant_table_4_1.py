"""Table 4.1 of 004 (practical work 4) as shipped in data/variants/table_4_1.csv."""

import pytest
from numpy.testing import assert_allclose

from postmine.calc import get
from postmine.calc.base import VariantUnavailableError
from postmine.data import read_variant_table, variant_row, variant_table_notes

TABLE = "4.1"
ROWS = read_variant_table(TABLE)

# column -> (low, high, allowed to be empty in the variants listed)
RANGES = {
    "ore_cost_rub_per_t": (1.0, 10_000.0),
    "ore_price_rub_per_t": (1.0, 10_000.0),
    "block_grade_pct": (0.1, 100.0),
    "ore_loss_fraction": (0.0, 0.99),
    "dilution_fraction": (0.0, 2.0),
    "beneficiation_cost_rub_per_t": (0.1, 1000.0),
    "concentrate_grade_pct": (1.0, 100.0),
    "metal_grade_pct": (1.0, 100.0),
    "concentrate_price_rub_per_t": (1.0, 10_000.0),
    "beneficiation_recovery_fraction": (0.01, 1.0),
    "smelting_recovery_fraction": (0.01, 1.0),
    "component_price_krub_per_t": (1.0, 2000.0),
    "concentrate_transport_cost_rub_per_t": (0.0, 1000.0),
    "smelting_cost_rub_per_t": (0.0, 1000.0),
    "metal_price_krub_per_t": (1.0, 100.0),
    "byproduct_credit_rub_per_t": (0.0, 5000.0),
}
# The garbled cells of the source, left empty: (variant, column) -> what 004 prints.
GARBLED = {
    (4, "dilution_fraction"): "00,9",
    (28, "concentrate_price_rub_per_t"): "12,!",
}


def test_row_count_and_columns():
    assert [r["variant"] for r in ROWS] == list(range(1, 31))
    assert set(ROWS[0]) == {"variant", "note", *RANGES}


def test_notes_cite_the_source_and_every_garbled_cell():
    notes = " ".join(variant_table_notes(TABLE))
    assert "Table 4.1 of 004" in notes and "lines 2211-2675" in notes
    for printed in GARBLED.values():
        assert f'"{printed}"' in notes


@pytest.mark.parametrize("column", sorted(RANGES))
def test_every_cell_is_a_number_in_range_or_a_noted_gap(column):
    low, high = RANGES[column]
    for row in ROWS:
        value = row[column]
        if (row["variant"], column) in GARBLED:
            assert value is None
            assert GARBLED[(row["variant"], column)] in row["note"]
            continue
        assert isinstance(value, int | float), (row["variant"], column, value)
        assert low <= value <= high, (row["variant"], column, value)


def test_rows_without_gaps_have_no_note():
    for row in ROWS:
        gaps = [c for c in RANGES if row[c] is None]
        assert bool(gaps) == bool(row["note"]), row["variant"]


# Spot checks against the printed table (one variant from each of the three blocks).
PRINTED = [
    # variant, З_д, Ц_р, C, П, Р, З_о, a_к, a_м, Ц_к, И_о, И_м, Ц_мк, З_тм, З_м, Ц_м, С_пк
    (1, 800, 2215, 4.2, 0.05, 0.07, 100, 60, 80, 1700, 0.9, 0.95, 7.5, 60, 300, 22.0, 1612),
    (15, 5230, 8700, 5.8, 0.02, 1.3, 160, 70, 82, 3500, 0.78, 0.85, 1230, 20, 360, 32.0, 820),
    (30, 1900, 3116, 6.4, 0.03, 0.5, 0.88, 80, 90, 23.5, 0.9, 0.97, 43.0, 50, 200, 75.2, 260),
]


@pytest.mark.parametrize("printed", PRINTED, ids=lambda p: f"variant-{p[0]}")
def test_printed_values(printed):
    row = variant_row(TABLE, printed[0])
    got = [row[c] for c in RANGES]
    assert_allclose(got, printed[1:], rtol=0, atol=1e-12)


@pytest.mark.parametrize("variant", [r["variant"] for r in ROWS])
def test_every_variant_runs_or_names_the_missing_field(variant):
    calc = get("ore-cutoff")
    assert calc.variant_table == TABLE and calc.from_variant is not None
    row = variant_row(TABLE, variant)
    missing = [column for (v, column) in GARBLED if v == variant]
    if missing:
        with pytest.raises(VariantUnavailableError, match=rf"variant {variant} .*{missing[0]}"):
            calc.from_variant(row)
        return
    _, results = calc.run(calc.from_variant(row))
    assert results


def test_missing_variant_is_a_clear_error():
    with pytest.raises(
        ValueError, match=r"variant must be in 1\.\.30 for Table 4\.1 of 004, got 0"
    ):
        variant_row(TABLE, 0)
