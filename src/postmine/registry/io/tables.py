"""Reading and writing the registry's tables: CSV (UTF-8, decimal point) and Excel (``.xlsx``).

Lines whose first field starts with ``#`` are comments (anywhere: before the header or
between rows); blank lines are skipped; the first other line is the header. Column names
are matched without regard to case.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import postmine
from postmine.registry.io.cells import is_blank
from postmine.registry.io.errors import RegistryImportError, RowProblem, import_error
from postmine.registry.records.documents import sha256_file

__all__ = [
    "CHUNK",
    "TABLE_SUFFIXES",
    "Table",
    "check_columns",
    "check_exists",
    "file_sha256",
    "read_table",
    "table_suffix",
    "write_table",
]

CHUNK = 500
"""Rows per INSERT (or per IN list) of a batch."""
TABLE_SUFFIXES = (".csv", ".xlsx")
"""Suffixes of the table formats."""


@dataclass
class Table:
    """A table read: its header, the rows by their number in the file, and comment lines."""

    header: list[str]
    header_row: int
    rows: list[tuple[int, dict[str, Any]]]
    comments: list[str]


def check_exists(path: Path) -> None:
    """Refuse a path that is not a file."""
    if not path.is_file():
        raise import_error(path, f"no such file: {path}")


def read_table(path: Path) -> Table:
    """Read a CSV or Excel table: header, rows with their numbers, and comment lines."""
    check_exists(path)
    suffix = path.suffix.lower()
    comments: list[str] = []
    if suffix == ".csv":
        lines = _csv_rows(path, comments)
    elif suffix == ".xlsx":
        lines = _xlsx_rows(path)
    else:
        raise import_error(
            path, f"a table must be .csv or .xlsx, got {path.suffix!r}", value=suffix
        )
    header: list[str] | None = None
    header_row = 0
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[RowProblem] = []
    for number, cells in lines:
        first = cells[0] if cells else None
        if isinstance(first, str) and first.lstrip().startswith("#"):
            comments.append(",".join("" if c is None else str(c) for c in cells).lstrip()[1:])
            continue
        if all(is_blank(c) for c in cells):
            continue
        if header is None:
            header = [str(c).strip().lower() if c is not None else "" for c in cells]
            header_row = number
            seen: set[str] = set()
            for name in header:
                if name in seen:
                    problems.append(RowProblem(number, name, name, "column appears twice"))
                seen.add(name)
            continue
        if len(cells) > len(header) and not all(is_blank(c) for c in cells[len(header) :]):
            problems.append(
                RowProblem(
                    number,
                    None,
                    None,
                    f"row has {len(cells)} cells, the header has {len(header)} columns",
                )
            )
            continue
        rows.append((number, {h: c for h, c in zip(header, cells, strict=False) if h}))
    if header is None:
        raise import_error(path, "the table has no header row")
    if problems:
        raise RegistryImportError(path, problems)
    return Table(header=header, header_row=header_row, rows=rows, comments=comments)


def _csv_rows(path: Path, comments: list[str]) -> Iterator[tuple[int, list[Any]]]:
    """Yield (line number of the row's first line, cells) of a CSV file.

    Comment lines (first non-blank character ``#``) never reach the CSV parser, so a quote
    in a comment cannot open a field; their text is appended to ``comments``.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise import_error(
            path, f"a CSV file must be UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    physical: list[int] = []

    def lines() -> Iterator[str]:
        for number, line in enumerate(StringIO(text, newline=""), start=1):
            if line.lstrip().startswith("#"):
                comments.append(line.lstrip()[1:].rstrip("\r\n"))
                continue
            physical.append(number)
            yield line

    reader = csv.reader(lines())
    consumed = 0
    try:
        for cells in reader:
            start = physical[consumed]
            consumed = reader.line_num
            yield start, [c if c.strip() else None for c in cells]
    except csv.Error as exc:
        raise import_error(path, f"CSV cannot be read: {exc}", row=physical[-1]) from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """Yield (sheet row number, cells) of the first sheet of an Excel workbook."""
    from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

    try:
        workbook = load_workbook(path, read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors
        raise import_error(path, f"not an Excel .xlsx workbook ({exc})") from None
    sheet = workbook.worksheets[0]
    for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        yield number, [c.strip() if isinstance(c, str) else c for c in cells]


def check_columns(path: Path, table: Table, required: Sequence[str]) -> None:
    """Refuse a table whose header lacks a required column (each one named)."""
    missing = [c for c in required if c not in table.header]
    if missing:
        raise RegistryImportError(
            path,
            [
                RowProblem(table.header_row, c, None, f"the header has no column {c!r}")
                for c in missing
            ],
        )


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file, hex."""
    return sha256_file(path)


def table_suffix(path: Path) -> str:
    """Return the suffix of a table file; refuse one that is not .csv or .xlsx."""
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise ValueError(f"path must end in .csv or .xlsx, got {path.name!r}")
    return suffix


def write_table(
    path: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, sheet: str, comment: str
) -> None:
    """Write a table as CSV (after one ``#`` comment line) or as an Excel sheet."""
    if table_suffix(path) == ".csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            f.write(
                f"# {comment} exported from the postmine registry (postmine "
                f"{postmine.__version__})\n"
            )
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(columns)
            for row in rows:
                writer.writerow(["" if v is None else _csv_cell(v) for v in row])
        return
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(list(columns))
    for row in rows:
        ws.append([_xlsx_cell(v) for v in row])
    workbook.save(path)


def _csv_cell(value: Any) -> Any:
    """Write a value into a CSV cell (dates ISO, dicts as JSON, floats exactly)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, float):
        return repr(value)
    return value


def _xlsx_cell(value: Any) -> Any:
    """Write a value into an Excel cell (dicts as JSON)."""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None
    return value
