"""Statistics in the long format on both backends: import all or nothing, export, a crash.

The row operation :func:`postmine.registry.io.import_statistics` is tested here; the sample
is imported through the registry's write verb
(:func:`postmine.registry.actions.import_sample_statistics`, its ledger entries are tested in
``tests/registry/actions/test_statistics.py``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from numpy.testing import assert_allclose
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from postmine.db import session_scope
from postmine.registry import actions, io
from postmine.registry.statistics_model import Statistic

ROUND_TRIP_RTOL = 1e-12  # a value written and read back (repr of a float, WKB)
N_ROWS = 1000  # rows of the all-or-nothing test files
BAD_ROW = 500  # the bad row among them (data row, 1-based)
HEADER_LINES = 3  # two comment lines and the header before the first data row
SAMPLE_ROWS = {"002-table-1": 40, "002-table-2": 85}  # data rows of the two shipped files


def count(url: str, model: type) -> int:
    with session_scope(url) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def imported(url: str, function, *args, **kwargs):
    """Run an import (or any registry function) in its own session_scope."""
    with session_scope(url) as session:
        return function(session, *args, **kwargs)


@pytest.fixture
def registry(tmp_path):
    """The actor that imports the sample and signs its ledger entries."""
    return actions.actor_from_keyring("registry", tmp_path / "keys")


def write_statistics_csv(path: Path, n: int, bad: dict[int, dict[str, str]] | None = None) -> Path:
    """A long-format file of n rows; ``bad`` replaces cells of some data rows (1-based)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write('# Test statistics, a "quoted, comma" note\n# Source: made up for the test\n')
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(io.STATISTICS_FIELDS)
        for i in range(1, n + 1):
            row = {
                "dataset": "test",
                "region": f"Region {i:04d}",
                "year": "2020",
                "indicator": "waste",
                "name": "Waste generated",
                "value": f"{i * 1.5}",
                "unit": "thousand t",
            }
            row.update((bad or {}).get(i, {}))
            writer.writerow([row[c] for c in io.STATISTICS_FIELDS])
    return path


def test_sample_statistics_import_through_the_normal_path(db_url, registry):
    with session_scope(db_url) as session:
        reports = actions.import_sample_statistics(session, registry)
    assert [r.records for r in reports] == ["statistics", "statistics"]
    assert [r.inserted for r in reports] == list(SAMPLE_ROWS.values())
    assert [Path(r.path).name for r in reports] == list(io.SAMPLE_STATISTICS)
    assert all(len(r.sha256) == 64 and len(r.ids) == r.inserted for r in reports)
    with session_scope(db_url) as session:
        by_dataset = dict(
            session.execute(
                select(Statistic.dataset, func.count()).group_by(Statistic.dataset)
            ).all()
        )
        kostanay = session.scalars(
            select(Statistic).where(Statistic.region == "Kostanay", Statistic.year == 2019)
        ).one()
    assert by_dataset == SAMPLE_ROWS
    assert_allclose(kostanay.value, 1_156_195.5, rtol=ROUND_TRIP_RTOL)  # 002 Table 2
    assert kostanay.unit == "thousand t"
    assert kostanay.source.startswith("002_b2427c8d01690973.txt lines 150-171")


def test_a_second_import_is_refused_or_replaces(db_url, registry):
    with session_scope(db_url) as session:
        actions.import_sample_statistics(session, registry)
    with pytest.raises(io.RegistryImportError, match=r"row 7, field 'indicator'.*already in"):
        imported(db_url, actions.import_sample_statistics, registry)
    with session_scope(db_url) as session:
        reports = actions.import_sample_statistics(session, registry, on_conflict="replace")
    assert [(r.inserted, r.replaced) for r in reports] == [(0, 40), (0, 85)]
    assert count(db_url, Statistic) == sum(SAMPLE_ROWS.values())


