"""Import and export of the registry: objects of disturbance, TMF and statistics.

==========================  ===========================================  ==================
records                     file formats (chosen by the path's suffix)    functions
==========================  ===========================================  ==================
objects of disturbance      GeoJSON (``.geojson``, ``.json``),            :func:`import_objects`,
                            GeoPackage (``.gpkg``, needs ``pyogrio``)     :func:`export_objects`
TMF (document 002)          CSV (``.csv``), Excel (``.xlsx``)             :func:`import_tmf`,
                                                                          :func:`export_tmf`
statistics                  CSV, Excel, in the long format of             :func:`import_statistics`,
                            ``postmine/data/statistics/*.csv``            :func:`export_statistics`
==========================  ===========================================  ==================

The hazardous-waste statistics of document 002 (Tables 1 and 2) ship as a sample data set
and go through the very path of a user's file: :func:`import_sample_statistics` calls
:func:`import_statistics` on each shipped CSV.

All or nothing
--------------
Every import reads the whole file and checks every row before it writes anything: each
value is parsed, then checked against the column it fills (the same declaration of range
and allowed values as the schema, :mod:`postmine.registry.models`), references (site,
object) are looked up, duplicates are found. Any problem raises
:class:`RegistryImportError` (a :class:`ValueError`) naming the row, the field and the value
of the first problem (``.problems`` lists them all), and nothing is written. Only then are
the rows written, all in the caller's transaction, which commits them together or not at
all: :func:`postmine.db.session_scope` commits when its block ends and rolls back
on any exception, so a failure while writing, or a process killed during the import,
leaves no row of it behind (the database's own transaction does that; nothing is committed
before the last row). Give each import its own ``session_scope`` block.

CSV and Excel tables
--------------------
UTF-8 CSV with a decimal point, or the first sheet of an ``.xlsx`` workbook. Lines whose
first field starts with ``#`` are comments (anywhere: before the header or between rows);
blank lines are skipped; the first other line is the header. Column names are matched
without regard to case; columns the records do not have are ignored.

Row numbers
-----------
Problems name the row as the file numbers it: the line number of a CSV file (comments and
header counted, 1-based), the row number of the Excel sheet, the feature number (1-based, in
file order) of a GeoJSON file, the feature id (FID) of a GeoPackage.

The ledger
----------
Imports write with the row operations of :mod:`postmine.registry.records` (objects, TMF) or
this module (statistics, which are no site's record) and record no ledger entry themselves:
objects and TMF are imported through :func:`postmine.registry.actions.import_records`, which
records ONE entry per import batch, citing the file's SHA-256 and the ids written, both
returned in :class:`ImportReport`.

Examples
--------
>>> import tempfile
>>> from postmine import db
>>> from postmine.registry.stats import aggregate
>>> url = f"sqlite:///{tempfile.mkdtemp()}/registry.sqlite"
>>> _ = db.init_db(url)
>>> with db.session_scope(url) as session:
...     reports = import_sample_statistics(session)
>>> [r.inserted for r in reports]
[40, 85]
>>> with db.session_scope(url) as session:
...     rows = aggregate(session, ["year"], of="statistics",
...                      where={"dataset": "002-table-2", "year": 2015})
>>> rows[0]["value"], rows[0]["unit"]
(2877364.3, 'thousand t')
"""

from __future__ import annotations

import csv
import json
import math
import numbers
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import resources
from io import StringIO
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

import postmine
from postmine.core.extras import require
from postmine.db import SRID, Base, RecordValueError, from_wkb, to_wkb
from postmine.registry.records.documents import sha256_file
from postmine.registry.records.objects import insert_object
from postmine.registry.records.sites import get_site
from postmine.registry.records.tmf import insert_tmf
from postmine.registry.geometry import BaseGeometry, check_geometry, from_geojson, to_geojson
from postmine.registry.models import DisturbanceObject, ObjectStateChange, Site, Tmf
from postmine.registry.statistics_model import STATISTICS_KEY, Statistic

__all__ = [
    "OBJECT_EXPORT_FIELDS",
    "OBJECT_FIELDS",
    "SAMPLE_STATISTICS",
    "STATISTICS_FIELDS",
    "TMF_FIELDS",
    "ImportReport",
    "RegistryImportError",
    "RowProblem",
    "export_objects",
    "export_statistics",
    "export_tmf",
    "import_objects",
    "import_sample_statistics",
    "import_statistics",
    "import_tmf",
    "sample_statistics_paths",
]

OBJECT_FIELDS: tuple[str, ...] = (
    "kind",
    "name",
    "state",
    "state_on",
    "area_ha",
    "volume_m3",
    "reclamation_direction",
    "act_reference",
)
"""Feature properties :func:`import_objects` reads (the arguments of
:func:`~postmine.registry.records.objects.insert_object`); ``kind`` and ``name`` are required,
``area_ha`` only for a feature without a polygonal geometry; ``state`` is ``disturbed`` and
``state_on`` today unless given; ``act_reference`` is required for ``accepted``."""

OBJECT_EXPORT_FIELDS: tuple[str, ...] = ("id", "site_id", *OBJECT_FIELDS)
"""Feature properties :func:`export_objects` writes: the import fields with the object's and
its site's ids; ``state_on`` and ``act_reference`` are those of the current state."""

