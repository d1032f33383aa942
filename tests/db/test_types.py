"""The portable column types of postmine.db.types, stored and read back on SQLite."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from shapely.geometry import Point, Polygon
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import StatementError

from postmine.db import (
    MONEY,
    PORTABLE_JSON,
    SRID,
    PortableGeometry,
    RecordValueError,
    UTCDateTime,
    from_wkb,
    to_wkb,
    utc_now,
    utc_today,
)

_metadata = MetaData()
_things = Table(
    "things",
    _metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime()),
    Column("amount", MONEY),
    Column("doc", PORTABLE_JSON),
    Column("geom", PortableGeometry()),
)


@pytest.fixture
def engine():
    engine = create_engine("sqlite://")
    _metadata.create_all(engine)
    yield engine
    engine.dispose()


def test_timestamps_come_back_aware_in_utc(engine):
    krasnoyarsk = timezone(timedelta(hours=7))
    with engine.begin() as connection:
        connection.execute(
            insert(_things).values(at=datetime(2026, 5, 1, 19, 0, tzinfo=krasnoyarsk))
        )
        stored = connection.execute(select(_things.c.at)).scalar_one()
    assert stored == datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    assert stored.tzinfo is UTC


def test_a_naive_timestamp_is_refused(engine):
    with engine.begin() as connection, pytest.raises(StatementError) as caught:
        connection.execute(insert(_things).values(at=datetime(2026, 5, 1, 12)))
    assert isinstance(caught.value.orig, RecordValueError)
    assert "timestamps must be timezone-aware" in str(caught.value.orig)


def test_money_json_and_geometry_round_trip(engine):
    outline = Polygon([(88.0, 53.0), (88.1, 53.0), (88.1, 53.1), (88.0, 53.0)])
    with engine.begin() as connection:
        connection.execute(insert(_things).values(amount=1234.567, doc={"Fe": 0.31}, geom=outline))
        amount, doc, geom = connection.execute(
            select(_things.c.amount, _things.c.doc, _things.c.geom)
        ).one()
    # NUMERIC(18, 2) read back as float; PostgreSQL rounds to the kopeck, SQLite keeps REAL
    assert amount == pytest.approx(1234.567, abs=0.005)
    assert isinstance(amount, float)
    assert doc == {"Fe": 0.31}
    assert geom.equals(outline)


def test_geometry_column_per_dialect():
    geometry = PortableGeometry()
    pg_ddl = geometry.load_dialect_impl(postgresql.dialect()).compile(postgresql.dialect())
    assert pg_ddl == f"geometry(GEOMETRY,{SRID})"
    assert geometry.load_dialect_impl(sqlite.dialect()).compile(sqlite.dialect()) == "BLOB"
    with pytest.raises(NotImplementedError, match="always bound as parameters"):
        geometry.process_literal_param(Point(0, 0), sqlite.dialect())


def test_json_is_jsonb_on_postgresql():
    assert PORTABLE_JSON.compile(postgresql.dialect()) == "JSONB"
    assert PORTABLE_JSON.compile(sqlite.dialect()) == "JSON"


def test_wkb_round_trip():
    point = Point(88.1, 53.7)
    assert to_wkb(point)[:1] == b"\x01"  # little-endian
    assert from_wkb(memoryview(to_wkb(point))).equals(point)


def test_clock_defaults_are_utc():
    assert utc_now().tzinfo is UTC
    assert utc_today() == datetime.now(UTC).date()
