"""Table 6.1 of 004 (practical work 6) as shipped in data/variants/table_6_1.csv."""

import pytest
from numpy.testing import assert_allclose

from postmine.calc.base import VariantUnavailableError
from postmine.calc.complex_deposit import COMPLEX_DEPOSIT
from postmine.data import read_variant_table, variant_row, variant_table_notes

TABLE = "6.1"
ROWS = read_variant_table(TABLE)
# Table 6.1 prints at most two decimals.
CELL_TOL = 0.005

PER_PRODUCT = [
    ("processing_cost_{i}_rub_per_t", 0, 200),
    ("wholesale_price_{i}_thousand_rub_per_t", 0.5, 20),
    ("ore_grade_{i}_pct", 0, 100),
    ("concentrate_grade_{i}_pct", 0, 100),
    ("recovery_{i}", 0, 1),
    ("profitability_{i}", 0, 1),
]
PER_DEPOSIT = [
    ("ore_output_million_t_per_year", 0.1, 100),
    ("overburden_million_m3_per_year", 0, 100),
    ("mining_cost_rub_per_t", 1, 500),
    ("overburden_cost_rub_per_m3", 1, 500),
    ("tailings_cost_rub_per_t", 1, 500),
]

# Cells left empty because the source prints an impossible value: (variant, column).
EMPTY_CELLS = {(14, "recovery_2")}

# Rows of Table 6.1 in 004 as printed (seed lines 3105-3129 and 3211-3235), first, a middle
# and last variant: A_р, A_в, C_д, C_в, C_о1..3, Ц_о1..3 | C_х, α1..3, β1..3, K_и1..3, R1..3
PRINTED = [
    (1, 2.0, 3, 60, 30, 45, 35, 50, 3.1, 5.9, 7.1,
     20, 0.7, 0.9, 1.5, 50, 15, 40, 0.86, 0.90, 0.92, 0.25, 0.15, 0.12),
    (4, 5, 7.5, 72, 40, 52, 45, 45, 3.2, 6, 7,
     17, 0.8, 0.9, 1.5, 42, 13, 46, 0.92, 0.88, 0.89, 0.21, 0.20, 0.08),
    (14, 15, 22.5, 30, 35, 30, 45, 35, 2.2, 2.3, 4.2,
     18, 0.6, 0.8, 1.6, 47, 18, 42, 0.75, None, 0.73, 0.16, 0.20, 0.14),
    (25, 10, 12, 60, 45, 37, 55, 58, 4.5, 6.8, 7.2,
     22, 0.9, 0.75, 1.3, 47, 13, 49, 0.69, 0.67, 0.76, 0.20, 0.19, 0.12),
]  # fmt: skip
COLUMNS = [
    "ore_output_million_t_per_year",
    "overburden_million_m3_per_year",
    "mining_cost_rub_per_t",
    "overburden_cost_rub_per_m3",
    *(f"processing_cost_{i}_rub_per_t" for i in (1, 2, 3)),
    *(f"wholesale_price_{i}_thousand_rub_per_t" for i in (1, 2, 3)),
    "tailings_cost_rub_per_t",
    *(f"ore_grade_{i}_pct" for i in (1, 2, 3)),
    *(f"concentrate_grade_{i}_pct" for i in (1, 2, 3)),
    *(f"recovery_{i}" for i in (1, 2, 3)),
    *(f"profitability_{i}" for i in (1, 2, 3)),
]


def test_twenty_five_variants_numbered_in_order():
    assert [r["variant"] for r in ROWS] == list(range(1, 26))


def test_header_notes_cite_the_source_and_the_garbled_cell():
    notes = " ".join(variant_table_notes(TABLE))
    assert "Table 6.1 of 004" in notes and "3055" in notes
    assert "variant 14" in notes and "1,86" in notes
    assert "left empty rather than guessed" in notes


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"variant {r['variant']}")
def test_types_and_physical_ranges(row):
    for col, low, high in PER_DEPOSIT:
        assert isinstance(row[col], int | float), (col, row[col])
        assert low <= row[col] <= high, (col, row[col])
    for template, low, high in PER_PRODUCT:
        for i in (1, 2, 3):
            col = template.format(i=i)
            if (row["variant"], col) in EMPTY_CELLS:
                assert row[col] is None and col in row["note"]
                continue
            assert isinstance(row[col], int | float), (col, row[col])
            assert low <= row[col] <= high, (col, row[col])
    for i in (1, 2, 3):
        # a concentrate is richer than the ore it comes from
        assert row[f"concentrate_grade_{i}_pct"] > row[f"ore_grade_{i}_pct"]


@pytest.mark.parametrize("printed", PRINTED, ids=lambda p: f"variant {p[0]}")
def test_rows_as_printed(printed):
    row = variant_row(TABLE, printed[0])
    for col, value in zip(COLUMNS, printed[1:], strict=True):
        if value is None:
            assert row[col] is None
        else:
            assert_allclose(row[col], value, atol=CELL_TOL, err_msg=col)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"variant {r['variant']}")
def test_every_variant_runs_or_names_the_missing_field(row):
    empty = [col for (v, col) in EMPTY_CELLS if v == row["variant"]]
    if empty:
        with pytest.raises(
            VariantUnavailableError, match=rf"variant {row['variant']} .*{empty[0]}"
        ):
            COMPLEX_DEPOSIT.from_variant(row)
        return
    _, results = COMPLEX_DEPOSIT.run(COMPLEX_DEPOSIT.from_variant(row))
    (verdict,) = [q for q in results if q.symbol == "З_д ≥ З_и"]
    assert isinstance(verdict.value, bool)