TMF_FIELDS: tuple[str, ...] = (
    "site_id",
    "object_id",
    "name",
    "tmf_class",
    "mass_t",
    "volume_m3",
    "hazard_class",
    "year",
    "composition",
    "valuable_components",
    "recorded_on",
)
"""Columns of a TMF table (the arguments of :func:`~postmine.registry.records.tmf.insert_tmf`).
Required: ``site_id`` (unless the import is given one), ``name``, ``tmf_class``, ``mass_t``,
``hazard_class`` (1..5 or I..V), ``year``. ``composition`` and ``valuable_components`` are
JSON objects, component -> mass fraction (``{"Fe": 0.32, "SiO2": 0.41}``)."""

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

_CHUNK = 500  # rows per INSERT of statistics
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}
_POLYGONAL = ("Polygon", "MultiPolygon")
_GEOJSON_SUFFIXES = (".geojson", ".json")
_TABLE_SUFFIXES = (".csv", ".xlsx")
_MAX_LISTED = 5

RowHook = Callable[[int], None]
"""Called with the number of rows written so far after each write (for tests)."""


# --- errors and reports ------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """One problem of an imported file: where (row, field), the value, and what is wrong.

    ``row`` is None for a problem of the whole file (its format, its header).
    """

    row: int | None
    field: str | None
    value: Any
    message: str

    def __str__(self) -> str:
        where = "file" if self.row is None else f"row {self.row}"
        if self.field is not None:
            where += f", field {self.field!r}"
        return f"{where}: {self.message}"


class RegistryImportError(ValueError):
    """An import refused: nothing of the file was written.

    ``row``, ``field`` and ``value`` are those of the first problem; ``problems`` lists
    every problem found; ``path`` is the file.
    """

    def __init__(self, path: str | Path, problems: Sequence[RowProblem]) -> None:
        if not problems:  # pragma: no cover - always called with a problem
            raise ValueError("RegistryImportError needs at least one problem")
        self.path = str(path)
        self.problems = list(problems)
        first = self.problems[0]
        self.row = first.row
        self.field = first.field
        self.value = first.value
        text = f"{Path(path).name}, {first}"
        more = self.problems[1:]
        if more:
            rows = sorted({p.row for p in more if p.row is not None})
            listed = ", ".join(str(r) for r in rows[:_MAX_LISTED])
            if len(rows) > _MAX_LISTED:
                listed += ", ..."
            text += f" (and {len(more)} more problem(s)" + (f" in rows {listed})" if rows else ")")
        super().__init__(text + "; nothing was imported")


def _fail(
    path: Path, message: str, *, row: int | None = None, field: str | None = None, value: Any = None
) -> RegistryImportError:
    return RegistryImportError(path, [RowProblem(row, field, value, message)])


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote: the file, its SHA-256, and the rows inserted or replaced.

    ``ids`` are the ids of the rows written (inserted and replaced), in file order.
    """

    path: str
    records: Literal["objects", "tmf", "statistics"]
    sha256: str
    inserted: int
    replaced: int = 0
    ids: tuple[int, ...] = field(default=(), repr=False)

    def __str__(self) -> str:
        text = f"{self.inserted} {self.records} row(s) from {Path(self.path).name}"
        if self.replaced:
            text += f", {self.replaced} replaced"
        return text

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "path": self.path,
            "records": self.records,
            "sha256": self.sha256,
            "inserted": self.inserted,
            "replaced": self.replaced,
            "ids": list(self.ids),
        }


# --- parsing cells ---------------------------------------------------------------------------


class _Bad(Exception):
    """A cell that cannot be read; the message names the field and the value."""


def _blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    return isinstance(raw, float) and math.isnan(raw)


def _text(name: str, raw: Any, *, required: bool, max_length: int | None = None) -> str | None:
    if _blank(raw):
        if required:
            raise _Bad(f"{name} is required")
        return None
    text = str(raw).strip()
    if max_length is not None and len(text) > max_length:
        raise _Bad(f"{name} must be at most {max_length} characters, got {len(text)}")
    return text


def _float(name: str, raw: Any, *, required: bool) -> float | None:
    if _blank(raw):
        if required:
            raise _Bad(f"{name} is required")
        return None
    if isinstance(raw, bool):
        raise _Bad(f"{name} must be a number, got {raw!r}")
    if isinstance(raw, numbers.Real):
        number = float(raw)
    else:
        try:
            number = float(str(raw).strip())
        except ValueError:
            raise _Bad(f"{name} must be a number (decimal point), got {raw!r}") from None
    if not math.isfinite(number):
        raise _Bad(f"{name} must be finite, got {raw!r}")
    return number


def _int(name: str, raw: Any, *, required: bool) -> int | None:
    number = _float(name, raw, required=required)
    if number is None:
        return None
    if number != int(number):
        raise _Bad(f"{name} must be a whole number, got {raw!r}")
    return int(number)


def _date(name: str, raw: Any, *, required: bool) -> date | None:
    if _blank(raw):
        if required:
            raise _Bad(f"{name} is required")
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if hasattr(raw, "dtype") and str(getattr(raw, "dtype", "")).startswith("datetime64"):
        return _date(name, str(raw)[:10], required=required)
    try:
        return date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise _Bad(f"{name} must be a date YYYY-MM-DD, got {raw!r}") from None