def test_bad_row_500_of_1000_leaves_the_registry_unchanged(db_url, tmp_path, registry):
    with session_scope(db_url) as session:
        actions.import_sample_statistics(session, registry)
    before = count(db_url, Statistic)
    path = write_statistics_csv(tmp_path / "s.csv", N_ROWS, {BAD_ROW: {"value": "12,5"}})
    line = BAD_ROW + HEADER_LINES
    with pytest.raises(io.RegistryImportError) as caught:
        imported(db_url, io.import_statistics, path)
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.row, error.field, error.value) == (line, "value", "12,5")
    assert str(error).startswith(f"s.csv, row {line}, field 'value': value must be a number")
    assert str(error).endswith("nothing was imported")
    assert count(db_url, Statistic) == before
    good = write_statistics_csv(tmp_path / "good.csv", N_ROWS)
    with session_scope(db_url) as session:
        report = io.import_statistics(session, good)
    assert report.inserted == N_ROWS
    assert count(db_url, Statistic) == before + N_ROWS


@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        ({"year": "20x5"}, "year", r"year must be a number"),
        ({"year": "1700"}, "year", r"year must be in 1800\.\.2200, got 1700"),
        ({"year": "2020.5"}, "year", r"year must be a whole number"),
        ({"value": "inf"}, "value", r"value must be finite"),
        ({"unit": ""}, "unit", r"unit is required"),
        ({"region": "x" * 201}, "region", r"region must be at most 200 characters"),
        (
            {"region": "Region 0001"},
            "indicator",
            r"dataset='test', region='Region 0001', year=2020, indicator='waste' appears twice "
            r"in the file \(first in row 4\)",
        ),
    ],
)
def test_each_bad_field_is_named(db_url, tmp_path, bad, field, message):
    path = write_statistics_csv(tmp_path / "s.csv", 10, {5: bad})
    with pytest.raises(io.RegistryImportError, match=rf"row 8, field '{field}': {message}"):
        imported(db_url, io.import_statistics, path)
    assert count(db_url, Statistic) == 0


def test_every_problem_is_listed(db_url, tmp_path):
    path = write_statistics_csv(tmp_path / "s.csv", 20, {3: {"year": "x"}, 9: {"value": "y"}})
    with pytest.raises(io.RegistryImportError, match=r"and 1 more problem\(s\) in rows 12\)") as e:
        imported(db_url, io.import_statistics, path)
    assert [(p.row, p.field) for p in e.value.problems] == [(6, "year"), (12, "value")]


@pytest.mark.parametrize(
    ("text", "suffix", "message"),
    [
        ("dataset,region,year\nd,r,2020\n", ".csv", r"row 1, field 'indicator': the header has no"),
        ("# only a comment\n", ".csv", r"file: the table has no header row"),
        ("dataset,dataset\n", ".csv", r"row 1, field 'dataset': column appears twice"),
        ("a,b\n1,2,3\n", ".csv", r"row 2: row has 3 cells, the header has 2 columns"),
        ("\xff\xfe", ".csv", r"file: a CSV file must be UTF-8 text"),
        ("a,b\n1,2\n3," + "x" * 200_000 + "\n", ".csv", r"row 3: CSV cannot be read: field larger"),
        ("x", ".ods", r"a table must be \.csv or \.xlsx, got '\.ods'"),
        ("not a zip", ".xlsx", r"not an Excel \.xlsx workbook"),
    ],
)
def test_unreadable_tables(db_url, tmp_path, text, suffix, message):
    path = tmp_path / f"t{suffix}"
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(io.RegistryImportError, match=message), session_scope(db_url) as session:
        io.import_statistics(session, path)


def test_a_missing_file_is_named(db_url, tmp_path):
    with pytest.raises(io.RegistryImportError, match="no such file"):
        imported(db_url, io.import_statistics, tmp_path / "none.csv")


