"""Logger files: CSV, Excel and Campbell TOA5 tables of readings into the store.

:func:`ingest_file` reads a CSV (``,``, ``;`` or tab separated), Excel (``.xlsx``) or
Campbell Scientific TOA5 file with one time column and one column per channel
(:func:`read_logger_file` reads the layout), converts each column from its unit to its
channel's canonical unit and stores the readings once per (channel, time) in one
transaction. A row whose time, or a cell whose value, cannot be read becomes a dead letter
(:func:`postmine.monitoring.messages.dead_letter`, topic ``file:<file name>:<line>``) with
the reason; the rest is stored.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
from sqlalchemy import Connection

from postmine.monitoring.channels import ChannelAddress, ChannelRef, channel_refs
from postmine.monitoring.messages import EARLIEST_US, LATEST_US, Rejected, dead_letter
from postmine.monitoring.models import DeadLetter
from postmine.monitoring.store import (
    EPOCH,
    Reading,
    Target,
    _connection,
    insert_new,
    write_dead_letters,
)
from postmine.monitoring.units import UnitError, check_unit, converter

__all__ = ["FileReport", "LoggerTable", "ingest_file", "read_logger_file"]

_US = timedelta(microseconds=1)

_TIME_NAMES = ("timestamp", "time", "ts", "datetime", "date_time", "date")
_MISSING = frozenset({"", "nan", "na", "n/a", "null", "none", "-", "#n/a"})


@dataclass
class LoggerTable:
    """A logger file as read: its header, the unit of each column (if given) and its rows."""

    header: list[str]
    units: list[str | None]
    rows: list[tuple[int, list[Any]]]
    """(line number in the file, cells)."""
    time_index: int


@dataclass
class FileReport:
    """What :func:`ingest_file` did with a logger file."""

    path: str
    channels: dict[str, int] = field(default_factory=dict)
    """Column header -> channel id."""
    rows: int = 0
    """Data rows read. [-]"""
    readings: int = 0
    """Readings read (non-empty cells of channel columns in good rows). [-]"""
    stored: int = 0
    """Readings that were new. [-]"""
    missing: int = 0
    """Empty or NaN cells, skipped. [-]"""
    dead_letters: int = 0
    """Rows or cells that could not be read (stored as dead letters). [-]"""
    first_ts: datetime | None = None
    """Earliest time in the file (UTC)."""
    last_ts: datetime | None = None
    """Latest time in the file (UTC)."""

    @property
    def duplicates(self) -> int:
        """Return how many readings were stored already (file ingested again, overlaps)."""
        return self.readings - self.stored


def _split_unit(header: str) -> tuple[str, str | None]:
    """``"pore_pressure [kPa]"`` -> ``("pore_pressure", "kPa")``; also ``(kPa)``."""
    text = header.strip()
    for left, right in (("[", "]"), ("(", ")")):
        if text.endswith(right) and left in text:
            name, _, unit = text[:-1].rpartition(left)
            if name.strip() and unit.strip():
                return name.strip(), unit.strip()
    return text, None


def _read_rows(path: Path, sheet: str | None) -> Iterator[tuple[int, list[Any]]]:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import openpyxl  # type: ignore[import-untyped,unused-ignore]

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        finally:
            workbook.close()
        return
    if sheet is not None:
        raise ValueError(f"sheet is only for Excel files, got sheet={sheet!r} for {path.name}")
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    for number, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        yield number, list(cells)


def read_logger_file(
    path: str | Path, *, time_column: str | None = None, sheet: str | None = None
) -> LoggerTable:
    """Read a logger file's header, units and rows (no conversion, no database).

    Two layouts are recognised. A Campbell Scientific TOA5 file (first cell ``TOA5``):
    line 2 the column names, line 3 their units, line 4 the processing (skipped), data from
    line 5, time in ``TIMESTAMP``, ``RECORD`` ignored. Otherwise: line 1 the header, a unit
    in brackets after a name (``pore_pressure [kPa]``), data from line 2. Blank lines are
    skipped.

    Parameters
    ----------
    path : str or Path
        CSV (``,``, ``;`` or tab separated, UTF-8) or Excel (``.xlsx``) file.
    time_column : str, optional
        Header of the time column; by default the first named timestamp, time, ts,
        datetime, date_time or date (any case), else the first column.
    sheet : str, optional
        Excel sheet (the first by default).

    Returns
    -------
    LoggerTable
        Header, units, rows with their line numbers, index of the time column.

    Raises
    ------
    ValueError
        If the file is empty, has no such time column, or repeats a column name.
    """
    path = Path(path)
    rows = [(n, cells) for n, cells in _read_rows(path, sheet) if any(_cell_text(c) for c in cells)]
    if not rows:
        raise ValueError(f"{path.name} holds no rows")
    first = [_cell_text(c) for c in rows[0][1]]
    if first and first[0] == "TOA5":
        if len(rows) < 4:
            raise ValueError(f"{path.name}: a TOA5 file needs 4 header lines")
        names = [_cell_text(c) for c in rows[1][1]]
        units: list[str | None] = [_cell_text(c) or None for c in rows[2][1]]
        units += [None] * (len(names) - len(units))
        data = rows[4:]
        names = ["" if n == "RECORD" else n for n in names]
    else:
        names, units = [], []
        for cell in first:
            name, unit = _split_unit(cell)
            names.append(name)
            units.append(unit)
        data = rows[1:]
    seen = [n for n in names if n]
    if len(seen) != len(set(seen)):
        repeated = sorted({n for n in seen if seen.count(n) > 1})
        raise ValueError(f"{path.name}: column names repeat: {', '.join(repeated)}")
    if time_column is not None:
        if time_column not in names:
            raise ValueError(
                f"{path.name} has no column {time_column!r}; columns: {', '.join(seen)}"
            )
        index = names.index(time_column)
    else:
        lowered = [n.lower() for n in names]
        index = next((lowered.index(t) for t in _TIME_NAMES if t in lowered), 0)
    return LoggerTable(header=names, units=units, rows=data, time_index=index)


def _cell_text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _row_text(cells: Sequence[Any]) -> str:
    return ",".join(_cell_text(c) for c in cells)


def _zone(timezone_: str | tzinfo) -> tzinfo:
    if isinstance(timezone_, tzinfo):
        return timezone_
    text = timezone_.strip()
    if text.upper() in ("UTC", "Z"):
        return UTC
    if text[:1] in "+-" and len(text) == 6 and text[3] == ":":
        sign = 1 if text[0] == "+" else -1
        try:
            hours, minutes = int(text[1:3]), int(text[4:6])
        except ValueError:
            raise ValueError(f"timezone offset must be ±hh:mm, got {text!r}") from None
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"timezone must be UTC, an offset like +07:00 or an IANA name, got {text!r}"
        ) from None


def _file_time(cell: Any, zone: tzinfo, time_format: str | None) -> int:
    if isinstance(cell, datetime):
        moment = cell
    elif isinstance(cell, int | float):
        raise Rejected(
            f"the time is a number ({cell!r}), not a date and time: format the column as "
            "dates (an Excel serial date cannot be told from seconds)"
        )
    else:
        text = _cell_text(cell)
        if not text:
            raise Rejected("the time is empty")
        try:
            if time_format:
                moment = datetime.strptime(text, time_format)
            else:
                moment = datetime.fromisoformat(text)
        except ValueError:
            shown = f"format {time_format!r}" if time_format else "ISO 8601"
            raise Rejected(f"time {text!r} does not match {shown}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    us = (moment - EPOCH) // _US
    if not EARLIEST_US <= us < LATEST_US:
        raise Rejected(f"time must lie in 1900..2200, got {moment.isoformat()}")
    return int(us)


def _file_value(cell: Any, decimal: str) -> float | None:
    """Return a cell's number, None for an empty or NaN cell; raise Rejected if text."""
    if isinstance(cell, bool):
        raise Rejected(f"value must be a number, got {cell!r}")
    if isinstance(cell, int | float):
        number = float(cell)
    else:
        text = _cell_text(cell)
        if text.lower() in _MISSING:
            return None
        if decimal != ".":
            text = text.replace(decimal, ".")
        try:
            number = float(text)
        except ValueError:
            raise Rejected(f"value must be a number, got {text!r}") from None
    return number if math.isfinite(number) else None


