"""Import and export of statistics: CSV and Excel tables in the long format.

The format of ``postmine/data/statistics/*.csv``: one value per row, identified by
(dataset, region, year, indicator). The hazardous-waste statistics of document 002 (Tables
1 and 2) ship as a sample (:func:`sample_statistics_files`) and go through the very path of
a user's file. Statistics are no site's record: :func:`import_statistics` reads, checks and
writes the rows of one file, and the registry's write verb
:func:`postmine.registry.actions.import_statistics` calls it and records the batch in the
ledger (one registry-wide ``statistics-imported`` entry) in the same transaction;
:func:`postmine.registry.actions.import_sample_statistics` does so for the sample.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from postmine.db import RecordValueError
from postmine.registry.io.cells import BadCell, max_length_of, parse_float, parse_int, parse_text
from postmine.registry.io.errors import (
    FieldProblem,
    ImportReport,
    RegistryImportError,
    RowHook,
    RowProblem,
)
from postmine.registry.io.tables import (
    CHUNK,
    Table,
    check_columns,
    file_sha256,
    read_table,
    table_suffix,
    write_table,
)
from postmine.registry.statistics_model import STATISTICS_KEY, Statistic

__all__ = [
    "SAMPLE_STATISTICS",
    "STATISTICS_FIELDS",
    "export_statistics",
    "import_statistics",
    "sample_statistics_files",
    "sample_statistics_paths",
]

STATISTICS_FIELDS: tuple[str, ...] = (
    "dataset",
    "region",
    "year",
    "indicator",
    "name",
    "value",
    "unit",
)
"""Columns of a statistics table, all required (the long format of the shipped 002 tables);
an optional ``source`` column gives each row's source."""

SAMPLE_STATISTICS: tuple[str, ...] = (
    "kz_hazardous_waste_generation_002_table_1.csv",
    "kz_hazardous_waste_stock_002_table_2.csv",
)
"""The shipped sample: 002 Table 1 (hazardous waste generated in Kazakhstan by year and
hazard level) and Table 2 (hazardous waste held at enterprises by region and year)."""


def import_statistics(
    session: Session,
    path: str | Path,
    *,
    source: str | None = None,
    on_conflict: Literal["error", "replace"] = "error",
    _row_hook: RowHook | None = None,
) -> ImportReport:
    """Read, check and write the statistics of a CSV or Excel table, all or nothing.

    The row operation of :func:`postmine.registry.actions.import_statistics`, which records
    the batch in the ledger: call that one. The columns are :data:`STATISTICS_FIELDS`
    (``dataset, region, year, indicator, name, value, unit``), one value per row, like
    ``postmine/data/statistics/*.csv``; ``#`` comment lines are allowed. A row is
    identified by (dataset, region, year, indicator): the file may hold each at most once,
    and a statistic already in the registry is an error unless ``on_conflict="replace"``.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry; the rows are written in its transaction.
    path : str or Path
        The ``.csv`` or ``.xlsx`` file. [-]
    source : str, optional
        Source of every row; by default the file's ``source`` column, else its
        ``# Source: ...`` comment line, else the file name. [-]
    on_conflict : {"error", "replace"}
        What to do with a statistic already in the registry: refuse the import, or replace
        its name, value, unit and source.
    _row_hook : callable, optional
        Called with the number of rows written so far after each INSERT (tests).

    Returns
    -------
    ImportReport
        Rows inserted and replaced, their ids, the file's SHA-256.

    Raises
    ------
    RegistryImportError
        If the file cannot be read or any row is bad (row, field and value named);
        nothing is written.
    """
    path = Path(path)
    if on_conflict not in ("error", "replace"):
        raise ValueError(f"on_conflict must be 'error' or 'replace', got {on_conflict!r}")
    table = read_table(path)
    check_columns(path, table, STATISTICS_FIELDS)
    parsed, problems = _parse_statistics(path, table, source)
    existing = _existing_statistics(session, parsed)
    if on_conflict == "error":
        problems += _conflicts(parsed, existing)
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise RegistryImportError(path, problems)
    # write: every row checked, all in the caller's transaction
    ids_by_row, inserted, replaced = _write_statistics(session, parsed, existing, _row_hook)
    return ImportReport(
        path=str(path),
        records="statistics",
        sha256=file_sha256(path),
        inserted=inserted,
        replaced=replaced,
        ids=tuple(ids_by_row[n] for n, _ in parsed),
    )


