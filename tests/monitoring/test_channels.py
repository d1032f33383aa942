"""Sensors and channels: the schema's declarations, the checks, the migration, the look-ups."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, inspect
from sqlalchemy.exc import IntegrityError

from postmine.db import (
    Base,
    RecordValueError,
    column_info,
    current_revision,
    downgrade_db,
    get_engine,
    include_in_autogenerate,
    init_db,
    session_scope,
)
from postmine.monitoring.channels import (
    add_channel,
    add_sensor,
    channel_refs,
    find_channel,
    get_channel,
    get_sensor,
    list_channels,
)
from postmine.monitoring.models import SENSOR_TYPES, Channel, Sensor
from postmine.monitoring.units import UnitError
from postmine.registry import records
from postmine.registry.records.sites import insert_site

MONITORING_TABLES = ("sensors", "channels", "readings", "dead_letters", "alerts", "alert_events")


def test_every_monitoring_column_declares_unit_and_description():
    for table in MONITORING_TABLES:
        for name, info in column_info(table).items():
            assert info.get("unit"), f"{table}.{name} has no unit"
            assert info.get("description", "").endswith("."), f"{table}.{name}"


def test_migration_0003_creates_and_removes_the_tables(empty_db_url):
    assert init_db(empty_db_url) == "0003"
    with get_engine(empty_db_url).connect() as connection:
        assert set(MONITORING_TABLES) <= set(inspect(connection).get_table_names())
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": include_in_autogenerate(connection.dialect.name),
            },
        )
        assert compare_metadata(context, Base.metadata) == []
        inspector = inspect(connection)
        for table in MONITORING_TABLES:
            declared = {
                str(c.name)
                for c in Base.metadata.tables[table].constraints
                if c.name and str(c.name).startswith("ck_")
            }
            found = {str(c["name"]) for c in inspector.get_check_constraints(table)}
            assert declared == found, table
    downgrade_db(empty_db_url, "0002")
    assert current_revision(empty_db_url) == "0002"
    with get_engine(empty_db_url).connect() as connection:
        assert not set(MONITORING_TABLES) & set(inspect(connection).get_table_names())
    assert init_db(empty_db_url) == "0003"


def test_sensor_and_channel_round_trip(site):
    with session_scope(site.url) as session:
        channel = find_channel(session, site.site_id, "PZ-01", "pore_pressure")
        sensor = get_sensor(session, channel.sensor_id)
        assert (channel.quantity, channel.unit, channel.source_unit) == (
            "pore_pressure",
            "kPa",
            "bar",
        )
        assert (sensor.type, sensor.object_id, sensor.expected_interval_s) == (
            "piezometer",
            site.object_id,
            600.0,
        )
        assert sensor.calibration_due_on == date(2027, 1, 10)
        assert [c.name for c in sensor.channels] == ["pore_pressure", "temperature"]
        assert get_channel(session, site.channels["temperature"]).unit == "degC"
        names = [c.name for c in list_channels(session, site_id=site.site_id)]
        assert names == ["pore_pressure", "temperature", "displacement"]
    refs = channel_refs(get_engine(site.url))
    ref = refs[(site.site_id, "PR-07", "displacement")]
    assert (ref.id, ref.unit, ref.source_unit) == (site.channels["displacement"], "mm", "mm")


def test_every_sensor_type_is_accepted_by_the_database(site):
    with session_scope(site.url) as session:
        for k, kind in enumerate(SENSOR_TYPES):
            add_sensor(
                session, site_id=site.site_id, code=f"S{k}", type=kind, expected_interval_s=60
            )


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"code": "PZ-01"}, RecordValueError, "site .* already has a sensor 'PZ-01'"),
        ({"code": "PZ/01"}, RecordValueError, r"code must have no .* '/', '\+' or '#'"),
        ({"code": " PZ-02"}, RecordValueError, "no surrounding blanks"),
        ({"code": ""}, RecordValueError, "code must be non-empty text"),
        (
            {"type": "seismometer"},
            RecordValueError,
            "type must be one of 'piezometer', 'inclinometer'",
        ),
        ({"expected_interval_s": 0}, RecordValueError, "expected_interval_s must be > 0 s"),
        ({"lat": 91.0}, RecordValueError, "lat must be in -90..90"),
        (
            {"calibrated_on": date(2026, 5, 1), "calibration_due_on": date(2026, 4, 1)},
            RecordValueError,
            "calibration_due_on must be on or after calibrated_on",
        ),
        ({"installed_on": datetime(2026, 5, 1)}, RecordValueError, "installed_on must be a date"),
        ({"site_id": 999}, records.NotFoundError, "site 999 not found"),
    ],
)
def test_bad_sensors_are_refused(site, changes, error, message):
    arguments = {
        "site_id": site.site_id,
        "code": "PZ-02",
        "type": "piezometer",
        "expected_interval_s": 600,
    } | changes
    with session_scope(site.url) as session, pytest.raises(error, match=message):
        add_sensor(session, **arguments)


def test_the_object_must_be_of_the_sensors_site(site):
    with session_scope(site.url) as session:
        other = insert_site(session, name="Izykh", region="Khakassia")
    with (
        session_scope(site.url) as session,
        pytest.raises(
            RecordValueError, match=f"object {site.object_id} is not an object of site {other.id}"
        ),
    ):
        add_sensor(
            session,
            site_id=other.id,
            code="PZ-01",  # free at the other site
            type="piezometer",
            expected_interval_s=600,
            object_id=site.object_id,
        )


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"name": "pore_pressure"}, RecordValueError, "already has a channel 'pore_pressure'"),
        ({"name": "pore#2"}, RecordValueError, "name must have no"),
        ({"quantity": "pressure"}, RecordValueError, "quantity must be one of pore_pressure"),
        ({"source_unit": "mm"}, UnitError, "cannot convert mm to kPa"),
        ({"source_unit": "barr"}, UnitError, "unknown unit 'barr'"),
    ],
)
def test_bad_channels_are_refused(site, changes, error, message):
    arguments = {"name": "pressure_2", "quantity": "pore_pressure"} | changes
    with session_scope(site.url) as session:
        sensor = find_channel(session, site.site_id, "PZ-01", "pore_pressure").sensor
        with pytest.raises(error, match=message):
            add_channel(session, sensor, **arguments)


def test_missing_rows_are_not_found(site):
    with session_scope(site.url) as session:
        with pytest.raises(records.NotFoundError, match="channel '1/PZ-01/level' not found"):
            find_channel(session, 1, "PZ-01", "level")
        with pytest.raises(records.NotFoundError, match="sensor 999 not found"):
            add_channel(session, 999, name="x", quantity="tilt")
        with pytest.raises(records.NotFoundError, match="channel 999 not found"):
            get_channel(session, 999)


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"type": "seismometer"}, "ck_sensors_type_choice"),
        ({"code": "PZ/9"}, "ck_sensors_code_topic_safe"),
        ({"expected_interval_s": -1.0}, "ck_sensors_expected_interval_s_range"),
        (
            {"calibrated_on": date(2026, 5, 1), "calibration_due_on": date(2026, 4, 1)},
            "ck_sensors_calibration_order",
        ),
    ],
)
def test_the_database_refuses_bad_sensor_rows(site, values, constraint):
    row = {
        "site_id": site.site_id,
        "code": "PZ-09",
        "type": "piezometer",
        "expected_interval_s": 60.0,
        "created_at": datetime.fromisoformat("2026-11-25T00:00:00+00:00"),
    } | values
    with get_engine(site.url).connect() as connection:  # Core: no Python-side check
        with pytest.raises(IntegrityError, match=constraint):
            connection.execute(insert(Sensor.__table__).values(**row))
        connection.rollback()


def test_the_database_refuses_an_unknown_quantity(site):
    with get_engine(site.url).connect() as connection:
        with pytest.raises(IntegrityError, match="ck_channels_quantity_choice"):
            connection.execute(
                insert(Channel.__table__).values(
                    sensor_id=1,
                    name="x",
                    quantity="pressure",
                    unit="kPa",
                    source_unit="kPa",
                    created_at=datetime.fromisoformat("2026-11-25T00:00:00+00:00"),
                )
            )
        connection.rollback()