def ingest_file(
    path: str | Path,
    target: Target,
    *,
    site_id: int,
    sensor: str | None = None,
    columns: Mapping[str, str | None] | None = None,
    time_column: str | None = None,
    time_format: str | None = None,
    timezone: str | tzinfo = "UTC",
    decimal: str = ".",
    sheet: str | None = None,
) -> FileReport:
    """Ingest a logger file (CSV or Excel) into the readings of a site's channels.

    Each column other than the time column is one channel, named by its header:
    ``<sensor code>/<channel name>`` (``PZ-01/pore_pressure``), or just the channel name
    when ``sensor`` is given; ``columns`` maps headers to such names, and a header mapped
    to None is ignored. A unit in the header (``[bar]``) or TOA5 units line is the unit of
    the column, else the channel's ``source_unit``; values are converted to the channel's
    unit. Empty and NaN cells are missing data, skipped. A row whose time cannot be read,
    and a cell whose value cannot be read, become dead letters (topic
    ``file:<file name>:<line>``) with the reason; the rest is stored. The whole file is
    one transaction, and writes are idempotent: ingesting a file twice stores it once.

    Parameters
    ----------
    path : str or Path
        The file (see :func:`read_logger_file` for the layouts).
    target : Session, Connection, Engine or str
        Registry to write to (a session or connection: inside its transaction).
    site_id : int
        Site of the sensors. [-]
    sensor : str, optional
        Code of the sensor when headers name channels only. [-]
    columns : mapping, optional
        Header -> ``"<sensor>/<channel>"`` (or channel name with ``sensor``), or None to
        ignore the column.
    time_column : str, optional
        Header of the time column (see :func:`read_logger_file`).
    time_format : str, optional
        ``strptime`` format of the times (``"%d.%m.%Y %H:%M"``); ISO 8601 by default.
    timezone : str or tzinfo
        Zone of times written without an offset: ``"UTC"`` (default), an offset
        ``"+07:00"`` or an IANA name (``"Asia/Krasnoyarsk"``). Loggers usually keep a fixed
        offset all year: prefer the offset to a zone with daylight saving time.
    decimal : str
        Decimal separator of numbers written as text (``","`` for ``12,5``).
    sheet : str, optional
        Excel sheet (the first by default).

    Returns
    -------
    FileReport
        Counts of rows, readings stored, duplicates, missing cells and dead letters.

    Raises
    ------
    ValueError
        If the file cannot be read as a table, a column names no registered channel, or a
        column's unit does not convert to its channel's unit; nothing is written then.
    """
    path = Path(path)
    zone = _zone(timezone)
    table = read_logger_file(path, time_column=time_column, sheet=sheet)
    with _connection(target) as connection:
        targets = _channel_columns(path.name, table, connection, site_id, sensor, columns)
        report = FileReport(path=str(path), channels={c.header: c.ref.id for c in targets})
        rows, letters, times = _read_cells(
            path.name, table, targets, report, zone, time_format, decimal
        )
        report.readings = len(rows)
        report.stored = len(insert_new(connection, rows)) if rows else 0
        report.dead_letters = write_dead_letters(connection, letters)
        if times:
            report.first_ts = EPOCH + timedelta(microseconds=min(times))
            report.last_ts = EPOCH + timedelta(microseconds=max(times))
    return report


