"""Table 5.1 of 004 (practical work 5) as shipped in data/variants/table_5_1.csv."""

import pytest
from numpy.testing import assert_allclose

from postmine.calc.base import VariantUnavailableError
from postmine.calc.losses_dilution import LOSSES_DILUTION
from postmine.data import read_variant_table, variant_row, variant_table_notes

TABLE = "5.1"
ROWS = read_variant_table(TABLE)
# Table 5.1 prints thicknesses and grades with at most two decimals.
CELL_TOL = 0.005

THICKNESS_COLUMNS = [
    f"{scheme}_{layer}_thickness_m"
    for scheme in ("a", "b", "c")
    for layer in ("lost_ore", "diluting_rock")
]
GRADE_COLUMNS = ["balance_grade_pct", "rock_grade_pct", "lost_ore_grade_pct"]

# Cells left empty because the source does not print them: (variant, column).
EMPTY_CELLS = {(1, "lost_ore_grade_pct"), (11, "balance_grade_pct")}

# Rows printed in full in their own lines of the seed (lines 2869-2904), Table 5.1 in 004:
# variant, m_р, А M_п/M_р, Б M_п/M_р, В M_п/M_р, C_б, C_р, C_п
PRINTED_IN_FULL = [
    (7, 10, 0.3, 0.8, 0.2, 0.5, 0.2, 0.5, 2.6, 0.7, 1.8),
    (14, 10, 0.2, 0.5, 0.1, 0.2, 1.5, 0.2, 2.9, 0.22, 1.4),
    (20, 19, 0.4, 1.6, 0.15, 0.4, 0.2, 0.4, 2.4, 0.3, 1.0),
]
# Rows printing two pairs: the first is read as scheme А, the second as scheme В.
# variant, m_р, first pair, second pair, C_б, C_р, C_п  (None: not printed)
PRINTED_TWO_PAIRS = [
    (1, 14, 0.1, 0.7, 0.1, 0.15, 2.0, 0.1, None),
    (2, 15, 0.2, 0.9, 0.05, 0.2, 2.1, 0.2, 1.2),
    (3, 16, 0.5, 0.6, 0.1, 0.3, 2.2, 0.3, 0.9),
    (4, 17, 0.2, 0.8, 0.15, 0.5, 2.3, 0.4, 1.3),
    (8, 24, 0.1, 0.5, 0.2, 0.4, 2.7, 0.15, 1.5),
    (9, 25, 0.2, 0.6, 0.15, 0.3, 2.8, 0.2, 1.6),
    (10, 26, 0.3, 0.6, 0.05, 0.2, 2.9, 0.25, 1.3),
    (11, 27, 0.4, 0.5, 0.05, 0.1, None, 0.12, 1.7),
    (12, 8, 0.2, 0.8, 0.1, 0.3, 3.0, 0.15, 1.1),
    (13, 9, 0.3, 0.5, 1.5, 0.6, 3.1, 0.16, 1.3),
]


def test_twenty_variants_numbered_in_order():
    assert [r["variant"] for r in ROWS] == list(range(1, 21))


def test_header_notes_cite_the_source_and_each_garbled_cell():
    notes = " ".join(variant_table_notes(TABLE))
    assert "Table 5.1 of 004" in notes and "2832" in notes
    assert "variant 1" in notes and "variant 11" in notes
    assert "left empty rather than guessed" in notes


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"variant {r['variant']}")
def test_types_and_physical_ranges(row):
    assert isinstance(row["ore_thickness_m"], int | float) and 0 < row["ore_thickness_m"] <= 50
    for col in THICKNESS_COLUMNS:
        value = row[col]
        assert isinstance(value, int | float), (col, value)
        assert 0 <= value <= 2.0, (col, value)
        if col.endswith("lost_ore_thickness_m"):
            assert 2 * value < row["ore_thickness_m"], (col, value)
    for col in GRADE_COLUMNS:
        value = row[col]
        if (row["variant"], col) in EMPTY_CELLS:
            assert value is None
            assert col in row["note"]
            continue
        assert isinstance(value, int | float), (col, value)
        assert 0 <= value <= 100, (col, value)
    if row["balance_grade_pct"] is not None:
        assert row["rock_grade_pct"] < row["balance_grade_pct"]
    assert row["note"], "every row of Table 5.1 says where its scheme cells come from"


@pytest.mark.parametrize("printed", PRINTED_IN_FULL, ids=lambda p: f"variant {p[0]}")
def test_rows_printed_in_full(printed):
    row = variant_row(TABLE, printed[0])
    cols = ["ore_thickness_m", *THICKNESS_COLUMNS, *GRADE_COLUMNS]
    assert_allclose([row[c] for c in cols], printed[1:], atol=CELL_TOL)


@pytest.mark.parametrize("printed", PRINTED_TWO_PAIRS, ids=lambda p: f"variant {p[0]}")
def test_rows_printing_two_pairs(printed):
    variant, m_r, a_lost, a_rock, c_lost, c_rock, c_b, c_r, c_p = printed
    row = variant_row(TABLE, variant)
    assert_allclose(row["ore_thickness_m"], m_r, atol=CELL_TOL)
    assert_allclose(
        [
            row["a_lost_ore_thickness_m"],
            row["a_diluting_rock_thickness_m"],
            row["c_lost_ore_thickness_m"],
            row["c_diluting_rock_thickness_m"],
        ],
        [a_lost, a_rock, c_lost, c_rock],
        atol=CELL_TOL,
    )
    for col, value in zip(GRADE_COLUMNS, (c_b, c_r, c_p), strict=True):
        if value is None:
            assert row[col] is None
        else:
            assert_allclose(row[col], value, atol=CELL_TOL)


@pytest.mark.parametrize(
    ("variants", "column_values"),
    [
        # scheme Б 0,2/0,5 merged over variants 1-7, printed once in row 7
        (range(1, 8), {"b_lost_ore_thickness_m": 0.2, "b_diluting_rock_thickness_m": 0.5}),
        # scheme А 0,3/0,8 merged over variants 5-7
        (range(5, 8), {"a_lost_ore_thickness_m": 0.3, "a_diluting_rock_thickness_m": 0.8}),
        # scheme Б 0,1/0,2 merged over variants 8-14, printed once in row 14
        (range(8, 15), {"b_lost_ore_thickness_m": 0.1, "b_diluting_rock_thickness_m": 0.2}),
        # everything but m_р and C_б merged over variants 15-20, printed once in row 20
        (range(15, 21), {"a_diluting_rock_thickness_m": 1.6, "rock_grade_pct": 0.3}),
        (range(15, 21), {"lost_ore_grade_pct": 1.0, "c_lost_ore_thickness_m": 0.2}),
    ],
)
def test_merged_cells_are_shared_by_their_rows(variants, column_values):
    for v in variants:
        row = variant_row(TABLE, v)
        for col, value in column_values.items():
            assert_allclose(row[col], value, atol=CELL_TOL, err_msg=f"variant {v} {col}")
        assert "merged" in row["note"] or "printed" in row["note"]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"variant {r['variant']}")
def test_every_variant_runs_or_names_the_missing_field(row):
    empty = [col for (v, col) in EMPTY_CELLS if v == row["variant"]]
    if empty:
        with pytest.raises(
            VariantUnavailableError, match=rf"variant {row['variant']} .*{empty[0]}"
        ):
            LOSSES_DILUTION.from_variant(row)
        return
    _, results = LOSSES_DILUTION.run(LOSSES_DILUTION.from_variant(row))
    (choice,) = [q for q in results if q.symbol == "схема"]
    assert choice.value in {"А", "Б", "В"}
