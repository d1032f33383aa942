"""Packaged tables: the variant tables of 004 and the equipment catalogue.

Variant tables live in ``data/variants/table_<N>_<M>.csv`` (``table_1_2.csv`` is Table 1.2
of 004). Lines starting with ``#`` carry the source and the notes on cells the extraction
garbled; the header row names the columns with their unit (``pit_depth_m``); the first
column is ``variant``; an empty cell is a value the source does not give legibly (the
``note`` column of that row says what it prints). Numbers use a decimal point.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["read_variant_table", "variant_row", "variant_table_notes"]


def _table_text(table: str) -> str:
    fname = f"table_{table.replace('.', '_')}.csv"
    ref = resources.files("postmine.data").joinpath("variants", fname)
    if not ref.is_file():
        raise ValueError(f"variant table {table!r} is not shipped (looked for {fname})")
    return ref.read_text(encoding="utf-8")


def _convert(cell: str) -> Any:
    cell = cell.strip()
    if cell == "":
        return None
    try:
        return int(cell)
    except ValueError:
        pass
    try:
        return float(cell)
    except ValueError:
        return cell


@cache
def _read(table: str) -> tuple[tuple[dict[str, Any], ...], tuple[str, ...]]:
    lines = _table_text(table).splitlines()
    notes = tuple(line.lstrip("#").strip() for line in lines if line.startswith("#"))
    body = [line for line in lines if line.strip() and not line.startswith("#")]
    rows = tuple(
        {key: _convert(value or "") for key, value in row.items()} for row in csv.DictReader(body)
    )
    return rows, notes


def read_variant_table(table: str) -> list[dict[str, Any]]:
    """Return all rows of 004 variant table ``table`` (e.g. ``"1.2"``) as dicts.

    Empty cells are ``None``; numbers are ``int`` or ``float``; other cells stay strings.

    Raises
    ------
    ValueError
        If the table is not shipped.
    """
    rows, _ = _read(table)
    return [dict(r) for r in rows]


def variant_table_notes(table: str) -> list[str]:
    """Return the ``#`` header lines (source and notes) of variant table ``table``."""
    return list(_read(table)[1])


def variant_row(table: str, variant: int) -> dict[str, Any]:
    """Return row ``variant`` of 004 variant table ``table``.

    Raises
    ------
    ValueError
        If the table has no such variant; the message gives the allowed range.
    """
    rows = read_variant_table(table)
    for row in rows:
        if row.get("variant") == variant:
            return row
    numbers = [r["variant"] for r in rows if isinstance(r.get("variant"), int)]
    allowed = f"{min(numbers)}..{max(numbers)}" if numbers else "none"
    raise ValueError(f"variant must be in {allowed} for Table {table} of 004, got {variant}")