@dataclass(frozen=True)
class _ChannelColumn:
    """A column of a logger file matched to its channel, with its unit conversion."""

    index: int
    ref: ChannelRef
    convert: Callable[[Any], np.ndarray[Any, Any]]
    header: str


def _channel_address(
    header: str, site_id: int, sensor: str | None, columns: Mapping[str, str | None] | None
) -> ChannelAddress | None:
    """Return the address a column header names; None if the column is to be ignored.

    Raises
    ------
    KeyError
        If the header names no channel (no ``<sensor>/`` and no ``sensor`` given).
    """
    name: str | None = header
    if columns is not None and header in columns:
        name = columns[header]
    if name is None:
        return None
    if "/" in name:
        code, _, channel = name.partition("/")
    elif sensor is not None:
        code, channel = sensor, name
    else:
        raise KeyError(header)
    return (site_id, code, channel)


def _channel_columns(
    file_name: str,
    table: LoggerTable,
    connection: Connection,
    site_id: int,
    sensor: str | None,
    columns: Mapping[str, str | None] | None,
) -> list[_ChannelColumn]:
    """Match each data column to a registered channel and its unit conversion.

    Raises
    ------
    ValueError
        If a column names no registered channel, a column's unit does not convert to its
        channel's, or no column is left.
    """
    refs = channel_refs(connection)
    targets: list[_ChannelColumn] = []
    unmatched: list[str] = []
    for index, header in enumerate(table.header):
        if index == table.time_index or not header:
            continue
        try:
            address = _channel_address(header, site_id, sensor, columns)
        except KeyError:
            unmatched.append(header)
            continue
        if address is None:
            continue
        ref = refs.get(address)
        if ref is None:
            unmatched.append(header)
            continue
        unit = table.units[index] if index < len(table.units) else None
        try:
            convert = converter(check_unit(unit) if unit else ref.source_unit, ref.unit)
        except UnitError as exc:
            raise ValueError(f"{file_name}, column {header!r}: {exc}") from None
        targets.append(_ChannelColumn(index, ref, convert, header))
    if unmatched:
        raise ValueError(
            f"{file_name}: no channel of site {site_id} for column(s) "
            f"{', '.join(map(repr, unmatched))}; name them <sensor>/<channel>, give "
            "sensor=, or map them with columns= (None ignores a column)"
        )
    if not targets:
        raise ValueError(f"{file_name} has no channel columns")
    return targets


