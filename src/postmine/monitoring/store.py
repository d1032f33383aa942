"""The time-series store: writing readings once, reading ranges, downsampling for plots.

Readings live in the registry's ``readings`` table (:class:`~postmine.monitoring.models.
ReadingRow`): one row per channel and microsecond, the value in the channel's canonical
unit, primary key ``(channel_id, ts_us)``, which is also the index range queries use.

* :func:`write_readings` is idempotent: ``INSERT ... ON CONFLICT DO NOTHING`` on SQLite and
  PostgreSQL alike, so a duplicate (a redelivered MQTT message, a logger file imported
  twice, two copies of one reading in a batch) is stored once, and readings may arrive in
  any order. The first value stored for a (channel, time) is kept. It writes in batches of
  :data:`BATCH_ROWS` rows per statement (``VALUES`` lists with ``RETURNING`` on SQLite,
  ``unnest`` of three arrays on PostgreSQL) and returns the readings that were new.
* :func:`read_range` returns a channel's readings in ``[start, end)`` as numpy arrays.
* :func:`downsample` returns, for ``n_points`` equal time buckets of ``[start, end)``, the
  count, minimum, maximum and mean of each non-empty bucket, computed in the database, so
  a plot of years of data reads a few hundred rows.

Every function takes where to work as its first argument: a ``Session`` (it works inside
the session's transaction; the caller commits, as :func:`postmine.db.
session_scope` does), a ``Connection`` (likewise), an ``Engine`` or a database URL (it
opens and commits its own transaction).

Times are integer microseconds since 1970-01-01T00:00:00 UTC (:func:`to_us`,
:func:`from_us`); the functions also take aware ``datetime`` and ``numpy.datetime64``
(read as UTC). A naive ``datetime`` is refused: its zone is unknown.

Examples
--------
>>> import tempfile
>>> from datetime import UTC, datetime
>>> from postmine.registry.records.sites import insert_site
>>> from postmine.db import init_db, session_scope
>>> from postmine.monitoring.channels import add_channel, add_sensor
>>> url = f"sqlite:///{tempfile.mkdtemp()}/registry.sqlite"
>>> _ = init_db(url)
>>> with session_scope(url) as session:
...     site = insert_site(session, name="Abaza", region="Khakassia")
...     pz = add_sensor(session, site_id=site.id, code="PZ-01", type="piezometer",
...                     expected_interval_s=600)
...     channel = add_channel(session, pz, name="pore_pressure", quantity="pore_pressure")
>>> t0 = datetime(2026, 11, 25, tzinfo=UTC)
>>> rows = [(channel.id, t0, 101.5), (channel.id, to_us(t0) + 600_000_000, 102.0)]
>>> len(write_readings(url, rows))
2
>>> len(write_readings(url, rows))  # the same readings again: nothing new
0
>>> series = read_range(url, channel.id, t0, "2026-11-26T00:00:00Z")
>>> series.value
array([101.5, 102. ])
>>> series.times[1]
np.datetime64('2026-11-25T00:10:00.000000')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.orm import Session

from postmine.db import get_engine
from postmine.monitoring.models import Channel, DeadLetter, ReadingRow

__all__ = [
    "BATCH_ROWS",
    "ChannelActivity",
    "Downsampled",
    "Reading",
    "Series",
    "Target",
    "TimeLike",
    "channel_activity",
    "downsample",
    "from_us",
    "insert_new",
    "read_range",
    "to_us",
    "write_dead_letters",
    "write_readings",
]

BATCH_ROWS = 3000
"""Readings per INSERT statement (9,000 parameters: below SQLite's and PostgreSQL's limits)."""

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)
_READINGS = ReadingRow.__table__

Target = Session | Connection | Engine | str
"""Where to read or write: a session or connection (inside its transaction), an engine or
a database URL (a transaction of its own)."""

TimeLike = datetime | int | np.datetime64 | str
"""A time: aware datetime, int microseconds since the epoch, numpy datetime64 (UTC) or an
ISO-8601 string with its offset."""


class Reading(NamedTuple):
    """One reading: channel id, time in µs since the epoch (UTC), value in the channel's unit."""

    channel_id: int
    ts_us: int
    value: float

    @property
    def ts(self) -> datetime:
        """The time as an aware UTC datetime."""
        return from_us(self.ts_us)


@dataclass(frozen=True)
class Series:
    """A channel's readings over a time range, in time order."""

    channel_id: int
    ts_us: npt.NDArray[np.int64]
    """Times, µs since 1970-01-01 UTC. [µs]"""
    value: npt.NDArray[np.float64]
    """Values in the channel's unit. [channel unit]"""

    @property
    def times(self) -> npt.NDArray[np.datetime64]:
        """The times as ``datetime64[us]`` (UTC)."""
        return self.ts_us.astype("datetime64[us]")

    def __len__(self) -> int:
        return int(self.ts_us.size)