def _components(name: str, raw: Any) -> dict[str, float]:
    if _blank(raw):
        return {}
    if isinstance(raw, Mapping):
        return dict(raw)
    try:
        value = json.loads(str(raw))
    except json.JSONDecodeError:
        raise _Bad(
            f'{name} must be a JSON object of mass fractions like {{"Fe": 0.3}}, got {raw!r}'
        ) from None
    if not isinstance(value, dict):
        raise _Bad(f"{name} must be a JSON object of mass fractions, got {raw!r}")
    return value


def _hazard_class(name: str, raw: Any) -> int | None:
    if isinstance(raw, str) and raw.strip().upper() in _ROMAN:
        return _ROMAN[raw.strip().upper()]
    return _int(name, raw, required=True)


def _max_length(model: type[Base], column: str) -> int | None:
    length = getattr(model.__table__.columns[column].type, "length", None)
    return int(length) if length else None


# --- reading tables (CSV, Excel) -------------------------------------------------------------


@dataclass
class _Table:
    header: list[str]
    header_row: int
    rows: list[tuple[int, dict[str, Any]]]
    comments: list[str]


def _check_exists(path: Path) -> None:
    if not path.is_file():
        raise _fail(path, f"no such file: {path}")


def _read_table(path: Path) -> _Table:
    """Read a CSV or Excel table: header, rows with their numbers, and comment lines."""
    _check_exists(path)
    suffix = path.suffix.lower()
    comments: list[str] = []
    if suffix == ".csv":
        lines = _csv_rows(path, comments)
    elif suffix == ".xlsx":
        lines = _xlsx_rows(path)
    else:
        raise _fail(path, f"a table must be .csv or .xlsx, got {path.suffix!r}", value=suffix)
    header: list[str] | None = None
    header_row = 0
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[RowProblem] = []
    for number, cells in lines:
        first = cells[0] if cells else None
        if isinstance(first, str) and first.lstrip().startswith("#"):
            comments.append(",".join("" if c is None else str(c) for c in cells).lstrip()[1:])
            continue
        if all(_blank(c) for c in cells):
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
        if len(cells) > len(header) and not all(_blank(c) for c in cells[len(header) :]):
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
        raise _fail(path, "the table has no header row")
    if problems:
        raise RegistryImportError(path, problems)
    return _Table(header=header, header_row=header_row, rows=rows, comments=comments)


