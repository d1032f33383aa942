"""Contract of the table of quantities (``data/quantities/*.toml``, one file per method family).

Every row is complete and its key unique and carrying its unit (STYLE.md: ``volume_m3``,
``area_ha``); every quantity a converted ``postmine calc`` method prints and every column a
converted plan table shows has a row. Families not yet converted to the table are listed in
the allow-lists below; the lists must only shrink (a listed family that is found converted
fails, so that it is taken off the list).
"""

import json
import re
import string
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from postmine.calc import registry as calculations
from postmine.calc.base import VariantUnavailableError
from postmine.data import read_variant_table
from postmine.data.quantities import QuantityInfo, all_quantities, quantity

FIELDS = ("symbol", "unit", "en", "ru", "source")
FOLDER = resources.files("postmine.data").joinpath("quantities")
GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "outputs"

# `postmine calc` methods whose rows are still typed in their module, not taken from the table
# (Quantity.of): 004 PR1, being moved into chains/ (issue 17); and the 003 machine chain,
# whose rows come from data/quantities/machines.toml with the bare symbol, the calculator
# appending the machine, stream or pair ("V_п[SDLG L975F]") that 003's labels do not name.
CALC_NOT_CONVERTED = {
    "dozer-fleet",
    "loader-fleet",
    "pit-land-allotment",
    "truck-fleet",
}

# Plan tables whose column keys (and, for parameter tables, whose rows' ``quantity``) are not
# all declared in the table yet: 004 PR1's dump, being moved into chains/ (issue 17); and the
# 003 tables whose golden keys lack the "/year" of their unit (mass_thousand_t in thousand
# t/year, working_days in day/year), which the key rule cannot declare without renaming them.
PLAN_TABLES_NOT_CONVERTED = {
    "dozer_fleet",
    "dump_shapes",
    "dump_stability",
    "dust_zone",
    "filling_time",
    "land_allotment",
    "loader_fleet",
    "loader_output",
    "machine_utilisation",
    "reclamation_calendar",
    "reclamation_outputs",
    "slope_flattening",
    "topsoil_store",
    "truck_fleet",
    "waste_volumes",
}

# Columns that name or describe a row rather than hold a quantity.
DESCRIPTORS = {
    "activity", "chosen", "count", "equipment", "fleet_exclusion_reason", "hazard_class",
    "indicator", "name", "parameter", "quantity", "required", "scheme", "shape", "slope", "stable", "stream",
    "symbol", "truck", "unit", "value", "work", "year", "by_project_fleet", "within_limit",
    "first_year", "last_year",
}  # fmt: skip

# How a unit is spelled in a key (STYLE.md): every part of the unit is a word of the key
# (m³/shift -> ..._m3_shift), these spelled as given, a time unit also in the plural.
UNIT_PARTS = {"%": "percent", "m³": "m3", "m²": "m2", "°": "deg"}


def toml_files():
    return sorted((ref for ref in FOLDER.iterdir() if ref.name.endswith(".toml")), key=str)


def raw_rows():
    for ref in toml_files():
        for key, row in tomllib.loads(ref.read_text(encoding="utf-8")).items():
            yield ref.name, key, row


def placeholders(text):
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def matches(info: QuantityInfo, symbol: str, name: str, unit: str) -> bool:
    """Whether a printed (symbol, name, unit) is the row, its placeholders filled in."""

    def pattern(template):
        parts = re.split(r"\{\w+\}", template)
        return re.compile("^" + "(.+)".join(re.escape(p) for p in parts) + "$")

    return (
        info.unit == unit
        and pattern(info.symbol).match(symbol) is not None
        and pattern(info.en).match(name) is not None
    )


def test_every_row_is_complete():
    rows = list(raw_rows())
    assert rows
    for file, key, row in rows:
        assert isinstance(row, dict), (file, key)
        assert set(row) == set(FIELDS), (file, key)
        assert all(isinstance(row[f], str) for f in FIELDS), (file, key)
        for field in ("en", "ru", "source"):
            assert row[field].strip(), f"{file} [{key}] has an empty {field}"
        assert re.fullmatch(r"[a-z][a-z0-9_]*", key), f"{file}: key {key!r} is not snake_case"


