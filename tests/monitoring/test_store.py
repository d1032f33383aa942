"""The time-series store on both backends: idempotent writes, range reads, downsampling.

Downsampling is checked against an independent computation: the same buckets formed with
numpy from the raw series (integer bucket index = (t - start) // width), so the SQL
grouping of both backends is compared with arithmetic done outside the database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from postmine.db import get_engine, session_scope
from postmine.monitoring.models import DeadLetter
from postmine.monitoring.store import (
    BATCH_ROWS,
    channel_activity,
    downsample,
    from_us,
    read_range,
    to_us,
    write_dead_letters,
    write_readings,
)

T0 = datetime(2026, 11, 25, tzinfo=UTC)
T0_US = 1_795_564_800_000_000  # 2026-11-25T00:00:00Z: 20,782 days x 86,400 s x 1e6
MINUTE_US = 60_000_000
VALUE_RTOL = 1e-12  # float64 values come back as stored; means differ by summation order


def test_to_us_is_the_unix_epoch_in_microseconds():
    # 1970-01-01 to 2026-11-25 is 20,782 days (56 years, 14 of them leap: 56·365 + 14 = 20,454
    # to 2026-01-01, plus 328 days to 25 November): 20,782 · 86,400 s = 1,795,564,800 s
    assert to_us(T0) == T0_US
    assert to_us("2026-11-25T07:00:00+07:00") == T0_US
    assert to_us(np.datetime64("2026-11-25T00:00:00.000001")) == T0_US + 1
    assert to_us(T0_US) == T0_US
    assert from_us(T0_US + 1) == T0 + timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("ts", "message"),
    [
        (datetime(2026, 11, 25), "timezone-aware"),
        ("2026-11-25T00:00:00", "timezone-aware"),
        ("25.11.2026", "ISO-8601"),
        (True, "must be a time"),
        (1.5, "must be a datetime"),
    ],
)
def test_to_us_refuses_times_without_a_zone(ts, message):
    with pytest.raises(ValueError, match=message):
        to_us(ts)


def test_write_and_read_a_range(site):
    channel = site.channels["pore_pressure"]
    rows = [(channel, T0 + timedelta(minutes=k), 100.0 + k) for k in range(10)]
    new = write_readings(site.url, rows)
    assert len(new) == 10
    assert {r.ts for r in new} == {T0 + timedelta(minutes=k) for k in range(10)}
    series = read_range(site.url, channel, T0 + timedelta(minutes=2), T0 + timedelta(minutes=5))
    # half-open range [2 min, 5 min): readings 2, 3 and 4
    assert_array_equal(series.ts_us, [T0_US + k * MINUTE_US for k in (2, 3, 4)])
    assert_allclose(series.value, [102.0, 103.0, 104.0], rtol=VALUE_RTOL)
    assert series.times[0] == np.datetime64("2026-11-25T00:02:00", "us")
    assert len(series) == 3


def test_channel_activity_is_the_newest_time_and_the_count(site):
    pressure, displacement = site.channels["pore_pressure"], site.channels["displacement"]
    rows = [(pressure, T0 + timedelta(minutes=k), 100.0 + k) for k in (3, 0, 7)]
    write_readings(site.url, [*rows, (displacement, T0, 1.0)])
    activity = channel_activity(site.url, [pressure, displacement, site.channels["temperature"]])
    assert activity == {pressure: (T0_US + 7 * MINUTE_US, 3), displacement: (T0_US, 1)}
    assert activity[pressure].last == T0 + timedelta(minutes=7)
    assert channel_activity(site.url, []) == {}


def test_writes_are_idempotent_and_order_free(site):
    channel = site.channels["displacement"]
    rng = np.random.default_rng(5)
    times = T0_US + np.arange(500) * MINUTE_US
    values = rng.normal(10.0, 1.0, 500)
    rows = [(channel, int(t), float(v)) for t, v in zip(times, values, strict=True)]
    shuffled = [rows[i] for i in rng.permutation(500)]
    assert len(write_readings(site.url, shuffled[:300])) == 300
    # the whole set again, reversed, with every reading twice: only the 200 missing are new
    again = list(reversed(rows)) + rows
    assert len(write_readings(site.url, again)) == 200
    series = read_range(site.url, channel, T0, T0 + timedelta(days=1))
    assert_array_equal(series.ts_us, times)
    assert_allclose(series.value, values, rtol=VALUE_RTOL)


def test_the_first_value_of_a_time_is_kept(site):
    channel = site.channels["temperature"]
    new = write_readings(site.url, [(channel, T0, 5.0), (channel, T0, 6.0)])
    assert [r.value for r in new] == [5.0]
    write_readings(site.url, [(channel, T0, 7.0)])
    assert_allclose(read_range(site.url, channel, T0, T0_US + 1).value, [5.0], rtol=VALUE_RTOL)


def test_more_rows_than_one_statement(site):
    channel = site.channels["pore_pressure"]
    n = 2 * BATCH_ROWS + 17
    rows = [(channel, T0_US + k, float(k)) for k in range(n)]
    assert len(write_readings(site.url, rows)) == n
    assert len(write_readings(site.url, rows[-BATCH_ROWS - 5 :])) == 0
    series = read_range(site.url, channel, T0, T0 + timedelta(seconds=1))
    assert len(series) == n
    assert_allclose(series.value, np.arange(n, dtype=float), rtol=VALUE_RTOL)


def test_session_target_writes_inside_its_transaction(site):
    channel = site.channels["pore_pressure"]
    with Session(get_engine(site.url)) as session:
        assert len(write_readings(session, [(channel, T0, 1.0)])) == 1
        assert len(read_range(session, channel, T0, T0_US + 1)) == 1
        session.rollback()
    assert len(read_range(site.url, channel, T0, T0_US + 1)) == 0
    with session_scope(site.url) as session:
        write_readings(session, [(channel, T0, 1.0)])
    assert len(read_range(get_engine(site.url), channel, T0, T0_US + 1)) == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ((1, T0), r"row 1 must be \(channel_id, ts, value\)"),
        ((1, T0, float("nan")), "row 1: value must be finite"),
        ((1, T0, float("inf")), "row 1: value must be finite"),
        ((1, T0, "12.5"), "row 1: value must be a number"),
        ((1, T0, True), "row 1: value must be a number"),
        ((1, datetime(2026, 11, 25), 1.0), "timezone-aware"),
        (("PZ-01", T0, 1.0), "channel must be a Channel or its id"),
    ],
)
def test_bad_rows_are_refused_and_nothing_is_written(site, row, message):
    channel = site.channels["pore_pressure"]
    with pytest.raises(ValueError, match=message):
        write_readings(site.url, [(channel, T0 + timedelta(hours=1), 1.0), row])
    assert len(read_range(site.url, channel, T0, T0 + timedelta(days=1))) == 0


def test_an_unknown_channel_is_a_foreign_key_error(site):
    with pytest.raises(IntegrityError):
        write_readings(site.url, [(999_999, T0, 1.0)])


def test_range_must_not_be_empty(site):
    with pytest.raises(ValueError, match="end must be after start"):
        read_range(site.url, site.channels["pore_pressure"], T0, T0)


def _buckets(ts: np.ndarray, values: np.ndarray, start: int, width: int):
    """Reference downsampling with numpy: min, max, mean and count per non-empty bucket."""
    index = (ts - start) // width
    keys = np.unique(index)
    return (
        start + keys * width,
        np.array([np.sum(index == k) for k in keys]),
        np.array([values[index == k].min() for k in keys]),
        np.array([values[index == k].max() for k in keys]),
        np.array([values[index == k].mean() for k in keys]),
    )


def test_downsample_matches_numpy_buckets(site):
    channel = site.channels["displacement"]
    rng = np.random.default_rng(11)
    # 3 days of 1-minute readings with a 6-hour gap on day 2 and a few spikes
    ts = T0_US + np.arange(3 * 1440) * MINUTE_US
    keep = ~((ts >= T0_US + 30 * 3600 * 10**6) & (ts < T0_US + 36 * 3600 * 10**6))
    ts = ts[keep]
    values = np.cumsum(rng.normal(0.0, 0.1, ts.size))
    values[rng.choice(ts.size, 5, replace=False)] += 50.0
    write_readings(
        site.url, list(zip([channel] * ts.size, ts.tolist(), values.tolist(), strict=True))
    )
    start, end = T0, T0 + timedelta(days=3)
    result = downsample(site.url, channel, start, end, 100)
    width = -(-(3 * 86_400 * 10**6) // 100)  # ceil(3 days / 100) = 2,592 s
    assert result.bucket_us == width == 2_592_000_000
    starts, counts, mins, maxs, means = _buckets(ts, values, T0_US, width)
    assert_array_equal(result.ts_us, starts)
    assert_array_equal(result.count, counts)
    assert_allclose(result.min, mins, rtol=VALUE_RTOL)
    assert_allclose(result.max, maxs, rtol=VALUE_RTOL)
    assert_allclose(result.mean, means, rtol=1e-9)
    assert len(result) < 100  # the 6-hour gap leaves empty buckets out
    assert result.max.max() == pytest.approx(values.max(), rel=VALUE_RTOL)  # spikes survive
    assert int(result.count.sum()) == ts.size


def test_downsample_an_empty_range_and_bad_arguments(site):
    channel = site.channels["displacement"]
    empty = downsample(site.url, channel, T0, T0 + timedelta(days=1), 10)
    assert len(empty) == 0 and empty.mean.dtype == np.float64
    for bad in (0, -3, 2.5, True):
        with pytest.raises(ValueError, match="n_points must be an integer >= 1"):
            downsample(site.url, channel, T0, T0 + timedelta(days=1), bad)


def test_more_points_than_microseconds_gives_one_microsecond_buckets(site):
    channel = site.channels["displacement"]
    write_readings(site.url, [(channel, T0_US + k, float(k)) for k in range(4)])
    result = downsample(site.url, channel, T0_US, T0_US + 4, 1000)
    assert result.bucket_us == 1
    assert_array_equal(result.count, [1, 1, 1, 1])


def test_dead_letters_are_stored(site):
    when = datetime(2026, 11, 25, 7, tzinfo=timezone(timedelta(hours=7)))
    letter = DeadLetter(received_at=when, topic="postmine/1/X/y", payload="{", reason="bad")
    assert write_dead_letters(site.url, [letter]) == 1
    with session_scope(site.url) as session:
        stored = session.scalars(select(DeadLetter)).one()
    assert (stored.topic, stored.payload, stored.reason) == ("postmine/1/X/y", "{", "bad")
    assert stored.received_at == datetime(2026, 11, 25, tzinfo=UTC)


def test_readings_table_layout(site):
    with get_engine(site.url).connect() as connection:
        inspector = inspect(connection)
        assert inspector.get_pk_constraint("readings")["constrained_columns"] == [
            "channel_id",
            "ts_us",
        ]
        if connection.dialect.name == "sqlite":
            sql = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'readings'")
            ).scalar_one()
            assert "WITHOUT ROWID" in sql
        else:  # the primary key index serves the range query
            plan = connection.execute(
                text(
                    "EXPLAIN SELECT ts_us, value FROM readings WHERE channel_id = 1 "
                    "AND ts_us >= 0 AND ts_us < 10 ORDER BY ts_us"
                )
            ).scalars()
            assert "pk_readings" in "\n".join(plan)