@dataclass(frozen=True)
class Downsampled:
    """A channel's readings in equal time buckets: count, min, max and mean per bucket.

    Only non-empty buckets are listed, so a gap in the data stays a gap in a plot.
    """

    channel_id: int
    start_us: int
    """Start of the first bucket. [µs]"""
    bucket_us: int
    """Width of a bucket. [µs]"""
    ts_us: npt.NDArray[np.int64]
    """Start of each listed bucket. [µs]"""
    count: npt.NDArray[np.int64]
    """Readings in each bucket. [-]"""
    min: npt.NDArray[np.float64]
    """Smallest value in each bucket. [channel unit]"""
    max: npt.NDArray[np.float64]
    """Largest value in each bucket. [channel unit]"""
    mean: npt.NDArray[np.float64]
    """Mean value in each bucket. [channel unit]"""

    @property
    def times(self) -> npt.NDArray[np.datetime64]:
        """Bucket starts as ``datetime64[us]`` (UTC)."""
        return self.ts_us.astype("datetime64[us]")

    def __len__(self) -> int:
        return int(self.ts_us.size)


# --- times -------------------------------------------------------------------------------------


def to_us(ts: TimeLike) -> int:
    """Return a time as integer microseconds since 1970-01-01T00:00:00 UTC.

    Parameters
    ----------
    ts : datetime, int, numpy.datetime64 or str
        An aware datetime; an int (already µs); a datetime64 (read as UTC); or an ISO-8601
        string with its UTC offset (``Z`` or ``+07:00``).

    Returns
    -------
    int
        Microseconds since the epoch. [µs]

    Raises
    ------
    ValueError
        If the datetime or string has no UTC offset, or the value is not a time.

    Examples
    --------
    >>> to_us("1970-01-01T00:00:01.5Z")
    1500000
    >>> to_us(datetime(2026, 1, 1))
    Traceback (most recent call last):
    ...
    ValueError: ts must be timezone-aware (UTC offset unknown), got 2026-01-01 00:00:00
    """
    if isinstance(ts, bool):
        raise ValueError(f"ts must be a time, got {ts!r}")
    if isinstance(ts, int | np.integer):
        return int(ts)
    if isinstance(ts, str):
        try:
            parsed = datetime.fromisoformat(ts)
        except ValueError:
            raise ValueError(f"ts must be an ISO-8601 time, got {ts!r}") from None
        return to_us(parsed)
    if isinstance(ts, datetime):
        if ts.tzinfo is None or ts.utcoffset() is None:
            raise ValueError(f"ts must be timezone-aware (UTC offset unknown), got {ts}")
        return (ts - EPOCH) // _US
    if isinstance(ts, np.datetime64):
        return int(ts.astype("datetime64[us]").astype(np.int64))
    raise ValueError(f"ts must be a datetime, int µs, datetime64 or ISO string, got {ts!r}")


def from_us(ts_us: int) -> datetime:
    """Return microseconds since the epoch as an aware UTC datetime.

    Examples
    --------
    >>> from_us(1_500_000)
    datetime.datetime(1970, 1, 1, 0, 0, 1, 500000, tzinfo=datetime.timezone.utc)
    """
    return EPOCH + timedelta(microseconds=int(ts_us))


# --- connections -------------------------------------------------------------------------------


@contextmanager
def _connection(target: Target) -> Iterator[Connection]:
    """Yield a connection: the target's own (caller commits) or a new transaction's."""
    if isinstance(target, Session):
        yield target.connection()
    elif isinstance(target, Connection):
        yield target
    else:
        engine = target if isinstance(target, Engine) else get_engine(target)
        with engine.begin() as connection:
            yield connection


def _channel_id(channel: Channel | int) -> int:
    if isinstance(channel, Channel):
        return channel.id
    if isinstance(channel, bool) or not isinstance(channel, int | np.integer):
        raise ValueError(f"channel must be a Channel or its id, got {channel!r}")
    return int(channel)


# --- writing -----------------------------------------------------------------------------------


def _checked_rows(rows: Iterable[Sequence[Any]]) -> list[tuple[int, int, float]]:
    out: list[tuple[int, int, float]] = []
    for number, row in enumerate(rows):
        try:
            channel_id, ts, value = row
        except (TypeError, ValueError):
            raise ValueError(f"row {number} must be (channel_id, ts, value), got {row!r}") from None
        ts_us = ts if type(ts) is int else to_us(ts)
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise ValueError(f"row {number}: value must be a number, got {value!r}")
        number_value = float(value)
        if not math.isfinite(number_value):
            raise ValueError(f"row {number}: value must be finite, got {value!r}")
        out.append((_channel_id(channel_id), ts_us, number_value))
    return out