def _csv_rows(path: Path, comments: list[str]) -> Iterator[tuple[int, list[Any]]]:
    """Yield (line number of the row's first line, cells) of a CSV file.

    Comment lines (first non-blank character ``#``) never reach the CSV parser, so a quote
    in a comment cannot open a field; their text is appended to ``comments``.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(
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
        raise _fail(path, f"CSV cannot be read: {exc}", row=physical[-1]) from None


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """Yield (sheet row number, cells) of the first sheet of an Excel workbook."""
    from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

    try:
        workbook = load_workbook(path, read_only=False, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors
        raise _fail(path, f"not an Excel .xlsx workbook ({exc})") from None
    sheet = workbook.worksheets[0]
    for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        yield number, [c.strip() if isinstance(c, str) else c for c in cells]


def _check_columns(path: Path, table: _Table, required: Sequence[str]) -> None:
    missing = [c for c in required if c not in table.header]
    if missing:
        raise RegistryImportError(
            path,
            [
                RowProblem(table.header_row, c, None, f"the header has no column {c!r}")
                for c in missing
            ],
        )


def _sha256(path: Path) -> str:
    return sha256_file(path)


# --- statistics ------------------------------------------------------------------------------


def _source_of(path: Path, comments: Sequence[str]) -> str:
    for line in comments:
        text = line.strip()
        if text.lower().startswith("source:"):
            return text[len("source:") :].strip()
    return path.name


def import_statistics(
    session: Session,
    path: str | Path,
    *,
    source: str | None = None,
    on_conflict: Literal["error", "replace"] = "error",
    _row_hook: RowHook | None = None,
) -> ImportReport:
    """Import statistics from a CSV or Excel table in the long format, all or nothing.

    The columns are :data:`STATISTICS_FIELDS` (``dataset, region, year, indicator, name,
    value, unit``), one value per row, like ``postmine/data/statistics/*.csv``; ``#``
    comment lines are allowed. A row is identified by (dataset, region, year, indicator):
    the file may hold each at most once, and a statistic already in the registry is an
    error unless ``on_conflict="replace"``.

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
    table = _read_table(path)
    _check_columns(path, table, STATISTICS_FIELDS)
    default_source = source or _source_of(path, table.comments)
    lengths = {c: _max_length(Statistic, c) for c in (*STATISTICS_KEY, "name", "unit", "source")}
    problems: list[RowProblem] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    first_row: dict[tuple[Any, ...], int] = {}
    for number, cells in table.rows:
        values: dict[str, Any] = {}
        current = ""
        try:
            for current in STATISTICS_FIELDS:
                raw = cells.get(current)
                if current == "year":
                    values[current] = _int(current, raw, required=True)
                elif current == "value":
                    values[current] = _float(current, raw, required=True)
                else:
                    values[current] = _text(
                        current, raw, required=True, max_length=lengths[current]
                    )
            current = "source"
            row_source = None if source else cells.get("source")
            values["source"] = _text(
                "source", row_source or default_source, required=True, max_length=lengths["source"]
            )
        except _Bad as exc:
            problems.append(RowProblem(number, current, cells.get(current), str(exc)))
            continue
        try:
            Statistic(**values)  # the schema's checks (year range, finite value)
        except RecordValueError as exc:
            problems.append(RowProblem(number, exc.field, cells.get(exc.field), str(exc)))
            continue
        key = tuple(values[k] for k in STATISTICS_KEY)
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
    existing: dict[tuple[Any, ...], int] = {}
    datasets = sorted({v["dataset"] for _, v in parsed})
    for start in range(0, len(datasets), _CHUNK):
        stmt = select(Statistic.id, *(getattr(Statistic, k) for k in STATISTICS_KEY)).where(
            Statistic.dataset.in_(datasets[start : start + _CHUNK])
        )
        for found in session.execute(stmt):
            existing[tuple(found[1:])] = int(found[0])
    if on_conflict == "error":
        for number, values in parsed:
            key = tuple(values[k] for k in STATISTICS_KEY)
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
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise RegistryImportError(path, problems)

    # write: every row checked, all in the caller's transaction
    now = datetime.now(UTC)
    new = [(n, {**v, "imported_at": now}) for n, v in parsed if _key(v) not in existing]
    old = [(n, v) for n, v in parsed if _key(v) in existing]
    ids_by_row: dict[int, int] = {}
    written = 0
    stmt_insert = insert(Statistic).returning(Statistic.id, sort_by_parameter_order=True)
    for start in range(0, len(new), _CHUNK):
        chunk = new[start : start + _CHUNK]
        ids = session.scalars(stmt_insert, [v for _, v in chunk]).all()
        ids_by_row.update({n: i for (n, _), i in zip(chunk, ids, strict=True)})
        written += len(chunk)
        if _row_hook is not None:
            _row_hook(written)
    for start in range(0, len(old), _CHUNK):
        chunk = old[start : start + _CHUNK]
        session.execute(
            update(Statistic),
            [
                {
                    "id": existing[_key(v)],
                    "name": v["name"],
                    "value": v["value"],
                    "unit": v["unit"],
                    "source": v["source"],
                    "imported_at": now,
                }
                for _, v in chunk
            ],
        )
        ids_by_row.update({n: existing[_key(v)] for n, v in chunk})
        written += len(chunk)
        if _row_hook is not None:
            _row_hook(written)
    session.flush()
    for instance in list(session.identity_map.values()):
        if isinstance(instance, Statistic):  # loaded rows an UPDATE above may have changed
            session.expire(instance)
    return ImportReport(
        path=str(path),
        records="statistics",
        sha256=_sha256(path),
        inserted=len(new),
        replaced=len(old),
        ids=tuple(ids_by_row[n] for n, _ in parsed),
    )


def _key(values: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(values[k] for k in STATISTICS_KEY)


def _key_text(key: tuple[Any, ...]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in zip(STATISTICS_KEY, key, strict=True))


def sample_statistics_paths() -> list[Path]:
    """Return the paths of the shipped sample statistics (:data:`SAMPLE_STATISTICS`)."""
    base = resources.files("postmine.data").joinpath("statistics")
    return [Path(str(base.joinpath(name))) for name in SAMPLE_STATISTICS]


def import_sample_statistics(
    session: Session, *, on_conflict: Literal["error", "replace"] = "error"
) -> list[ImportReport]:
    """Import the shipped 002 Tables 1 and 2 through :func:`import_statistics`.

    Exactly the path a user's file takes: the shipped CSV files are read, checked and
    written by :func:`import_statistics`, their ``# Source:`` line becoming each row's
    source.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    on_conflict : {"error", "replace"}
        As for :func:`import_statistics` (``"replace"`` re-imports the sample).

    Returns
    -------
    list of ImportReport
        One report per file, Table 1 first.

    Raises
    ------
    RegistryImportError
        If the sample is already imported and ``on_conflict`` is ``"error"``.
    """
    reports = []
    with ExitStack() as stack:
        base = resources.files("postmine.data").joinpath("statistics")
        for name in SAMPLE_STATISTICS:
            path = stack.enter_context(resources.as_file(base.joinpath(name)))
            reports.append(import_statistics(session, path, on_conflict=on_conflict))
    return reports


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
    _table_suffix(path)
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
    _write_table(path, columns, data, sheet="statistics", comment="statistics")
    return len(data)


# --- writing tables --------------------------------------------------------------------------


def _table_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in _TABLE_SUFFIXES:
        raise ValueError(f"path must end in .csv or .xlsx, got {path.name!r}")
    return suffix


def _write_table(
    path: Path, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, sheet: str, comment: str
) -> None:
    if _table_suffix(path) == ".csv":
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
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, float):
        return repr(value)
    return value


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None
    return value


# --- TMF -------------------------------------------------------------------------------------


def import_tmf(
    session: Session,
    path: str | Path,
    *,
    site_id: int | None = None,
    _row_hook: RowHook | None = None,
) -> ImportReport:
    """Import technogenic mineral formations from a CSV or Excel table, all or nothing.

    The columns are :data:`TMF_FIELDS`; each row becomes one formation written by
    :func:`~postmine.registry.records.tmf.insert_tmf`. ``hazard_class`` may be given as 1..5
    or I..V; ``composition`` and ``valuable_components`` as JSON objects of mass fractions.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry; the rows are written in its transaction.
    path : str or Path
        The ``.csv`` or ``.xlsx`` file. [-]
    site_id : int, optional
        Site of every row whose ``site_id`` cell is empty (or of all rows, when the table
        has no ``site_id`` column). [-]
    _row_hook : callable, optional
        Called with the number of rows written so far after each row (tests).

    Returns
    -------
    ImportReport
        Rows inserted, their ids, the file's SHA-256.

    Raises
    ------
    RegistryImportError
        If the file cannot be read or any row is bad (a value out of range, an unknown
        site, an object of another site ...); nothing is written.
    """
    path = Path(path)
    table = _read_table(path)
    required = ["name", "tmf_class", "mass_t", "hazard_class", "year"]
    if site_id is None:
        required.insert(0, "site_id")
    _check_columns(path, table, required)
    name_length = _max_length(Tmf, "name")
    problems: list[RowProblem] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, cells in table.rows:
        current = ""
        try:
            current = "site_id"
            row_site = _int("site_id", cells.get("site_id"), required=site_id is None)
            current = "object_id"
            object_id = _int("object_id", cells.get("object_id"), required=False)
            current = "name"
            name = _text("name", cells.get("name"), required=True, max_length=name_length)
            current = "tmf_class"
            tmf_class = _text("tmf_class", cells.get("tmf_class"), required=True)
            current = "mass_t"
            mass_t = _float("mass_t", cells.get("mass_t"), required=True)
            current = "volume_m3"
            volume_m3 = _float("volume_m3", cells.get("volume_m3"), required=False)
            current = "hazard_class"
            hazard_class = _hazard_class("hazard_class", cells.get("hazard_class"))
            current = "year"
            year = _int("year", cells.get("year"), required=True)
            current = "composition"
            composition = _components("composition", cells.get("composition"))
            current = "valuable_components"
            valuable = _components("valuable_components", cells.get("valuable_components"))
            current = "recorded_on"
            recorded_on = _date("recorded_on", cells.get("recorded_on"), required=False)
        except _Bad as exc:
            problems.append(RowProblem(number, current, cells.get(current), str(exc)))
            continue
        values: dict[str, Any] = {
            "site_id": row_site if row_site is not None else site_id,
            "object_id": object_id,
            "name": name,
            "tmf_class": tmf_class,
            "mass_t": mass_t,
            "volume_m3": volume_m3,
            "hazard_class": hazard_class,
            "year": year,
            "composition": composition,
            "valuable_components": valuable,
            "recorded_on": recorded_on,
        }
        try:
            Tmf(**{k: v for k, v in values.items() if k != "recorded_on" or v is not None})
        except RecordValueError as exc:
            problems.append(RowProblem(number, exc.field, cells.get(exc.field), str(exc)))
            continue
        parsed.append((number, values))
    problems.extend(_check_references(session, parsed))
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise RegistryImportError(path, problems)
    ids: list[int] = []
    for written, (number, values) in enumerate(parsed, start=1):
        try:
            row = insert_tmf(session, **values)
        except (LookupError, ValueError) as exc:  # pragma: no cover - checked above
            raise _fail(path, str(exc), row=number, field=getattr(exc, "field", None)) from exc
        ids.append(row.id)
        if _row_hook is not None:
            _row_hook(written)
    return ImportReport(
        path=str(path), records="tmf", sha256=_sha256(path), inserted=len(ids), ids=tuple(ids)
    )


def _check_references(
    session: Session, parsed: Sequence[tuple[int, dict[str, Any]]]
) -> list[RowProblem]:
    """Check that each row's site exists and its object belongs to that site."""
    site_ids = sorted({v["site_id"] for _, v in parsed})
    object_ids = sorted({v["object_id"] for _, v in parsed if v["object_id"] is not None})
    known_sites: set[int] = set()
    for start in range(0, len(site_ids), _CHUNK):
        known_sites.update(
            session.scalars(select(Site.id).where(Site.id.in_(site_ids[start : start + _CHUNK])))
        )
    object_site: dict[int, int] = {}
    for start in range(0, len(object_ids), _CHUNK):
        stmt = select(DisturbanceObject.id, DisturbanceObject.site_id).where(
            DisturbanceObject.id.in_(object_ids[start : start + _CHUNK])
        )
        object_site.update({int(i): int(s) for i, s in session.execute(stmt)})
    problems = []
    for number, v in parsed:
        if v["site_id"] not in known_sites:
            problems.append(
                RowProblem(number, "site_id", v["site_id"], f"site {v['site_id']} not found")
            )
        elif v["object_id"] is not None:
            owner = object_site.get(v["object_id"])
            if owner is None:
                problems.append(
                    RowProblem(
                        number, "object_id", v["object_id"], f"object {v['object_id']} not found"
                    )
                )
            elif owner != v["site_id"]:
                problems.append(
                    RowProblem(
                        number,
                        "object_id",
                        v["object_id"],
                        f"object {v['object_id']} belongs to site {owner}, "
                        f"not to site {v['site_id']}",
                    )
                )
    return problems


def export_tmf(
    session: Session,
    path: str | Path,
    *,
    site_id: int | None = None,
    tmf_class: str | None = None,
    hazard_class: int | None = None,
    year: int | None = None,
) -> int:
    """Write technogenic mineral formations to a CSV or Excel table (importable again).

    Columns: ``id`` and :data:`TMF_FIELDS`; rows by id. :func:`import_tmf` ignores ``id``.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    path : str or Path
        ``.csv`` or ``.xlsx`` file to write (replaced if it exists). [-]
    site_id : int, optional
        Only this site's formations. [-]
    tmf_class : {"mining", "concentration", "metallurgical"}, optional
        Only this class.
    hazard_class : int, optional
        Only this hazard class, 1..5. [-]
    year : int, optional
        Only this year. [year]

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
    _table_suffix(path)
    stmt = select(Tmf).order_by(Tmf.id)
    for column, value in (
        ("site_id", site_id),
        ("tmf_class", tmf_class),
        ("hazard_class", hazard_class),
        ("year", year),
    ):
        if value is not None:
            stmt = stmt.where(getattr(Tmf, column) == value)
    columns = ["id", *TMF_FIELDS]
    data = [[getattr(t, c) for c in columns] for t in session.scalars(stmt)]
    _write_table(path, columns, data, sheet="tmf", comment="TMF")
    return len(data)


# --- objects of disturbance (GeoJSON, GeoPackage) --------------------------------------------


@dataclass
class _Feature:
    row: int
    geometry: Any  # a GeoJSON geometry object, WKB bytes, a Shapely geometry, or None
    properties: dict[str, Any]


def _read_features(path: Path, layer: str | int | None) -> list[_Feature]:
    _check_exists(path)
    suffix = path.suffix.lower()
    if suffix in _GEOJSON_SUFFIXES:
        return _read_geojson(path)
    if suffix == ".gpkg":
        return _read_gpkg(path, layer)
    raise _fail(
        path, f"objects must be in .geojson, .json or .gpkg, got {path.suffix!r}", value=suffix
    )


def _read_geojson(path: Path) -> list[_Feature]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(path, f"not a GeoJSON file: {exc}") from None
    features: Any
    if isinstance(data, dict) and data.get("type") == "Feature":
        features = [data]
    elif isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise _fail(path, "a FeatureCollection must have a list of features")
    else:
        raise _fail(path, "GeoJSON must be a FeatureCollection or a Feature")
    crs = data.get("crs")
    if crs is not None:
        name = str((crs.get("properties") or {}).get("name", "")) if isinstance(crs, dict) else ""
        if not any(t in name.upper() for t in ("CRS84", "EPSG::4326", "EPSG:4326")):
            raise _fail(
                path,
                f"GeoJSON must be in WGS 84 longitude/latitude (RFC 7946), got crs {name!r}",
                field="crs",
                value=name,
            )
    out = []
    for number, feature in enumerate(features, start=1):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            out.append(_Feature(number, _NotAFeature(), {}))
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            properties = {}
        out.append(_Feature(number, feature.get("geometry"), properties))
    return out


class _NotAFeature:
    """Marks an element of ``features`` that is not a GeoJSON Feature."""


def _read_gpkg(path: Path, layer: str | int | None) -> list[_Feature]:
    raw = require("pyogrio.raw")
    try:
        meta, fids, geometries, field_data = raw.read(path, layer=layer, return_fids=True)
    except Exception as exc:  # pyogrio raises DataSourceError, DataLayerError ...
        raise _fail(path, f"GeoPackage cannot be read: {exc}") from None
    transform = _to_wgs84(path, meta.get("crs"))
    names = [str(n).lower() for n in meta["fields"]]
    out = []
    for i, fid in enumerate(fids):
        properties = {n: _plain(column[i]) for n, column in zip(names, field_data, strict=True)}
        wkb = geometries[i]
        geometry = None
        if wkb is not None:
            try:
                geometry = transform(from_wkb(wkb))
            except Exception as exc:  # a WKB shapely cannot read
                geometry = _BadGeometry(str(exc))
        out.append(_Feature(int(fid), geometry, properties))
    return out


class _BadGeometry:
    def __init__(self, reason: str) -> None:
        self.reason = reason


def _plain(value: Any) -> Any:
    """Turn a numpy scalar into its Python value (NaN and NaT into None)."""
    if value is None:
        return None
    if hasattr(value, "dtype") and str(value.dtype).startswith("datetime64"):
        text = str(value)
        return None if text == "NaT" else text
    item = value.item() if hasattr(value, "item") else value
    if isinstance(item, float) and math.isnan(item):
        return None
    return item


def _to_wgs84(path: Path, crs: Any) -> Callable[[BaseGeometry], BaseGeometry]:
    if crs is None:
        raise _fail(path, "the GeoPackage layer has no coordinate reference system", field="crs")
    from pyproj import CRS, Transformer

    source = CRS.from_user_input(crs)
    if source.to_epsg() == SRID or source.equals(CRS.from_user_input("OGC:CRS84")):
        return lambda g: g
    import shapely  # type: ignore[import-untyped]

    transformer = Transformer.from_crs(source, CRS.from_epsg(SRID), always_xy=True)

    def transform(geometry: BaseGeometry) -> BaseGeometry:
        return shapely.transform(
            geometry, lambda xy: _stack(transformer.transform(xy[:, 0], xy[:, 1]))
        )

    return transform


def _stack(xy: tuple[Any, Any]) -> Any:
    import numpy as np

    return np.column_stack(xy)


def import_objects(
    session: Session,
    path: str | Path,
    *,
    site_id: int,
    layer: str | int | None = None,
    property_names: Mapping[str, str] | None = None,
    _row_hook: RowHook | None = None,
) -> ImportReport:
    """Import objects of disturbance of one site from GeoJSON or GeoPackage, all or nothing.

    Each feature becomes one object written by
    :func:`~postmine.registry.records.objects.insert_object`; its properties named in
    :data:`OBJECT_FIELDS` fill the object's fields (other properties, such as the ``id`` and
    ``site_id`` an export writes, are ignored). A polygonal geometry gives the area (the
    backend computes it, see :mod:`postmine.registry.geometry`) and any ``area_ha``
    property is then ignored; a feature with a point, a line or no geometry needs
    ``area_ha``. GeoJSON is WGS 84 longitude/latitude (RFC 7946); a GeoPackage layer in
    another coordinate reference system is transformed to it.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry; the rows are written in its transaction.
    path : str or Path
        ``.geojson``, ``.json`` or ``.gpkg`` file. [-]
    site_id : int
        Site the objects belong to. [-]
    layer : str or int, optional
        Layer of a GeoPackage (the first by default). [-]
    property_names : mapping, optional
        File property -> object field, for files whose properties are named otherwise
        (``{"type": "kind", "vol": "volume_m3"}``). [-]
    _row_hook : callable, optional
        Called with the number of rows written so far after each object (tests).

    Returns
    -------
    ImportReport
        Objects inserted, their ids, the file's SHA-256.

    Raises
    ------
    NotFoundError
        If the site does not exist.
    RegistryImportError
        If the file cannot be read or any feature is bad (an invalid geometry, an unknown
        kind, a negative volume, a missing area ...); nothing is written.
    ImportError
        For a GeoPackage, if pyogrio is not installed (``postmine[geo]``).
    """
    path = Path(path)
    get_site(session, site_id)
    rename = {k.lower(): v for k, v in (property_names or {}).items()}
    unknown = sorted(set(rename.values()) - set(OBJECT_FIELDS))
    if unknown:
        raise ValueError(
            f"property_names must map to object fields {', '.join(OBJECT_FIELDS)}, "
            f"got {', '.join(unknown)}"
        )
    features = _read_features(path, layer)
    name_length = _max_length(DisturbanceObject, "name")
    act_length = _max_length(ObjectStateChange, "act_reference")
    problems: list[RowProblem] = []
    parsed: list[tuple[int, dict[str, Any]]] = []
    for feature in features:
        props = {rename.get(k.lower(), k.lower()): v for k, v in feature.properties.items()}
        number = feature.row
        if isinstance(feature.geometry, _NotAFeature):
            problems.append(RowProblem(number, None, None, "element is not a GeoJSON Feature"))
            continue
        try:
            geometry = _feature_geometry(feature.geometry)
        except _Bad as exc:
            problems.append(RowProblem(number, "geometry", feature.geometry, str(exc)))
            continue
        polygonal = geometry is not None and geometry.geom_type in _POLYGONAL
        current = ""
        try:
            current = "kind"
            kind = _text("kind", props.get("kind"), required=True)
            current = "name"
            name = _text("name", props.get("name"), required=True, max_length=name_length)
            current = "state"
            state = _text("state", props.get("state"), required=False) or "disturbed"
            current = "state_on"
            state_on = _date("state_on", props.get("state_on"), required=False)
            current = "area_ha"
            area_ha = None
            if not polygonal:
                what = "no geometry" if geometry is None else f"a {geometry.geom_type}"
                if _blank(props.get("area_ha")):
                    raise _Bad(f"area_ha is required for a feature with {what}")
                area_ha = _float("area_ha", props.get("area_ha"), required=True)
            current = "volume_m3"
            volume_m3 = _float("volume_m3", props.get("volume_m3"), required=False)
            current = "reclamation_direction"
            direction = _text(
                "reclamation_direction", props.get("reclamation_direction"), required=False
            )
            current = "act_reference"
            act = _text(
                "act_reference",
                props.get("act_reference"),
                required=state == "accepted",
                max_length=act_length,
            )
        except _Bad as exc:
            message = str(exc)
            if current == "act_reference" and "required" in message:
                message = "act_reference is required: an object is accepted by an act"
            problems.append(RowProblem(number, current, props.get(current), message))
            continue
        values: dict[str, Any] = {
            "kind": kind,
            "name": name,
            "geometry": geometry,
            "area_ha": area_ha,
            "volume_m3": volume_m3,
            "state": state,
            "state_on": state_on,
            "act_reference": act,
            "reclamation_direction": direction,
        }
        try:
            DisturbanceObject(  # the schema's checks (kind, state, ranges)
                kind=kind,
                name=name,
                state=state,
                volume_m3=volume_m3,
                reclamation_direction=direction,
                **({"area_ha": area_ha} if area_ha is not None else {}),
            )
        except RecordValueError as exc:
            problems.append(RowProblem(number, exc.field, props.get(exc.field), str(exc)))
            continue
        parsed.append((number, values))
    if problems:
        raise RegistryImportError(path, problems)
    ids: list[int] = []
    for written, (number, values) in enumerate(parsed, start=1):
        try:
            row = insert_object(session, site_id=site_id, **values)
        except (LookupError, ValueError) as exc:  # pragma: no cover - checked above
            raise _fail(path, str(exc), row=number, field=getattr(exc, "field", None)) from exc
        ids.append(row.id)
        if _row_hook is not None:
            _row_hook(written)
    return ImportReport(
        path=str(path),
        records="objects",
        sha256=_sha256(path),
        inserted=len(ids),
        ids=tuple(ids),
    )


def _feature_geometry(raw: Any) -> BaseGeometry | None:
    if raw is None:
        return None
    if isinstance(raw, _BadGeometry):
        raise _Bad(f"geometry cannot be read: {raw.reason}")
    if isinstance(raw, BaseGeometry):
        geometry = raw
    elif isinstance(raw, Mapping):
        try:
            geometry = from_geojson(raw)
        except ValueError as exc:
            raise _Bad(str(exc)) from None
    else:
        raise _Bad(f"geometry must be a GeoJSON geometry object, got {raw!r}")
    try:
        return check_geometry(geometry)
    except ValueError as exc:
        raise _Bad(str(exc)) from None


def export_objects(
    session: Session,
    path: str | Path,
    *,
    site_id: int | None = None,
    kind: str | None = None,
    layer: str = "disturbance_objects",
) -> int:
    """Write objects of disturbance to GeoJSON or GeoPackage (importable again).

    One feature per object, by id, with the properties :data:`OBJECT_EXPORT_FIELDS`; the
    geometry in WGS 84 longitude/latitude (null for an object without one). ``state_on``
    and ``act_reference`` are those of the object's current state.

    Parameters
    ----------
    session : sqlalchemy.orm.Session
        Session on the registry.
    path : str or Path
        ``.geojson``, ``.json`` or ``.gpkg`` file to write (replaced if it exists). [-]
    site_id : int, optional
        Only this site's objects. [-]
    kind : str, optional
        Only objects of this kind.
    layer : str
        Layer name in a GeoPackage. [-]

    Returns
    -------
    int
        Features written.

    Raises
    ------
    ValueError
        If the suffix is not one of the formats.
    ImportError
        For a GeoPackage, if pyogrio is not installed (``postmine[geo]``).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (*_GEOJSON_SUFFIXES, ".gpkg"):
        raise ValueError(f"path must end in .geojson, .json or .gpkg, got {path.name!r}")
    o = DisturbanceObject
    stmt = select(o).order_by(o.id)
    changes = (
        select(
            ObjectStateChange.object_id,
            ObjectStateChange.changed_on,
            ObjectStateChange.act_reference,
        )
        .join(o, o.id == ObjectStateChange.object_id)
        .order_by(ObjectStateChange.object_id, ObjectStateChange.changed_on, ObjectStateChange.id)
    )
    for column, value in (("site_id", site_id), ("kind", kind)):
        if value is not None:
            stmt = stmt.where(getattr(o, column) == value)
            changes = changes.where(getattr(o, column) == value)
    current: dict[int, tuple[date, str | None]] = {}
    for object_id, changed_on, act in session.execute(changes):
        current[object_id] = (changed_on, act)  # the last one wins: the current state
    records = []
    for row in session.scalars(stmt):
        since, act = current.get(row.id, (None, None))
        records.append(
            (
                row.geom,
                {
                    "id": row.id,
                    "site_id": row.site_id,
                    "kind": row.kind,
                    "name": row.name,
                    "state": row.state,
                    "state_on": None if since is None else since.isoformat(),
                    "area_ha": row.area_ha,
                    "volume_m3": row.volume_m3,
                    "reclamation_direction": row.reclamation_direction,
                    "act_reference": act,
                },
            )
        )
    if suffix == ".gpkg":
        _write_gpkg(path, records, layer)
    else:
        collection = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": props["id"],
                    "geometry": None if geom is None else to_geojson(geom),
                    "properties": props,
                }
                for geom, props in records
            ],
        }
        with path.open("w", encoding="utf-8") as f:
            json.dump(collection, f, ensure_ascii=False)
            f.write("\n")
    return len(records)


def _write_gpkg(
    path: Path, records: Sequence[tuple[BaseGeometry | None, dict[str, Any]]], layer: str
) -> None:
    import numpy as np

    raw = require("pyogrio.raw")
    geometries = np.array([None if g is None else to_wkb(g) for g, _ in records], dtype=object)
    types = {g.geom_type for g, _ in records if g is not None}
    geometry_type = types.pop() if len(types) == 1 else "Unknown"
    fields = list(OBJECT_EXPORT_FIELDS)
    data = []
    masks = []
    for name in fields:
        values = [props[name] for _, props in records]
        missing = np.array([v is None for v in values], dtype=bool)
        if name in ("id", "site_id"):
            data.append(np.array(values, dtype=np.int64))
        elif name in ("area_ha", "volume_m3"):
            data.append(np.array([np.nan if v is None else v for v in values], dtype=np.float64))
        else:
            data.append(np.array(["" if v is None else v for v in values], dtype=object))
        masks.append(missing)
    if path.exists():
        path.unlink()
    raw.write(
        path,
        geometries,
        data,
        fields,
        field_mask=masks,
        layer=layer,
        driver="GPKG",
        geometry_type=geometry_type,
        crs=f"EPSG:{SRID}",
    )