def _read_cells(
    file_name: str,
    table: LoggerTable,
    targets: list[_ChannelColumn],
    report: FileReport,
    zone: tzinfo,
    time_format: str | None,
    decimal: str,
) -> tuple[list[Reading], list[DeadLetter], list[int]]:
    """Read every row: the readings (converted), the dead letters and the rows' times.

    Counts the rows and the missing cells in ``report``.
    """
    column_times: list[list[int]] = [[] for _ in targets]
    column_values: list[list[float]] = [[] for _ in targets]
    letters: list[DeadLetter] = []
    now = datetime.now(UTC)
    times: list[int] = []
    for line, cells in table.rows:
        report.rows += 1
        where = f"file:{file_name}:{line}"
        try:
            ts_cell = cells[table.time_index] if table.time_index < len(cells) else None
            ts_us = _file_time(ts_cell, zone, time_format)
        except Rejected as exc:
            letters.append(dead_letter(where, _row_text(cells), str(exc), now))
            continue
        times.append(ts_us)
        for k, column in enumerate(targets):
            cell = cells[column.index] if column.index < len(cells) else None
            try:
                value = _file_value(cell, decimal)
            except Rejected as exc:
                reason = f"column {column.header!r}: {exc}"
                letters.append(dead_letter(where, _row_text(cells), reason, now))
                continue
            if value is None:
                report.missing += 1
                continue
            column_times[k].append(ts_us)
            column_values[k].append(value)
    rows: list[Reading] = []
    for k, column in enumerate(targets):
        converted = column.convert(np.asarray(column_values[k], dtype=np.float64)).tolist()
        rows.extend(
            Reading(column.ref.id, t, v) for t, v in zip(column_times[k], converted, strict=True)
        )
    return rows, letters, times
