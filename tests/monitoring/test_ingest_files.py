"""Logger files (CSV, TOA5, Excel) ingested into a registry, and the files refused.

Expected values are worked by hand from the unit definitions (1 bar = 100 kPa, 1 m = 1000 mm,
°C = (°F - 32)·5/9) and the calendar (2026-11-25T00:00:00Z = 1,795,564,800 s since 1970;
Krasnoyarsk time is UTC+7 all year since 2014).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sqlalchemy import func, select

from postmine.db import session_scope
from postmine.monitoring.ingest_files import ingest_file, read_logger_file
from postmine.monitoring.models import DeadLetter, ReadingRow
from postmine.monitoring.store import read_range

T0 = 1_795_564_800  # 2026-11-25T00:00:00Z [s]
T0_US = T0 * 1_000_000
HOUR_US = 3_600_000_000
VALUE_RTOL = 1e-12  # one float64 multiplication per conversion


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
