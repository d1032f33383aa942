"""Contract of the table of quantities (``data/quantities/*.toml``, one file per method family).

Every row is complete and its key unique and carrying its unit, the time part of a rate
included (STYLE.md: ``volume_m3``, ``area_ha``, ``..._thousand_t_year``); every quantity a
``postmine calc`` method prints is a row (its placeholders filled in, an item index
``[...]`` appended to the symbol allowed); every column and parameter row of a plan table is
labelled by a row: its heading is the row's name, capitalised, followed by the symbol (in
Russian with or without "_"), and its unit is the row's. A column's JSON key is the plan's
own and may name another row (``project.model.quantity_column(key, quantity=...)``), so the
check is on what a reader sees: heading, symbol and unit.
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

# The columns of a parameter table (a row per quantity: its name, symbol, value, unit, key);
# its rows are checked instead.
PARAMETER_TABLE_COLUMNS = {"parameter", "symbol", "value", "unit", "quantity"}

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


def filled(template, *, indexed=False):
    """Pattern of ``template`` with its placeholders filled in and, if ``indexed``, an item
    index appended (the item index rule: ``V_п`` -> ``V_п[SDLG L975F]``)."""
    parts = re.split(r"\{\w+\}", template)
    index = r"(\[[^\[\]]+\])?" if indexed else ""
    return re.compile("^" + "(.+)".join(re.escape(p) for p in parts) + index + "$")


def matches(info: QuantityInfo, symbol: str, name: str, unit: str) -> bool:
    """Whether a printed (symbol, name, unit) is the row, its placeholders filled in."""

    return (
        info.unit == unit
        and filled(info.symbol, indexed=bool(info.symbol)).match(symbol) is not None
        and filled(info.en).match(name) is not None
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
    assert not missing, f"{name} prints quantities the table lacks: {sorted(missing)}"


def plan_tables():
    for path in sorted(GOLDEN.glob("plan-*.json")):
        for table in json.loads(path.read_text(encoding="utf-8"))["tables"]:
            yield path.stem, table


def headings(info):
    """Patterns of the headings a table derives from ``info`` (project.model.quantity_text):
    the capitalised name, followed by the symbol if any, in Russian with or without "_"."""
    en, ru = capitalised(info.en), capitalised(info.ru)
    if not info.symbol:
        return [(filled(en), filled(ru))]
    flat = info.symbol.replace("_", "")
    return [
        (filled(f"{en} {info.symbol}"), filled(f"{ru} {symbol}")) for symbol in (info.symbol, flat)
    ]


def capitalised(label):
    return label[:1].upper() + label[1:]


def labels_column(info, column):
    return info.unit == column["unit"] and any(
        en.match(column["label"]["en"]) and ru.match(column["label"]["ru"])
        for en, ru in headings(info)
    )


def labels_parameter(info, row):
    return (
        info.unit == row["unit"]
        and filled(info.symbol, indexed=bool(info.symbol)).match(row["symbol"]) is not None
        and filled(capitalised(info.en)).match(row["parameter"]["en"]) is not None
        and filled(capitalised(info.ru)).match(row["parameter"]["ru"]) is not None
    )


def unlabelled(table):
    """Columns (and parameter rows) of a plan table that no row of the table of quantities
    labels: its heading, symbol and unit are not those of any declared quantity."""
    declared = list(all_quantities().values())
    out = {
        c["key"]
        for c in table["columns"]
        if c["key"] not in PARAMETER_TABLE_COLUMNS
        and not any(labels_column(i, c) for i in declared)
    }
    if any(c["key"] == "parameter" for c in table["columns"]):
        out |= {
            row["quantity"]
            for row in table["rows"]
            if not any(labels_parameter(i, row) for i in declared)
        }
    return out


def test_every_plan_column_and_parameter_is_labelled_from_the_table():
    tables = list(plan_tables())
    assert tables
    for plan, table in tables:
        missing = unlabelled(table)
        assert not missing, f"{plan}: {table['key']} shows quantities the table lacks: {missing}"


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