def _insert_sqlite(connection: Connection, rows: Sequence[tuple[int, int, float]]) -> list[Any]:
    values = ",".join(["(?,?,?)"] * len(rows))
    sql = (
        f"INSERT INTO readings (channel_id, ts_us, value) VALUES {values} "
        "ON CONFLICT DO NOTHING RETURNING channel_id, ts_us, value"
    )
    flat = tuple(x for row in rows for x in row)
    return list(connection.exec_driver_sql(sql, flat).all())


_PG_INSERT = (
    "INSERT INTO readings (channel_id, ts_us, value) "
    "SELECT * FROM unnest(%s::integer[], %s::bigint[], %s::float8[]) "
    "ON CONFLICT DO NOTHING RETURNING channel_id, ts_us, value"
)


def _insert_postgresql(connection: Connection, rows: Sequence[tuple[int, int, float]]) -> list[Any]:
    channel_ids, times, values = (list(column) for column in zip(*rows, strict=True))
    return list(connection.exec_driver_sql(_PG_INSERT, (channel_ids, times, values)).all())


def insert_new(connection: Connection, rows: Sequence[tuple[int, int, float]]) -> list[Reading]:
    """Insert checked ``(channel_id, ts_us, value)`` rows; return those that were new.

    The fast path of :func:`write_readings` (and of the MQTT subscriber): no checks, one
    statement per :data:`BATCH_ROWS` rows, inside the connection's transaction.
    """
    insert_batch = _insert_sqlite if connection.dialect.name == "sqlite" else _insert_postgresql
    new: list[Reading] = []
    for start in range(0, len(rows), BATCH_ROWS):
        new.extend(
            Reading(*row) for row in insert_batch(connection, rows[start : start + BATCH_ROWS])
        )
    return new


def write_readings(target: Target, rows: Iterable[Sequence[Any]]) -> list[Reading]:
    """Store readings once each; return the readings that were not stored before.

    Parameters
    ----------
    target : Session, Connection, Engine or str
        Where to write (see the module docstring).
    rows : iterable of (channel_id, ts, value)
        ``channel_id`` an int (or a Channel); ``ts`` an aware datetime, int µs since the
        epoch, numpy datetime64 (UTC) or ISO-8601 string with offset; ``value`` a finite
        number in the channel's unit. Order does not matter; duplicates are stored once.

    Returns
    -------
    list of Reading
        The readings that were new, in no particular order; ``len()`` is how many rows the
        call added.

    Raises
    ------
    ValueError
        If a row is not a (channel, time, finite number) triple; nothing is written then.
    sqlalchemy.exc.IntegrityError
        If a channel does not exist (foreign key).
    """
    checked = _checked_rows(rows)
    if not checked:
        return []
    with _connection(target) as connection:
        return insert_new(connection, checked)


def write_dead_letters(target: Target, letters: Iterable[DeadLetter]) -> int:
    """Store dead letters (messages or file rows that could not be ingested).

    Parameters
    ----------
    target : Session, Connection, Engine or str
        Where to write.
    letters : iterable of DeadLetter
        Unsaved :class:`~postmine.monitoring.models.DeadLetter` rows.

    Returns
    -------
    int
        How many were written.
    """
    values = [
        {
            "received_at": letter.received_at or datetime.now(UTC),
            "topic": letter.topic,
            "payload": letter.payload,
            "reason": letter.reason,
        }
        for letter in letters
    ]
    if values:
        with _connection(target) as connection:
            connection.execute(insert(DeadLetter), values)
    return len(values)


# --- reading -----------------------------------------------------------------------------------


def _range(start: TimeLike, end: TimeLike) -> tuple[int, int]:
    start_us, end_us = to_us(start), to_us(end)
    if end_us <= start_us:
        raise ValueError(f"end must be after start, got start {start!r}, end {end!r}")
    return start_us, end_us