Parsed = list[tuple[int, dict[str, Any]]]
"""Rows read and checked: (row number in the file, the values of its columns)."""


def _parse_statistics(
    path: Path, table: Table, source: str | None
) -> tuple[Parsed, list[RowProblem]]:
    """Read and check every row; a (dataset, region, year, indicator) may appear once."""
    default_source = source or _source_of(path, table.comments)
    lengths = {c: max_length_of(Statistic, c) for c in (*STATISTICS_KEY, "name", "unit", "source")}
    problems: list[RowProblem] = []
    parsed: Parsed = []
    first_row: dict[tuple[Any, ...], int] = {}
    for number, cells in table.rows:
        try:
            values = _statistic_values(cells, lengths, default_source, own=not source)
        except FieldProblem as bad:
            problems.append(RowProblem(number, bad.field, cells.get(bad.field), bad.message))
            continue
        key = _key(values)
        if key in first_row:
            problems.append(
                RowProblem(
                    number,
                    "indicator",
                    values["indicator"],
                    f"{_key_text(key)} appears twice in the file (first in row {first_row[key]})",
                )
            )
            continue
        first_row[key] = number
        parsed.append((number, values))
    return parsed, problems


def _statistic_values(
    cells: dict[str, Any], lengths: dict[str, int | None], default_source: str, *, own: bool
) -> dict[str, Any]:
    """Return a row's values, checked by the schema.

    The source is the row's ``source`` cell if ``own`` (no source given to the import) and
    the cell is filled, else ``default_source``.
    """
    values: dict[str, Any] = {}
    current = ""
    try:
        for current in STATISTICS_FIELDS:
            raw = cells.get(current)
            if current == "year":
                values[current] = parse_int(current, raw, required=True)
            elif current == "value":
                values[current] = parse_float(current, raw, required=True)
            else:
                values[current] = parse_text(
                    current, raw, required=True, max_length=lengths[current]
                )
        current = "source"
        row_source = cells.get("source") if own else None
        values["source"] = parse_text(
            "source", row_source or default_source, required=True, max_length=lengths["source"]
        )
    except BadCell as exc:
        raise FieldProblem(current, str(exc)) from None
    try:
        Statistic(**values)  # the schema's checks (year range, finite value)
    except RecordValueError as exc:
        raise FieldProblem(exc.field, str(exc)) from None
    return values


def _existing_statistics(session: Session, parsed: Parsed) -> dict[tuple[Any, ...], int]:
    """Return the ids of the statistics already stored, by (dataset, region, year, indicator)."""
    existing: dict[tuple[Any, ...], int] = {}
    datasets = sorted({v["dataset"] for _, v in parsed})
    for start in range(0, len(datasets), CHUNK):
        stmt = select(Statistic.id, *(getattr(Statistic, k) for k in STATISTICS_KEY)).where(
            Statistic.dataset.in_(datasets[start : start + CHUNK])
        )
        for found in session.execute(stmt):
            existing[tuple(found[1:])] = int(found[0])
    return existing


def _conflicts(parsed: Parsed, existing: dict[tuple[Any, ...], int]) -> list[RowProblem]:
    """Name each row whose statistic is already in the registry."""
    problems = []
    for number, values in parsed:
        key = _key(values)
        if key in existing:
            problems.append(
                RowProblem(
                    number,
                    "indicator",
                    values["indicator"],
                    f"{_key_text(key)} is already in the registry (statistic "
                    f"{existing[key]}); import with on_conflict='replace' to replace it",
                )
            )
    return problems


