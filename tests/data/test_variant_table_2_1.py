"""Table 2.1 of 004 (practical work 2) as shipped in data/variants/table_2_1.csv."""

import pytest
from numpy.testing import assert_allclose

from postmine.calc import get
from postmine.calc.base import VariantUnavailableError
from postmine.data import read_variant_table, variant_row, variant_table_notes

TABLE = "2.1"
ROWS = read_variant_table(TABLE)

# column -> (low, high) physical range, inclusive
RANGES = {
    "front_advance_rate_m_per_year": (1.0, 500.0),
    "front_length_m": (10.0, 10_000.0),
    "ph_undisturbed": (0.0, 14.0),
    "ph_disturbed": (0.0, 14.0),
    "humus_undisturbed_pct": (0.0, 100.0),
    "humus_disturbed_pct": (0.0, 100.0),
    "humus_depth_undisturbed_cm": (1.0, 200.0),
    "humus_depth_disturbed_cm": (1.0, 200.0),
    "nitrogen_undisturbed_pct": (0.0, 100.0),
    "nitrogen_disturbed_pct": (0.0, 100.0),
    "phosphorus_undisturbed_pct": (0.0, 100.0),
    "phosphorus_disturbed_pct": (0.0, 100.0),
    "potassium_undisturbed_pct": (0.0, 100.0),
    "potassium_disturbed_pct": (0.0, 100.0),
    "topsoil_thickness_m": (0.05, 2.0),
}


def test_row_count_and_columns():
    assert [r["variant"] for r in ROWS] == list(range(1, 22))
    assert set(ROWS[0]) == {"variant", "note", *RANGES}


def test_notes_cite_the_source_and_the_topsoil_column():
    notes = " ".join(variant_table_notes(TABLE))
    assert "Table 2.1 of 004" in notes and "lines 745-865" in notes
    assert "Table 1.2" in notes  # m_п is not in Table 2.1


@pytest.mark.parametrize("column", sorted(RANGES))
def test_every_cell_is_a_number_in_range(column):
    low, high = RANGES[column]
    for row in ROWS:
        value = row[column]
        assert isinstance(value, int | float), (row["variant"], column, value)
        assert low <= value <= high, (row["variant"], column, value)


def test_disturbed_soil_is_never_better_than_undisturbed():
    # The method measures a worsening; every printed pair is (before >= after).
    for row in ROWS:
        for key in ("ph", "humus", "humus_depth", "nitrogen", "phosphorus", "potassium"):
            unit = {"ph": "", "humus_depth": "_cm"}.get(key, "_pct")
            before, after = row[f"{key}_undisturbed{unit}"], row[f"{key}_disturbed{unit}"]
            assert after <= before, (row["variant"], key)


# Spot checks against the printed table (lines 762-865 of the seed) and Table 1.2's m_п.
PRINTED = [
    # variant, v_вп, L_фот, pH before/after, G before/after, L before/after, m_п
    (1, 50, 640, 7.0, 4.5, 9.0, 3.4, 40, 20, 0.5),
    (12, 112, 1100, 6.8, 4.9, 9.0, 5.0, 20, 15, 0.4),
    (17, 85, 950, 7.0, 3.0, 7.5, 6.0, 25, 10, 0.1),
    (21, 60, 650, 5.4, 3.2, 9.0, 5.5, 30, 15, 0.6),
]


@pytest.mark.parametrize(
    ("variant", "v", "length", "ph0", "ph", "g0", "g", "l0", "l1", "m"), PRINTED
)
def test_printed_values(variant, v, length, ph0, ph, g0, g, l0, l1, m):
    row = variant_row(TABLE, variant)
    got = [
        row["front_advance_rate_m_per_year"],
        row["front_length_m"],
        row["ph_undisturbed"],
        row["ph_disturbed"],
        row["humus_undisturbed_pct"],
        row["humus_disturbed_pct"],
        row["humus_depth_undisturbed_cm"],
        row["humus_depth_disturbed_cm"],
        row["topsoil_thickness_m"],
    ]
    assert_allclose(got, [v, length, ph0, ph, g0, g, l0, l1, m], rtol=0, atol=1e-12)


@pytest.mark.parametrize("variant", [r["variant"] for r in ROWS])
def test_every_variant_runs_or_names_the_missing_field(variant):
    calc = get("soil-damage")
    assert calc.variant_table == TABLE and calc.from_variant is not None
    try:
        inputs = calc.from_variant(variant_row(TABLE, variant))
    except VariantUnavailableError as exc:  # no cell of Table 2.1 is garbled, but keep the rule
        assert f"variant {variant}" in str(exc)
        return
    _, results = calc.run(inputs)
    assert results


def test_missing_variant_is_a_clear_error():
    with pytest.raises(
        ValueError, match=r"variant must be in 1\.\.21 for Table 2\.1 of 004, got 22"
    ):
        variant_row(TABLE, 22)