def test_keys_are_unique_across_files():
    seen = {}
    for file, key, _ in raw_rows():
        assert key not in seen, f"{key} is declared in {seen[key]} and in {file}"
        seen[key] = file
    assert set(seen) == set(all_quantities())


def test_keys_carry_their_unit():
    for file, key, row in raw_rows():
        unit = row["unit"]
        for token, spelled in UNIT_PARTS.items():
            unit = unit.replace(token, f" {spelled} ")
        words = set(key.split("_"))
        for part in (p for p in re.split(r"[\s/·()]+", unit) if p):
            assert {part, part + "s"} & words, (
                f"{file} [{key}]: the key lacks its unit {row['unit']!r}"
            )


def test_placeholders_of_the_symbol_are_in_the_labels():
    for file, key, row in raw_rows():
        in_labels = placeholders(row["en"]) | placeholders(row["ru"])
        assert placeholders(row["symbol"]) <= in_labels, (file, key)
        assert bool(placeholders(row["en"])) == bool(placeholders(row["ru"])), (file, key)


def test_quantity_refuses_an_unknown_key():
    with pytest.raises(ValueError, match="quantity 'no_such_m' is not declared"):
        quantity("no_such_m")
    with pytest.raises(ValueError, match="lang must be one of: en, ru; got 'de'"):
        quantity("slide_prism_width_m").label("de")
    assert quantity("slide_prism_width_m").label("ru") == "ширина призмы обрушения"


def printed_quantities(calculation):
    """Every Quantity the method prints for its examples and its variant rows."""
    inputs = [make() for make in calculation.examples.values()]
    if calculation.variant_table is not None and calculation.from_variant is not None:
        for row in read_variant_table(calculation.variant_table):
            try:
                inputs.append(calculation.from_variant(row))
            except VariantUnavailableError:
                continue
    for given in inputs:
        try:
            _, results = calculation.run(given)
        except ValueError:
            continue
        yield from results


def unmatched(calculation):
    table = list(all_quantities().values())
    return {
        (q.symbol, q.name, q.unit)
        for q in printed_quantities(calculation)
        if not any(matches(info, q.symbol, q.name, q.unit) for info in table)
    }


@pytest.mark.parametrize("name", sorted(calculations()))
def test_every_printed_quantity_has_a_row(name):
    missing = unmatched(calculations()[name])
    if name in CALC_NOT_CONVERTED:
        assert missing, f"{name} is converted: take it off CALC_NOT_CONVERTED"
    else:
        assert not missing, f"{name} prints quantities the table lacks: {sorted(missing)}"


def plan_tables():
    for path in sorted(GOLDEN.glob("plan-*.json")):
        for table in json.loads(path.read_text(encoding="utf-8"))["tables"]:
            yield path.stem, table


def undeclared_columns(table):
    declared = all_quantities()
    keys = {c["key"] for c in table["columns"]} - DESCRIPTORS
    keys |= {row["quantity"] for row in table["rows"] if row.get("quantity")}
    # a tier's column (tier+650_placed_volume_thousand_m3) and an item's row (x_m3[Tailings])
    # are the quantity's
    bare = {k: re.sub(r"\[.*\]$", "", re.sub(r"^tier[+-]?\d+_", "", k)) for k in keys}
    return {k for k in keys if bare[k] not in declared}


def test_every_plan_column_has_a_row():
    tables = list(plan_tables())
    assert tables
    for plan, table in tables:
        missing = undeclared_columns(table)
        if table["key"] in PLAN_TABLES_NOT_CONVERTED:
            assert missing, f"{table['key']} is converted: take it off PLAN_TABLES_NOT_CONVERTED"
        else:
            assert not missing, f"{plan}: {table['key']} shows columns the table lacks: {missing}"


def test_every_activity_of_the_plans_has_a_label():
    activities = set()
    for path in sorted(GOLDEN.glob("plan-*.json")):
        plan = json.loads(path.read_text(encoding="utf-8"))
        activities |= set(plan.get("activity_years") or {})
        activities |= {line["activity"] for line in plan.get("work") or []}
    assert activities
    for activity in sorted(activities):
        info = quantity(f"activity_{activity.replace('-', '_')}")
        assert info.en and info.ru, activity