def test_excel_rows_are_numbered_as_in_the_sheet(db_url, tmp_path):
    workbook = Workbook()
    ws = workbook.active
    ws.append(["# 002 Table 2 (two rows)"])
    ws.append([])
    ws.append([c.upper() for c in io.STATISTICS_FIELDS])
    ws.append(["t", "Pavlodar", 2019, "stock", "Stock", 608570.9, "thousand t"])
    ws.append(["t", "Akmola", 2019, "stock", "Stock", "n/a", "thousand t"])
    path = tmp_path / "s.xlsx"
    workbook.save(path)
    with pytest.raises(io.RegistryImportError, match=r"row 5, field 'value'.*got 'n/a'"):
        imported(db_url, io.import_statistics, path)
    ws.cell(row=5, column=6, value=25998.8)
    workbook.save(path)
    with session_scope(db_url) as session:
        report = io.import_statistics(session, path, source="002 Table 2")
    assert report.inserted == 2
    with session_scope(db_url) as session:
        rows = session.scalars(select(Statistic).order_by(Statistic.region)).all()
    assert [(r.region, r.year, r.source) for r in rows] == [
        ("Akmola", 2019, "002 Table 2"),
        ("Pavlodar", 2019, "002 Table 2"),
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_statistics_export_round_trip(db_url, tmp_path, suffix, registry):
    with session_scope(db_url) as session:
        actions.import_sample_statistics(session, registry)
        stored = {
            (s.dataset, s.region, s.year, s.indicator): (s.value, s.unit, s.source)
            for s in session.scalars(select(Statistic))
        }
        path = tmp_path / f"out{suffix}"
        assert io.export_statistics(session, path) == len(stored)
        assert io.export_statistics(session, tmp_path / f"t2{suffix}", dataset="002-table-2") == 85
        assert io.export_statistics(session, tmp_path / f"k{suffix}", region="Kostanay") == 5
    if suffix == ".csv":
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# statistics exported from the postmine registry")
        assert lines[1] == ",".join([*io.STATISTICS_FIELDS, "source"])
    else:
        header = next(load_workbook(path).active.iter_rows(values_only=True))
        assert list(header) == [*io.STATISTICS_FIELDS, "source"]
    with session_scope(db_url) as session:
        report = io.import_statistics(session, path, on_conflict="replace")
        again = {
            (s.dataset, s.region, s.year, s.indicator): (s.value, s.unit, s.source)
            for s in session.scalars(select(Statistic))
        }
    assert (report.inserted, report.replaced) == (0, len(stored))
    assert again.keys() == stored.keys()
    for key, (value, unit, source) in stored.items():
        assert_allclose(again[key][0], value, rtol=ROUND_TRIP_RTOL)
        assert again[key][1:] == (unit, source)


def test_export_refuses_an_unknown_format(db_url, tmp_path):
    with session_scope(db_url) as session:
        with pytest.raises(ValueError, match=r"path must end in \.csv or \.xlsx"):
            io.export_statistics(session, tmp_path / "s.txt")
        with pytest.raises(ValueError, match=r"path must end in \.csv or \.xlsx"):
            io.export_tmf(session, tmp_path / "t.json")
        with pytest.raises(ValueError, match=r"path must end in \.geojson, \.json or \.gpkg"):
            io.export_objects(session, tmp_path / "o.shp")
    with pytest.raises(ValueError, match="on_conflict must be 'error' or 'replace'"):
        imported(db_url, io.import_statistics, tmp_path / "s.csv", on_conflict="skip")


def test_a_killed_statistics_import_leaves_no_partial_data(db_url, tmp_path, site_id, kill_import):
    path = write_statistics_csv(tmp_path / "big.csv", 20_000)
    kill_import(db_url, "statistics", path, site_id, kill_after=1500, pause=0.1)
    assert count(db_url, Statistic) == 0
    # the registry still takes an import afterwards
    with session_scope(db_url) as session:
        io.import_statistics(session, write_statistics_csv(tmp_path / "small.csv", 3))
    assert count(db_url, Statistic) == 3
