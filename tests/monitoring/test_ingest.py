"""Ingestion: the MQTT payload format (no broker) and logger files (CSV, TOA5, Excel).

Expected values are worked by hand from the unit definitions (1 bar = 100 kPa, 1 m = 1000 mm,
°C = (°F - 32)·5/9) and the calendar (2026-11-25T00:00:00Z = 1,795,564,800 s since 1970;
Krasnoyarsk time is UTC+7 all year since 2014).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sqlalchemy import func, select

from postmine.db import session_scope
from postmine.monitoring.channels import ChannelRef
from postmine.monitoring.ingest import (
    MAX_READINGS_PER_MESSAGE,
    ingest_file,
    parse_message,
    parse_topic,
    read_logger_file,
    topic_of,
)
from postmine.monitoring.models import DeadLetter, ReadingRow
from postmine.monitoring.store import Reading, read_range

T0 = 1_795_564_800  # 2026-11-25T00:00:00Z [s]
T0_US = T0 * 1_000_000
HOUR_US = 3_600_000_000
VALUE_RTOL = 1e-12  # one float64 multiplication per conversion

PRESSURE = ChannelRef(
    id=7, site_id=3, sensor_code="PZ-01", name="pore_pressure", unit="kPa", source_unit="bar"
)
CHANNELS = {PRESSURE.address: PRESSURE}
TOPIC = "postmine/3/PZ-01/pore_pressure"


# --- the payload format ------------------------------------------------------------------------


def test_topics():
    assert topic_of(3, "PZ-01", "pore_pressure") == TOPIC
    assert parse_topic(TOPIC) == (3, "PZ-01", "pore_pressure")
    assert parse_topic("site/3/PZ-01/x", prefix="site") == (3, "PZ-01", "x")


def test_one_reading_in_each_time_form():
    forms = [
        "2026-11-25T00:00:00Z",
        "2026-11-25T07:00:00+07:00",  # Krasnoyarsk: the same instant
        "2026-11-25T00:00:00.000000+00:00",
        T0,
        float(T0),
    ]
    for ts in forms:
        readings = parse_message(TOPIC, json.dumps({"ts": ts, "value": 1.013}), CHANNELS)
        assert readings == [Reading(7, T0_US, pytest.approx(101.3, rel=VALUE_RTOL))], ts


def test_microseconds_survive_seconds_as_a_json_number():
    readings = parse_message(TOPIC, b'{"ts": 1795564800.000001, "value": 1}', CHANNELS)
    assert isinstance(readings, list)
    assert readings[0].ts_us == T0_US + 1


def test_a_batch_with_units_per_reading():
    payload = [
        {"ts": T0, "value": 1.0},  # the channel's source unit: bar
        {"ts": T0 + 60, "value": 150.0, "unit": "kPa"},
        {"ts": T0 + 120, "value": 2.0, "unit": "bar"},
        {"ts": T0 + 180, "value": 1000.0, "unit": "hPa"},
    ]
    readings = parse_message(TOPIC, json.dumps(payload).encode(), CHANNELS)
    assert isinstance(readings, list)
    assert_array_equal([r.ts_us for r in readings], [T0_US + k * 60_000_000 for k in range(4)])
    assert_allclose([r.value for r in readings], [100.0, 150.0, 200.0, 100.0], rtol=VALUE_RTOL)
    assert {r.channel_id for r in readings} == {7}


@pytest.mark.parametrize(
    ("topic", "payload", "reason"),
    [
        ("postmine/3/PZ-01", b"{}", "topic must be postmine/<site_id>/<sensor>/<channel>"),
        ("postmine/x/PZ-01/pore_pressure", b"{}", "site_id in topic"),
        ("postmine/3/PZ-01/level", b"{}", "no channel 'level' of sensor 'PZ-01' at site 3"),
        (TOPIC, b"\xff", "payload is not UTF-8"),
        (TOPIC, b"", "payload is not JSON"),
        (TOPIC, b"12.5", "payload must be a JSON object or an array of objects, got float"),
        (TOPIC, b"[]", "payload holds no readings"),
        (TOPIC, b"[1]", "reading 0 must be an object, got 1"),
        (TOPIC, b'{"value": 1}', "reading 0: ts and value are required"),
        (TOPIC, b'{"ts": 0, "val": 1}', "reading 0: unknown key 'val'"),
        (TOPIC, b'{"ts": "2026-11-25 00:00", "value": 1}', "must carry its UTC offset"),
        (TOPIC, b'{"ts": "25.11.2026", "value": 1}', "ts must be an ISO-8601 time"),
        (TOPIC, b'{"ts": 1795564800000, "value": 1}', "after 2200: milliseconds? send seconds"),
        (TOPIC, b'{"ts": -3000000000, "value": 1}', "ts must lie in 1900..2200"),
        (TOPIC, b'{"ts": true, "value": 1}', "ts must be an ISO-8601 string or seconds"),
        (TOPIC, b'{"ts": NaN, "value": 1}', "ts must be finite"),
        (TOPIC, b'{"ts": 0, "value": null}', "value must be a finite number, got None"),
        (TOPIC, b'{"ts": 0, "value": "1.2"}', "value must be a finite number, got '1.2'"),
        (TOPIC, b'{"ts": 0, "value": true}', "value must be a finite number, got True"),
        (TOPIC, b'{"ts": 0, "value": Infinity}', "value must be a finite number, got inf"),
        (TOPIC, b'{"ts": 0, "value": 1' + b"0" * 400 + b"}", "an integer of 401 digits"),
        (TOPIC, b'{"ts": 1' + b"0" * 400 + b', "value": 1}', "ts must lie in 1900..2200"),
        (TOPIC, b'{"ts": 0, "value": 1, "unit": 5}', "unit must be text"),
        (TOPIC, b'{"ts": 0, "value": 1, "unit": "mm"}', "cannot convert mm to kPa"),
        (TOPIC, b'{"ts": 0, "value": 1, "unit": "kPaa"}', "unknown unit 'kPaa'"),
        (
            TOPIC,
            b'[{"ts": 0, "value": 1}, {"ts": 60, "value": 2}, {"ts": 120, "value": []}]',
            "reading 2: value must be a finite number",
        ),
    ],
)
def test_malformed_messages_become_dead_letters_with_the_reason(topic, payload, reason):
    received = datetime(2026, 11, 25, 1, tzinfo=UTC)
    letter = parse_message(topic, payload, CHANNELS, received_at=received)
    assert isinstance(letter, DeadLetter)
    assert reason in letter.reason
    assert (letter.topic, letter.received_at) == (topic, received)
    assert letter.payload == payload.decode("utf-8", errors="backslashreplace")


def test_too_many_readings_in_one_message():
    payload = json.dumps([{"ts": 0, "value": 1}] * (MAX_READINGS_PER_MESSAGE + 1))
    letter = parse_message(TOPIC, payload, CHANNELS)
    assert isinstance(letter, DeadLetter)
    assert letter.reason == "payload holds 100001 readings, more than 100000"


# --- logger files ------------------------------------------------------------------------------


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _count(url: str, model: type) -> int:
    with session_scope(url) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_csv_file_with_units_in_the_header(site, tmp_path):
    path = _write(
        tmp_path / "logger.csv",
        "timestamp,PZ-01/pore_pressure [bar],PZ-01/temperature,PR-07/displacement [m]\n"
        "2026-11-25T00:00:00Z,1.013,5.5,0.0\n"
        "2026-11-25T01:00:00Z,1.020,,0.0021\n"
        "2026-11-25T02:00:00Z,NAN,5.4,0.0043\n",
    )
    report = ingest_file(path, site.url, site_id=site.site_id)
    assert (report.rows, report.readings, report.stored, report.missing) == (3, 7, 7, 2)
    assert report.dead_letters == 0 and report.duplicates == 0
    assert report.first_ts == datetime(2026, 11, 25, tzinfo=UTC)
    assert report.last_ts == datetime(2026, 11, 25, 2, tzinfo=UTC)
    end = T0_US + 3 * HOUR_US
    pressure = read_range(site.url, site.channels["pore_pressure"], T0_US, end)
    assert_array_equal(pressure.ts_us, [T0_US, T0_US + HOUR_US])
    assert_allclose(pressure.value, [101.3, 102.0], rtol=VALUE_RTOL)  # bar -> kPa
    displacement = read_range(site.url, site.channels["displacement"], T0_US, end)
    assert_allclose(displacement.value, [0.0, 2.1, 4.3], rtol=VALUE_RTOL)  # m -> mm
    temperature = read_range(site.url, site.channels["temperature"], T0_US, end)
    assert_array_equal(temperature.ts_us, [T0_US, T0_US + 2 * HOUR_US])
    # the same file again: everything is a duplicate
    again = ingest_file(path, site.url, site_id=site.site_id)
    assert (again.stored, again.duplicates) == (0, 7)
    assert _count(site.url, ReadingRow) == 7


TOA5 = (
    '"TOA5","PZ01_logger","CR1000","12345","CR1000.Std.32","CPU:pz.CR1","4321","Hourly"\n'
    '"TIMESTAMP","RECORD","pore_pressure","temperature","BattV"\n'
    '"TS","RN","kPa","Deg F","Volts"\n'
    '"","","Smp","Smp","Smp"\n'
    '"2026-11-25 07:00:00",1,101.3,41,12.6\n'
    '"2026-11-25 08:00:00",2,101.5,42.8,12.6\n'
)


def test_a_campbell_toa5_file_in_local_time(site, tmp_path):
    path = _write(tmp_path / "PZ01_Hourly.dat", TOA5)
    table = read_logger_file(path)
    assert table.header == ["TIMESTAMP", "", "pore_pressure", "temperature", "BattV"]
    assert table.units[2:] == ["kPa", "Deg F", "Volts"]
    report = ingest_file(
        path,
        site.url,
        site_id=site.site_id,
        sensor="PZ-01",
        columns={"BattV": None},
        timezone="+07:00",
    )
    assert (report.rows, report.stored) == (2, 4)
    temperature = read_range(site.url, site.channels["temperature"], T0_US, T0_US + 2 * HOUR_US)
    # 07:00 at UTC+7 is 00:00 UTC; 41 °F = 5 °C, 42.8 °F = 6 °C
    assert_array_equal(temperature.ts_us, [T0_US, T0_US + HOUR_US])
    assert_allclose(temperature.value, [5.0, 6.0], rtol=VALUE_RTOL)


def test_an_excel_file_with_dates_in_a_named_zone(site, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "data"
    sheet.append(["Date_Time", "displacement [mm]"])
    sheet.append([datetime(2026, 11, 25, 7, 0), 1.25])
    sheet.append([datetime(2026, 11, 25, 8, 0), 1.5])
    sheet.append([45987.5, 1.75])  # a serial date without a date format
    path = tmp_path / "prism.xlsx"
    workbook.save(path)
    report = ingest_file(
        path, site.url, site_id=site.site_id, sensor="PR-07", timezone="Asia/Krasnoyarsk"
    )
    assert (report.rows, report.stored, report.dead_letters) == (3, 2, 1)
    series = read_range(site.url, site.channels["displacement"], T0_US, T0_US + 2 * HOUR_US)
    assert_array_equal(series.ts_us, [T0_US, T0_US + HOUR_US])
    assert_allclose(series.value, [1.25, 1.5], rtol=VALUE_RTOL)
    with session_scope(site.url) as session:
        letter = session.scalars(select(DeadLetter)).one()
    assert letter.topic == "file:prism.xlsx:4"
    assert "the time is a number (45987.5)" in letter.reason


def test_a_semicolon_file_with_decimal_commas_and_bad_rows(site, tmp_path):
    path = _write(
        tmp_path / "pz.csv",
        "Дата;pore_pressure [kPa]\n"
        "25.11.2026 07:00;101,3\n"
        "25.11.2026 08:00;101,4\n"
        "2026-11-25;101,5\n"
        "25.11.2026 10:00;ошибка\n"
        "25.11.2026 11:00;101,7\n",
    )
    report = ingest_file(
        path,
        site.url,
        site_id=site.site_id,
        sensor="PZ-01",
        time_column="Дата",
        time_format="%d.%m.%Y %H:%M",
        timezone="Asia/Krasnoyarsk",
        decimal=",",
    )
    assert (report.rows, report.readings, report.stored, report.dead_letters) == (5, 3, 3, 2)
    series = read_range(site.url, site.channels["pore_pressure"], T0_US, T0_US + 5 * HOUR_US)
    assert_array_equal(series.ts_us, [T0_US, T0_US + HOUR_US, T0_US + 4 * HOUR_US])
    assert_allclose(series.value, [101.3, 101.4, 101.7], rtol=VALUE_RTOL)
    with session_scope(site.url) as session:
        letters = {d.topic: d.reason for d in session.scalars(select(DeadLetter))}
    assert letters == {
        "file:pz.csv:4": "time '2026-11-25' does not match format '%d.%m.%Y %H:%M'",
        "file:pz.csv:5": "column 'pore_pressure': value must be a number, got 'ошибка'",
    }


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("ts,PZ-01/level\n2026-11-25T00:00:00Z,1\n", {}, "no channel of site .* 'PZ-01/level'"),
        ("ts,BattV\n2026-11-25T00:00:00Z,1\n", {}, "column\\(s\\) 'BattV'; name them"),
        ("ts,x\n", {"columns": {"x": None}}, "has no channel columns"),
        ("ts,PZ-01/pore_pressure [mm]\n", {}, "column 'PZ-01/pore_pressure': cannot convert mm"),
        ("ts,a,a\n", {}, "column names repeat: a"),
        ("\n\n", {}, "holds no rows"),
        ("ts,PZ-01/pore_pressure\n", {"time_column": "Time"}, "has no column 'Time'"),
        ("ts,PZ-01/pore_pressure\n", {"timezone": "Mars/Olympus"}, "timezone must be UTC"),
        ("ts,PZ-01/pore_pressure\n", {"sheet": "data"}, "sheet is only for Excel files"),
    ],
)
def test_files_that_cannot_be_ingested_write_nothing(site, tmp_path, text, kwargs, message):
    path = _write(tmp_path / "bad.csv", text)
    with pytest.raises(ValueError, match=message):
        ingest_file(path, site.url, site_id=site.site_id, **kwargs)
    assert _count(site.url, ReadingRow) == 0
    assert _count(site.url, DeadLetter) == 0