def read_range(target: Target, channel: Channel | int, start: TimeLike, end: TimeLike) -> Series:
    """Return a channel's readings with ``start <= ts < end``, in time order.

    Parameters
    ----------
    target : Session, Connection, Engine or str
        Where to read.
    channel : Channel or int
        The channel, or its id.
    start, end : datetime, int µs, datetime64 or ISO string
        The half-open time range ``[start, end)``.

    Returns
    -------
    Series
        Times (µs since the epoch) and values (in the channel's unit) as numpy arrays.

    Raises
    ------
    ValueError
        If ``end`` is not after ``start`` or a time has no UTC offset.
    """
    channel_id = _channel_id(channel)
    start_us, end_us = _range(start, end)
    stmt = (
        select(_READINGS.c.ts_us, _READINGS.c.value)
        .where(
            _READINGS.c.channel_id == channel_id,
            _READINGS.c.ts_us >= start_us,
            _READINGS.c.ts_us < end_us,
        )
        .order_by(_READINGS.c.ts_us)
    )
    with _connection(target) as connection:
        rows = connection.execute(stmt).all()
    ts = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    value = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
    return Series(channel_id=channel_id, ts_us=ts, value=value)


def downsample(
    target: Target, channel: Channel | int, start: TimeLike, end: TimeLike, n_points: int
) -> Downsampled:
    """Summarise a channel's readings in ``n_points`` equal time buckets (for long plots).

    The range ``[start, end)`` is cut into buckets of ``ceil((end - start) / n_points)``
    microseconds; bucket ``k`` holds the readings with ``start + k·w <= ts < start +
    (k+1)·w``. The database groups and aggregates, so only one row per non-empty bucket
    comes back. Plotting the min-max band with the mean keeps spikes visible that a mean
    alone would hide.

    Parameters
    ----------
    target : Session, Connection, Engine or str
        Where to read.
    channel : Channel or int
        The channel, or its id.
    start, end : datetime, int µs, datetime64 or ISO string
        The half-open time range.
    n_points : int
        Number of buckets, >= 1. [-]

    Returns
    -------
    Downsampled
        Bucket starts, counts, minima, maxima and means of the non-empty buckets.

    Raises
    ------
    ValueError
        If ``n_points`` < 1 or ``end`` is not after ``start``.
    """
    if isinstance(n_points, bool) or not isinstance(n_points, int) or n_points < 1:
        raise ValueError(f"n_points must be an integer >= 1, got {n_points!r}")
    channel_id = _channel_id(channel)
    start_us, end_us = _range(start, end)
    width = max(1, -(-(end_us - start_us) // n_points))
    bucket = ((_READINGS.c.ts_us - start_us) // width).label("bucket")
    stmt = (
        select(
            bucket,
            func.count(),
            func.min(_READINGS.c.value),
            func.max(_READINGS.c.value),
            func.avg(_READINGS.c.value),
        )
        .where(
            _READINGS.c.channel_id == channel_id,
            _READINGS.c.ts_us >= start_us,
            _READINGS.c.ts_us < end_us,
        )
        .group_by(bucket)
        .order_by(bucket)
    )
    with _connection(target) as connection:
        rows = connection.execute(stmt).all()
    columns = list(zip(*rows, strict=True)) if rows else [(), (), (), (), ()]
    index = np.asarray(columns[0], dtype=np.int64)
    return Downsampled(
        channel_id=channel_id,
        start_us=start_us,
        bucket_us=width,
        ts_us=start_us + index * width,
        count=np.asarray(columns[1], dtype=np.int64),
        min=np.asarray(columns[2], dtype=np.float64),
        max=np.asarray(columns[3], dtype=np.float64),
        mean=np.asarray(columns[4], dtype=np.float64),
    )


class ChannelActivity(NamedTuple):
    """How much a channel has reported: its newest reading's time and its number of readings."""

    last_us: int
    """Time of the newest reading, µs since 1970-01-01 UTC. [µs]"""
    readings: int
    """Number of stored readings. [-]"""

    @property
    def last(self) -> datetime:
        """Time of the newest reading as an aware UTC datetime."""
        return from_us(self.last_us)


def channel_activity(target: Target, channel_ids: Iterable[int]) -> dict[int, ChannelActivity]:
    """Return the newest reading's time and the number of readings of each channel.

    One grouped query. Channels without readings are left out.

    Parameters
    ----------
    target : Session, Connection, Engine or str
        Where to read.
    channel_ids : iterable of int
        The channels. [-]

    Returns
    -------
    dict of int to ChannelActivity
        ``{channel id: (newest time [µs], readings [-])}`` for the channels with readings.
    """
    ids = list(channel_ids)
    if not ids:
        return {}
    stmt = (
        select(_READINGS.c.channel_id, func.max(_READINGS.c.ts_us), func.count())
        .where(_READINGS.c.channel_id.in_(ids))
        .group_by(_READINGS.c.channel_id)
    )
    with _connection(target) as connection:
        rows = connection.execute(stmt).all()
    return {int(cid): ChannelActivity(int(last), int(n)) for cid, last, n in rows}