def _write_statistics(
    session: Session,
    parsed: Parsed,
    existing: dict[tuple[Any, ...], int],
    row_hook: RowHook | None,
) -> tuple[dict[int, int], int, int]:
    """Insert the new rows and update the stored ones, in chunks.

    Returns the id written for each row number, and the numbers of rows inserted and
    replaced.
    """
    now = datetime.now(UTC)
    new = [(n, {**v, "imported_at": now}) for n, v in parsed if _key(v) not in existing]
    old = [(n, v) for n, v in parsed if _key(v) in existing]
    ids_by_row: dict[int, int] = {}
    written = 0
    stmt_insert = insert(Statistic).returning(Statistic.id, sort_by_parameter_order=True)
    for start in range(0, len(new), CHUNK):
        chunk = new[start : start + CHUNK]
        ids = session.scalars(stmt_insert, [v for _, v in chunk]).all()
        ids_by_row.update({n: i for (n, _), i in zip(chunk, ids, strict=True)})
        written += len(chunk)
        if row_hook is not None:
            row_hook(written)
    for start in range(0, len(old), CHUNK):
        chunk = old[start : start + CHUNK]
        session.execute(
            update(Statistic), [_replacement(existing[_key(v)], v, now) for _, v in chunk]
        )
        ids_by_row.update({n: existing[_key(v)] for n, v in chunk})
        written += len(chunk)
        if row_hook is not None:
            row_hook(written)
    session.flush()
    for instance in list(session.identity_map.values()):
        if isinstance(instance, Statistic):  # loaded rows an UPDATE above may have changed
            session.expire(instance)
    return ids_by_row, len(new), len(old)


def _replacement(statistic_id: int, values: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Return the UPDATE parameters replacing a stored statistic's name, value, unit, source."""
    return {
        "id": statistic_id,
        "name": values["name"],
        "value": values["value"],
        "unit": values["unit"],
        "source": values["source"],
        "imported_at": now,
    }


def _source_of(path: Path, comments: Sequence[str]) -> str:
    """Return the ``# Source: ...`` comment of a table, else the file's name."""
    for line in comments:
        text = line.strip()
        if text.lower().startswith("source:"):
            return text[len("source:") :].strip()
    return path.name


def _key(values: Mapping[str, Any]) -> tuple[Any, ...]:
    """Return a row's (dataset, region, year, indicator)."""
    return tuple(values[k] for k in STATISTICS_KEY)


def _key_text(key: tuple[Any, ...]) -> str:
    """Name a (dataset, region, year, indicator) in a message."""
    return ", ".join(f"{k}={v!r}" for k, v in zip(STATISTICS_KEY, key, strict=True))


def sample_statistics_paths() -> list[Path]:
    """Return the paths of the shipped sample statistics (:data:`SAMPLE_STATISTICS`)."""
    base = resources.files("postmine.data").joinpath("statistics")
    return [Path(str(base.joinpath(name))) for name in SAMPLE_STATISTICS]


@contextmanager
def sample_statistics_files() -> Iterator[list[Path]]:
    """Open the shipped sample statistics (:data:`SAMPLE_STATISTICS`) as files on disk.

    Yields
    ------
    list of Path
        The CSV files, Table 1 first, readable until the ``with`` block ends (extracted to
        a temporary file if the package is not installed as files). [-]

    Examples
    --------
    >>> with sample_statistics_files() as paths:
    ...     [p.name for p in paths] == list(SAMPLE_STATISTICS)
    True
    """
    with ExitStack() as stack:
        base = resources.files("postmine.data").joinpath("statistics")
        yield [
            stack.enter_context(resources.as_file(base.joinpath(name)))
            for name in SAMPLE_STATISTICS
        ]


def export_statistics(
    session: Session,
    path: str | Path,
    *,
    dataset: str | None = None,
    region: str | None = None,
    indicator: str | None = None,
    year: int | None = None,
) -> int:
    """Write statistics to a CSV or Excel table in the long format (importable again).

    Columns: :data:`STATISTICS_FIELDS` and ``source``; rows ordered by dataset, region,
    year and indicator. A CSV file starts with one ``#`` comment line.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    path : str or Path
        ``.csv`` or ``.xlsx`` file to write (replaced if it exists). [-]
    dataset, region, indicator : str, optional
        Only rows of this dataset, region, indicator. [-]
    year : int, optional
        Only rows of this year. [year]

    Returns
    -------
    int
        Rows written.

    Raises
    ------
    ValueError
        If the suffix is not ``.csv`` or ``.xlsx``.
    """
    path = Path(path)
    table_suffix(path)
    stmt = select(Statistic)
    for column, value in (
        ("dataset", dataset),
        ("region", region),
        ("indicator", indicator),
        ("year", year),
    ):
        if value is not None:
            stmt = stmt.where(getattr(Statistic, column) == value)
    rows = sorted(session.scalars(stmt), key=lambda s: (s.dataset, s.region, s.year, s.indicator))
    columns = [*STATISTICS_FIELDS, "source"]
    data = [[getattr(s, c) for c in columns] for s in rows]
    write_table(path, columns, data, sheet="statistics", comment="statistics")
    return len(data)
